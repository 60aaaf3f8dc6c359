/**
 * Policy test cases (`<id>.test.yaml` beside `<id>.yaml`), in the spirit of `opa test` and
 * `kyverno test`: each case patches the base snapshot and states the expected result.
 */
import { z } from 'zod';
import { RESULT_STATUSES, type PolicyResult } from '../results.js';
import { ClusterSnapshot } from '../snapshot/schema.js';
import { compilePolicy, type CompiledPolicy } from './compile.js';
import { PolicyLoadError, PolicyLoadErrors } from './errors.js';
import { evaluateTargets } from './evaluate.js';
import { snapshotEnvironment } from './cel-environment.js';
import { validateYaml, type YamlSource } from './yaml-source.js';

const TestCase = z
  .object({
    name: z.string().min(1),
    expect: z.enum(RESULT_STATUSES),
    messageContains: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .describe('Substrings the result message must contain'),
    remediationContains: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .describe('Substrings the remediation (with its command filled in for this cluster) must contain; fail cases only'),
    patch: z.record(z.string(), z.unknown()).default({}).describe('JSON merge patch (RFC 7386) applied to the base snapshot'),
    params: z.record(z.string(), z.unknown()).optional(),
    now: z.iso.datetime().optional(),
  })
  .strict();
const TestFile = z.object({ cases: z.array(TestCase).min(1) }).strict();
export type TestCase = z.infer<typeof TestCase>;

export interface CaseOutcome {
  policy: string;
  case: string;
  passed: boolean;
  expected: string;
  actual: PolicyResult | undefined;
  problem?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => Boolean(value) && typeof value === 'object' && !Array.isArray(value);
const isNamedList = (value: unknown): value is Record<string, unknown>[] => Array.isArray(value) && value.every((item) => isRecord(item) && typeof item.name === 'string');

/**
 * RFC 7386: objects merge recursively, anything else replaces, null removes. One extension: an
 * object patching a list of named items (node groups, Fargate profiles) addresses them by name,
 * `{nodegroups: {ng-1: {subnetIds: [subnet-a]}}}`: an item merges, a new name appends an item,
 * null removes one. (Plain RFC 7386 would replace the list with an object, never a valid snapshot.)
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return patch;
  if (isNamedList(target)) return patchByName(target, patch);
  const base: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete base[key];
    else base[key] = mergePatch(base[key], value);
  }
  return base;
}

function patchByName(items: Record<string, unknown>[], patch: Record<string, unknown>): Record<string, unknown>[] {
  const result = items
    .filter((item) => patch[item.name as string] !== null)
    .map((item) => {
      const change = patch[item.name as string];
      return change === undefined ? item : (mergePatch(item, change) as Record<string, unknown>);
    });
  const known = new Set(items.map((item) => item.name));
  for (const [name, value] of Object.entries(patch)) {
    if (!known.has(name) && value !== null) result.push({ ...(mergePatch({}, value) as Record<string, unknown>), name });
  }
  return result;
}

export function casesFileOf(policyFile: string): string {
  return policyFile.replace(/\.ya?ml$/, '.test.yaml');
}

/** The outcome of a policy without a cases file. */
export const missingCases = (policy: CompiledPolicy, file: string): CaseOutcome[] => [
  { policy: policy.id, case: '(none)', passed: false, expected: 'cases', actual: undefined, problem: `${file} is missing: every policy needs a passing and a failing case` },
];

/** Runs the cases of a parsed cases file; a file without a passing and a failing case fails too. */
export function runCases(policy: CompiledPolicy, base: ClusterSnapshot, source: YamlSource): CaseOutcome[] {
  const { file } = source;
  const { cases } = validateYaml(source, TestFile);
  const outcomes = cases.map((testCase, index) => runCase(policy, base, testCase, file, source.locate(['cases', index])));
  const expected = new Set(cases.map((c) => c.expect));
  for (const needed of ['pass', 'fail'] as const) {
    if (!expected.has(needed)) {
      outcomes.push({ policy: policy.id, case: `(a ${needed}ing case)`, passed: false, expected: needed, actual: undefined, problem: `${file}: no case expects ${needed}` });
    }
  }
  return outcomes;
}

function runCase(policy: CompiledPolicy, base: ClusterSnapshot, testCase: TestCase, file: string, location: string): CaseOutcome {
  const outcome = { policy: policy.id, case: testCase.name, expected: testCase.expect };
  const parsed = ClusterSnapshot.safeParse(mergePatch(base, testCase.patch));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ...outcome, passed: false, actual: undefined, problem: `${file}:${location}: patch makes an invalid snapshot: ${issue.path.join('.')}: ${issue.message}` };
  }
  let subject = policy;
  if (testCase.params) {
    try {
      subject = compilePolicy(policy.document, policy.file, snapshotEnvironment(), {
        locate: () => location,
        override: { parameters: testCase.params, source: { file, locate: () => location, path: [] } },
      });
    } catch (error) {
      const detail = error instanceof PolicyLoadErrors || error instanceof PolicyLoadError ? error.message : String(error);
      return { ...outcome, passed: false, actual: undefined, problem: `${file}:${location}: ${detail}` };
    }
  }
  const now = new Date(testCase.now ?? parsed.data.collectedAt);
  const [actual] = evaluateTargets([subject], [{ kind: 'snapshot', snapshot: parsed.data }], { now });
  const contains = (wanted: string | string[] | undefined, text: string | undefined) => (wanted === undefined ? [] : [wanted].flat()).filter((w) => !text?.includes(w));
  const missing = contains(testCase.messageContains, actual?.message);
  const missingFix = contains(testCase.remediationContains, actual?.remediation);
  const passed = actual?.status === testCase.expect && missing.length === 0 && missingFix.length === 0;
  const quote = (texts: string[]) => texts.map((m) => JSON.stringify(m)).join(', ');
  const problem = passed
    ? undefined
    : actual?.status !== testCase.expect
      ? `expected ${testCase.expect}, got ${actual?.status}: ${actual?.message}`
      : missing.length
        ? `message "${actual.message}" lacks ${quote(missing)}`
        : `remediation "${actual.remediation ?? ''}" lacks ${quote(missingFix)}`;
  return { ...outcome, passed, actual, ...(problem ? { problem } : {}) };
}
