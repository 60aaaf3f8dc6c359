/** Everything a scan evaluates with: the policies (with deployment settings) and the exceptions. */
import type { CompiledPolicy } from '../core/policy/compile.js';
import type { PolicyException } from '../core/policy/exceptions.js';
import { exceptionsFrom } from '../core/policy/exceptions-file.js';
import { configurationFrom, type Configuration } from '../core/policy/settings.js';
import { loadPolicies } from './load-policies.js';
import { readYamlFile } from './read-yaml.js';

export interface PolicySetFiles {
  /** One directory, or several whose policies add up. */
  policyDir: string | readonly string[];
  /** Deployment configuration (severity, parameters, disabled policies). */
  configFile?: string;
  exceptionsFile?: string;
}

export interface PolicySet {
  policies: CompiledPolicy[];
  exceptions: PolicyException[];
}

export const loadConfiguration = (file: string): Configuration => configurationFrom(readYamlFile(file, 'configuration file'));

export const loadExceptions = (file: string, knownPolicies: ReadonlySet<string>): PolicyException[] => exceptionsFrom(readYamlFile(file, 'exceptions file'), knownPolicies);

export function loadPolicySet(files: PolicySetFiles): PolicySet {
  const configuration = files.configFile ? loadConfiguration(files.configFile) : undefined;
  const policies = loadPolicies(files.policyDir, configuration);
  const known = new Set(policies.map((p) => p.id));
  // A disabled policy may still be named by an exception: it is known, just not evaluated.
  for (const id of configuration?.disabled ?? []) known.add(id);
  const exceptions = files.exceptionsFile ? loadExceptions(files.exceptionsFile, known) : [];
  return { policies, exceptions };
}
