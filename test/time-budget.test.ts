/**
 * The time budget, end to end over the simulated account: one DescribeCluster never answers and
 * the budget is shorter than the scan. The budget's clock is fake (it advances 1 s per answered
 * request), so which clusters are reached does not depend on the machine's speed; the hung
 * call is cut off by the (real, short) request timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionDeadline } from '../functions/app/deadline.js';
import { runScan } from '../functions/app/run-scan.js';
import { stalestFirst } from '../functions/app/tracked-scan.js';
import type { ClusterRecord } from '../functions/core/drift/record.js';
import { createRegionClients, createStsClient } from '../functions/collect/aws-clients.js';
import { AwsCollector } from '../functions/collect/aws-collector.js';
import { NOT_SCANNED_TIME_BUDGET, TimeBudget } from '../functions/collect/time-budget.js';
import { DEFAULT_POLICY_DIR } from '../functions/cli/paths.js';
import { loadPolicies } from '../functions/policy-files/load-policies.js';
import type { PolicyResult } from '../functions/core/results.js';
import { generateWorld } from './simulator/generate.js';
import { startSimulator, type Simulator } from './simulator/server.js';

const CLUSTERS = 24;
const HUNG = 'cluster-0002';
const policies = loadPolicies(DEFAULT_POLICY_DIR);
const now = new Date('2026-06-01T00:00:00Z');

let simulator: Simulator;
let fakeNow = 0;
const previousEndpoint = process.env.AWS_ENDPOINT_URL;

beforeAll(async () => {
  simulator = await startSimulator({ world: generateWorld({ clusters: CLUSTERS, now }), onRequest: () => (fakeNow += 1000) });
  process.env.AWS_ENDPOINT_URL = simulator.url;
});
afterAll(async () => {
  process.env.AWS_ENDPOINT_URL = previousEndpoint;
  await simulator.close();
});

async function scan(deadlineMs: number, firstClusters?: string[]) {
  fakeNow = 0;
  const budget = new TimeBudget(() => fakeNow).startFor(deadlineMs);
  // Long enough for a loaded machine; the hung call costs two of them.
  const options = { budget, timeouts: { requestMs: 2_000 }, retry: { maxAttempts: 2, baseDelayMs: 1 } };
  const clients = createRegionClients('us-east-1', options);
  const collector = new AwsCollector(() => clients, createStsClient('us-east-1', options), budget);
  const outcome = await runScan({ regions: ['us-east-1'], policies, now, concurrency: 1, ...(firstClusters ? { firstClusters } : {}) }, { collector });
  return { ...outcome, endedAt: fakeNow };
}

const byCluster = (results: readonly PolicyResult[]) => {
  const map = new Map<string, PolicyResult[]>();
  for (const r of results) map.set(r.cluster, [...(map.get(r.cluster) ?? []), r]);
  return map;
};

describe('time budget', () => {
  it('with a hung call and too little time: finishes in budget, lists the clusters it did not reach, the others correct', async () => {
    simulator.setFaults(undefined);
    const baseline = byCluster((await scan(Number.POSITIVE_INFINITY)).results);
    expect(baseline.size).toBe(CLUSTERS);
    expect([...baseline.values()].flat().filter((r) => r.status === 'error')).toEqual([]);

    simulator.setFaults({ rules: [{ service: 'eks', operation: 'DescribeCluster', match: { name: HUNG }, error: 'Hang' }] });
    const deadline = 80_000;
    const report = await scan(deadline);
    const results = byCluster(report.results);

    expect(report.errors).toEqual([]);
    expect(report.endedAt).toBeLessThanOrEqual(deadline);
    expect(results.size).toBe(CLUSTERS);
    const unreached = [...results].filter(([, rs]) => rs.every((r) => r.status === 'error' && r.message.includes(NOT_SCANNED_TIME_BUDGET))).map(([c]) => c);
    expect(unreached.length).toBeGreaterThan(0);
    expect(unreached.length).toBeLessThan(CLUSTERS - 2);
    // The hung cluster costs itself a timeout; it is an error, never a pass.
    expect(results.get(HUNG)!.every((r) => r.status === 'error' && /TimeoutError|timed out/.test(r.message))).toBe(true);
    for (const [cluster, rs] of results) {
      if (cluster === HUNG || unreached.includes(cluster)) continue;
      expect(rs.map(({ policy, status, message }) => ({ policy, status, message }))).toEqual(
        baseline.get(cluster)!.map(({ policy, status, message }) => ({ policy, status, message })),
      );
    }

    // The next run reads the clusters this one did not reach first.
    simulator.setFaults(undefined);
    simulator.clearLog();
    await scan(deadline, unreached);
    const described = simulator.log.filter((e) => e.operation === 'DescribeCluster').map((e) => e.params.name);
    expect(described.slice(0, unreached.length)).toEqual(unreached);
  });
});

describe('the deadline of an invocation', () => {
  const at = new Date('2026-06-01T00:00:00Z');
  const remaining = (ms: number) => ({ getRemainingTimeInMillis: () => ms });

  it('keeps the reserve back from what the Lambda has left, but never more than a quarter of it', () => {
    expect(collectionDeadline(at, remaining(600_000), 60)?.getTime()).toBe(at.getTime() + 540_000);
    expect(collectionDeadline(at, remaining(100_000), 60)?.getTime()).toBe(at.getTime() + 75_000);
    expect(collectionDeadline(at, undefined)).toBeUndefined();
  });

  it('reads the clusters the last run did not reach (oldest snapshot) first, deleted ones not at all', () => {
    const record = (cluster: string, collectedAt: string | undefined, deletedAt?: string) =>
      ({ cluster, snapshot: collectedAt ? { collectedAt } : undefined, ...(deletedAt ? { deletedAt } : {}) }) as unknown as ClusterRecord;
    const records = [
      record('fresh', '2026-06-01T10:00:00Z'),
      record('unreached', '2026-06-01T09:00:00Z'),
      record('never-read', undefined),
      record('gone', '2026-05-01T00:00:00Z', '2026-05-02T00:00:00Z'),
    ];
    expect(stalestFirst(records)).toEqual(['never-read', 'unreached', 'fresh']);
  });
});
