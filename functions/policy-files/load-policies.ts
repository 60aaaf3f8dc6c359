/** Loads every policy file of a directory, validated and compiled; all problems are reported at once. */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { snapshotEnvironment } from '../core/policy/cel-environment.js';
import { compilePolicy, type CompiledPolicy, type PolicyOverride } from '../core/policy/compile.js';
import type { Configuration } from '../core/policy/settings.js';
import { PolicyLoadError, PolicyLoadErrors } from '../core/policy/errors.js';
import { PolicyDocument } from '../core/policy/policy-schema.js';
import { validateYaml } from '../core/policy/yaml-source.js';
import { readYamlFile } from './read-yaml.js';

export const POLICY_FILE = /^[^.]+\.ya?ml$/;

function asLoadErrors(error: unknown): PolicyLoadError[] {
  if (error instanceof PolicyLoadErrors) return error.errors;
  if (error instanceof PolicyLoadError) return [error];
  throw error;
}

export function loadPolicyFile(file: string, override?: PolicyOverride): CompiledPolicy {
  const source = readYamlFile(file, 'policy file');
  const document = validateYaml(source, PolicyDocument);
  const expectedId = basename(file).replace(/\.ya?ml$/, '');
  if (document.id !== expectedId) {
    throw new PolicyLoadError(file, source.locate(['id']), `id: "${document.id}" must equal the file name "${expectedId}"`);
  }
  return compilePolicy(document, file, snapshotEnvironment(), { locate: source.locate, override });
}

/**
 * Policy files are `<id>.yaml` directly in `dir`; `<id>.test.yaml` files hold their cases.
 * A configuration (deployment settings) may disable policies and override severity and parameters.
 */
export function loadPolicies(dir: string, configuration?: Configuration): CompiledPolicy[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => POLICY_FILE.test(f))
      .sort();
  } catch (error) {
    throw new PolicyLoadError(dir, '', `cannot read the policy directory: ${(error as Error).message}`);
  }
  if (files.length === 0) throw new PolicyLoadError(dir, '', 'no policy files (<id>.yaml) found');
  const errors: PolicyLoadError[] = [];
  const policies: CompiledPolicy[] = [];
  for (const name of files) {
    try {
      const id = name.replace(/\.ya?ml$/, '');
      policies.push(loadPolicyFile(join(dir, name), configuration?.overrides.get(id)));
    } catch (error) {
      errors.push(...asLoadErrors(error));
    }
  }
  const ids = new Set(files.map((f) => f.replace(/\.ya?ml$/, '')));
  for (const id of configuration?.overrides.keys() ?? []) {
    if (!ids.has(id)) {
      errors.push(new PolicyLoadError(configuration!.file, configuration!.locate(['policies', id]), `policies.${id}: no such policy in ${dir}`));
    }
  }
  if (errors.length) throw new PolicyLoadErrors(errors);
  return policies.filter((p) => !configuration?.disabled.has(p.id));
}
