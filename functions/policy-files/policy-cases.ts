/** Reading a policy's cases (`<id>.test.yaml` beside `<id>.yaml`) and the base snapshot they patch. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledPolicy } from '../core/policy/compile.js';
import { casesFileOf, missingCases, runCases, type CaseOutcome } from '../core/policy/policy-tests.js';
import { validateYaml } from '../core/policy/yaml-source.js';
import { ClusterSnapshot } from '../core/snapshot/schema.js';
import { readYamlFile } from './read-yaml.js';

const BASE_SNAPSHOT = join('testdata', 'base-snapshot.yaml');

export const baseSnapshotFile = (policyDir: string): string => join(policyDir, BASE_SNAPSHOT);

export function loadBaseSnapshot(policyDir: string): ClusterSnapshot {
  const file = baseSnapshotFile(policyDir);
  return validateYaml(readYamlFile(file, 'base snapshot'), ClusterSnapshot);
}

export function runPolicyCases(policy: CompiledPolicy, base: ClusterSnapshot): CaseOutcome[] {
  const file = casesFileOf(policy.file);
  if (!existsSync(file)) return missingCases(policy, file);
  return runCases(policy, base, readYamlFile(file, 'policy test cases'));
}
