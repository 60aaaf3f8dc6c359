/** Runs every shipped policy's cases (policies/<id>.test.yaml) and checks the catalog contract. */
import { describe, expect, it } from 'vitest';
import { evaluateTargets } from '../functions/core/policy/evaluate.js';
import { loadPolicies } from '../functions/policy-files/load-policies.js';
import { loadBaseSnapshot, runPolicyCases } from '../functions/policy-files/policy-cases.js';
import { DEFAULT_POLICY_DIR } from '../functions/cli/paths.js';

const policies = loadPolicies(DEFAULT_POLICY_DIR);
const base = loadBaseSnapshot(DEFAULT_POLICY_DIR);

describe.each(policies.map((p) => [p.id, p] as const))('%s', (_id, policy) => {
  const outcomes = runPolicyCases(policy, base);
  it.each(outcomes.map((o) => [o.case, o] as const))('%s', (_name, outcome) => {
    expect(outcome.problem).toBeUndefined();
    expect(outcome.passed).toBe(true);
  });
});

describe('the shipped catalog', () => {
  it('contains the endpoint policies with their catalog severities', () => {
    const severities = Object.fromEntries(policies.map((p) => [p.id, p.severity]));
    expect(severities).toMatchObject({
      'endpoint-public-access-disabled': 'medium',
      'endpoint-public-cidrs-restricted': 'high',
      'endpoint-private-access-enabled': 'medium',
      'endpoint-nodes-can-reach-api': 'critical',
      'private-endpoint-vpc-dns': 'high',
      'private-endpoint-amazon-dns': 'high',
    });
  });

  it('the base snapshot (a well-wired cluster) passes every policy or is out of its reach', () => {
    const results = evaluateTargets(policies, [{ kind: 'snapshot', snapshot: base }], { now: new Date(base.collectedAt) });
    expect(results).toHaveLength(policies.length);
    expect(results.filter((r) => r.status !== 'pass' && r.status !== 'not-applicable')).toEqual([]);
  });
});
