/** Everything a scan evaluates with: the policies (with deployment settings) and the exceptions. */
import type { CompiledPolicy } from './compile.js';
import { loadConfiguration } from './settings.js';
import { loadExceptions, type PolicyException } from './exceptions.js';
import { loadPolicies } from './load-policies.js';

export interface PolicySetFiles {
  policyDir: string;
  /** Deployment configuration (severity, parameters, disabled policies). */
  configFile?: string;
  exceptionsFile?: string;
}

export interface PolicySet {
  policies: CompiledPolicy[];
  exceptions: PolicyException[];
}

export function loadPolicySet(files: PolicySetFiles): PolicySet {
  const configuration = files.configFile ? loadConfiguration(files.configFile) : undefined;
  const policies = loadPolicies(files.policyDir, configuration);
  const known = new Set(policies.map((p) => p.id));
  // A disabled policy may still be named by an exception: it is known, just not evaluated.
  for (const id of configuration?.disabled ?? []) known.add(id);
  const exceptions = files.exceptionsFile ? loadExceptions(files.exceptionsFile, known) : [];
  return { policies, exceptions };
}
