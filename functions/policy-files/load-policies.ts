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

function policyFilesIn(dir: string): string[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => POLICY_FILE.test(f))
      .sort();
  } catch (error) {
    throw new PolicyLoadError(dir, '', `cannot read the policy directory: ${(error as Error).message}`);
  }
  if (files.length === 0) throw new PolicyLoadError(dir, '', 'no policy files (<id>.yaml) found');
  return files.map((name) => join(dir, name));
}

/**
 * Policy files are `<id>.yaml` directly in each directory; `<id>.test.yaml` files hold their
 * cases. Several directories add up (the shipped policies and a team's own); an id defined in two
 * of them is an error. A configuration (deployment settings) may disable policies and override
 * severity and parameters.
 */
export function loadPolicies(dirs: string | readonly string[], configuration?: Configuration): CompiledPolicy[] {
  const directories = [dirs].flat();
  const errors: PolicyLoadError[] = [];
  const files: string[] = [];
  for (const dir of directories) {
    try {
      files.push(...policyFilesIn(dir));
    } catch (error) {
      errors.push(...asLoadErrors(error));
    }
  }
  const policies: CompiledPolicy[] = [];
  const fileOf = new Map<string, string>();
  for (const file of files) {
    const id = basename(file).replace(/\.ya?ml$/, '');
    const first = fileOf.get(id);
    if (first) {
      errors.push(new PolicyLoadError(file, '', `policy id "${id}" is already defined by ${first}: rename one, or leave the shipped policies out (--no-default-policies)`));
      continue;
    }
    fileOf.set(id, file);
    try {
      policies.push(loadPolicyFile(file, configuration?.overrides.get(id)));
    } catch (error) {
      errors.push(...asLoadErrors(error));
    }
  }
  for (const id of configuration?.overrides.keys() ?? []) {
    if (!fileOf.has(id)) {
      errors.push(new PolicyLoadError(configuration!.file, configuration!.locate(['policies', id]), `policies.${id}: no such policy in ${directories.join(', ')}`));
    }
  }
  if (errors.length) throw new PolicyLoadErrors(errors);
  return policies.filter((p) => !configuration?.disabled.has(p.id));
}
