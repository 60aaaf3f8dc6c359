/** Loads every policy file of a directory, validated and compiled; all problems are reported at once. */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createSnapshotEnvironment, type SnapshotEnvironment } from './cel-environment.js';
import { compilePolicy, type CompiledPolicy } from './compile.js';
import { PolicyLoadError, PolicyLoadErrors } from './errors.js';
import { PolicyDocument, type Severity } from './policy-schema.js';
import { parseYaml, validateYaml } from './yaml-source.js';

export const POLICY_FILE = /^[^.]+\.ya?ml$/;

export interface PolicyOverrides {
  disabled?: readonly string[];
  severity?: Readonly<Record<string, Severity>>;
  parameters?: Readonly<Record<string, Record<string, unknown>>>;
}

let sharedEnvironment: SnapshotEnvironment | undefined;
/** Building the CEL environment is the expensive part; do it once per process. */
export function snapshotEnvironment(): SnapshotEnvironment {
  return (sharedEnvironment ??= createSnapshotEnvironment());
}

function asLoadErrors(error: unknown): PolicyLoadError[] {
  if (error instanceof PolicyLoadErrors) return error.errors;
  if (error instanceof PolicyLoadError) return [error];
  throw error;
}

export function loadPolicyFile(file: string, overrides: PolicyOverrides = {}): CompiledPolicy {
  const source = parseYaml(file, readFileSync(file, 'utf8'));
  const document = validateYaml(source, PolicyDocument);
  const expectedId = basename(file).replace(/\.ya?ml$/, '');
  if (document.id !== expectedId) {
    throw new PolicyLoadError(file, source.locate(['id']), `id: "${document.id}" must equal the file name "${expectedId}"`);
  }
  return compilePolicy(document, file, snapshotEnvironment(), {
    locate: source.locate,
    parameterOverrides: overrides.parameters?.[document.id],
    severityOverride: overrides.severity?.[document.id],
  });
}

/** Policy files are `<id>.yaml` directly in `dir`; `<id>.test.yaml` files hold their cases. */
export function loadPolicies(dir: string, overrides: PolicyOverrides = {}): CompiledPolicy[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => POLICY_FILE.test(f)).sort();
  } catch (error) {
    throw new PolicyLoadError(dir, '', `cannot read the policy directory: ${(error as Error).message}`);
  }
  if (files.length === 0) throw new PolicyLoadError(dir, '', 'no policy files (<id>.yaml) found');
  const errors: PolicyLoadError[] = [];
  const policies: CompiledPolicy[] = [];
  for (const name of files) {
    try {
      policies.push(loadPolicyFile(join(dir, name), overrides));
    } catch (error) {
      errors.push(...asLoadErrors(error));
    }
  }
  const known = new Set(policies.map((p) => p.id));
  const referenced = [...(overrides.disabled ?? []), ...Object.keys(overrides.severity ?? {}), ...Object.keys(overrides.parameters ?? {})];
  for (const id of referenced) {
    if (!known.has(id) && !errors.some((e) => basename(e.file).startsWith(`${id}.`))) {
      errors.push(new PolicyLoadError(dir, '', `the configuration names policy "${id}", which does not exist`));
    }
  }
  if (errors.length) throw new PolicyLoadErrors(errors);
  const disabled = new Set(overrides.disabled ?? []);
  return policies.filter((p) => !disabled.has(p.id));
}
