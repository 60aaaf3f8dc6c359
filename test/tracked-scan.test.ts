/**
 * Drift and finding lifecycle: tracked scans of the demo world with the state in a real
 * DynamoDB-compatible server (dynalite). The world's variants are collected once, through the
 * simulator's wire protocols, and then served by an in-memory collector: the scans under test
 * exercise the use case and the store, not the wire again (test/e2e/ covers that).
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { News, Publisher, RegionDigest } from '../functions/app/ports.js';
import { runTrackedScan } from '../functions/app/tracked-scan.js';
import type { ScanTarget } from '../functions/core/snapshot/target.js';
import { awsCollector } from '../functions/wiring.js';
import { DEFAULT_POLICY_DIR } from '../functions/cli/paths.js';
import type { ClusterOutcome } from '../functions/core/drift/track.js';
import { loadPolicies } from '../functions/policy-files/load-policies.js';
import { DynamoDbStateStore } from '../functions/state/dynamodb-state-store.js';
import { DEMO_CHANGES, loadDemoWorld } from './demo/run-demo.js';
import type { Simulator } from './simulator/server.js';
import type { LocalDynamo } from './support/dynalite.js';
import { FakeCollector } from './support/fake-collector.js';
import { startSimulatedAws, type SimulatedAws } from './support/simulated-aws.js';

class RecordingPublisher implements Publisher {
  readonly published: { cluster: string; news: News }[] = [];
  failFor = new Set<string>();
  async publish(outcome: ClusterOutcome, news: News): Promise<void> {
    if (this.failFor.has(outcome.key.cluster)) throw new Error('SNS unavailable');
    this.published.push({ cluster: outcome.key.cluster, news });
  }
  readonly digests: RegionDigest[] = [];
  async publishDigest(digest: RegionDigest): Promise<void> {
    if (digest.clusters.some((c) => this.failFor.has(c.outcome.key.cluster))) throw new Error('SNS unavailable');
    this.digests.push(digest);
  }
  clusters = () => this.published.map((p) => p.cluster).sort();
}

const policies = loadPolicies(DEFAULT_POLICY_DIR);
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const T0 = new Date('2026-11-25T08:00:00Z');
let simulator: Simulator;
let collector: FakeCollector;
let dynamo: LocalDynamo;
let store: DynamoDbStateStore;
let table: string;
let clock = Date.parse('2026-11-25T08:00:00Z');
let scans = 0;

async function scan(publisher: Publisher, options: { reminderHours?: number } = {}) {
  clock += 3_600_000;
  return runTrackedScan(
    // Per-cluster messages: the demo world's first scan has more clusters with news than the default digest threshold.
    { regions: ['us-east-1'], policies, now: new Date(clock), scanId: `test-scan-${++scans}`, alertDigestThreshold: 100, ...options },
    { collector, store, publisher, clock: () => new Date(clock) },
  );
}

/** The demo world and its variants, each collected once through the simulator. */
const world: Record<'demo' | 'changed' | 'vpcAttributeDenied' | 'vpcAttributeDeniedNoHostnames' | 'noHostnames', ScanTarget[]> = {
  demo: [],
  changed: [],
  vpcAttributeDenied: [],
  vpcAttributeDeniedNoHostnames: [],
  noHostnames: [],
};
const serve = (targets: ScanTarget[]) => {
  collector.targets = targets;
};

let aws: SimulatedAws;
beforeAll(async () => {
  aws = await startSimulatedAws(await loadDemoWorld(T0));
  ({ simulator, dynamo } = aws);
  const wire = awsCollector(REGION);
  const collect = async (prepare: () => void = () => {}) => {
    simulator.setWorld(await loadDemoWorld(T0));
    simulator.setFaults(undefined);
    prepare();
    const collection = await wire.collectRegion(REGION, { account: ACCOUNT, now: T0 });
    expect(collection.errors).toEqual([]);
    return collection.targets;
  };
  const noHostnames = () => {
    simulator.world.regions[REGION]!.vpcs.find((v) => v.id === 'vpc-0prod')!.enableDnsHostnames = false;
  };
  const vpcAttributeDenied = () => simulator.setFaults({ rules: [{ service: 'ec2', operation: 'DescribeVpcAttribute', error: 'AccessDenied' }] });
  world.demo = await collect();
  world.changed = await collect(() => {
    for (const change of DEMO_CHANGES) change.apply(simulator.world);
  });
  world.vpcAttributeDenied = await collect(vpcAttributeDenied);
  world.vpcAttributeDeniedNoHostnames = await collect(() => {
    vpcAttributeDenied();
    noHostnames();
  });
  world.noHostnames = await collect(noHostnames);
});
afterAll(() => aws.close());
beforeEach(async () => {
  collector = new FakeCollector(ACCOUNT, world.demo);
  table = await dynamo.createStateTable();
  store = new DynamoDbStateStore(dynamo.client, table, () => clock);
});

const transitions = (results: { cluster: string; policy: string; transition?: string }[], transition: string) =>
  results
    .filter((r) => r.transition === transition)
    .map((r) => `${r.cluster}/${r.policy}`)
    .sort();

describe('tracked scans against dynalite', () => {
  it('first run: every failure is new; an unchanged second run publishes nothing', async () => {
    const first = new RecordingPublisher();
    const one = await scan(first);
    const failing = one.report.results.filter((r) => r.status === 'fail');
    expect(failing.length).toBe(23);
    expect(failing.every((r) => r.transition === 'new')).toBe(true);
    expect(one.report.changes?.filter((c) => c.path === 'cluster').length).toBe(13);
    // A baseline: the clean cluster (payments-prod) has nothing to say, not even "new cluster".
    expect(first.clusters()).toHaveLength(12);
    expect(first.clusters()).not.toContain('payments-prod');

    const second = new RecordingPublisher();
    const two = await scan(second);
    expect(second.published).toEqual([]);
    expect(two.report.changes).toEqual([]);
    expect(two.report.results.filter((r) => r.status === 'fail').every((r) => r.transition === 'ongoing')).toBe(true);
    expect(transitions(two.report.results, 'new')).toEqual([]);
  });

  it('a change yields exactly the expected drift entries and transitions', async () => {
    await scan(new RecordingPublisher());
    serve(world.changed);
    const publisher = new RecordingPublisher();
    const { report } = await scan(publisher);

    expect(report.changes?.map(({ cluster, path, before, after, summary }) => ({ cluster, path, before, after, summary }))).toEqual([
      { cluster: 'analytics', path: 'cluster.endpoint.privateAccess', before: true, after: false, summary: 'private endpoint access changed: true -> false' },
      { cluster: 'ml-training', path: 'vpc.enableDnsHostnames', before: false, after: true, summary: 'VPC vpc-0ml enableDnsHostnames changed: false -> true' },
      {
        cluster: 'payments-prod',
        path: 'securityGroups.sg-0payments-cluster.ingress',
        before: null,
        after: 'tcp 443 from 0.0.0.0/0',
        summary: 'security group sg-0payments-cluster ingress rule added: tcp 443 from 0.0.0.0/0',
      },
    ]);
    expect(transitions(report.results, 'new')).toEqual(['analytics/endpoint-private-access-enabled', 'payments-prod/cluster-sg-no-public-ingress']);
    expect(transitions(report.results, 'resolved')).toEqual(['ml-training/private-endpoint-vpc-dns']);
    expect(publisher.clusters()).toEqual(['analytics', 'ml-training', 'payments-prod']);
    const payments = publisher.published.find((p) => p.cluster === 'payments-prod')!.news;
    expect(payments.results.map((r) => r.policy)).toEqual(['cluster-sg-no-public-ingress']);
  });

  it('two overlapping runs over the same state produce one set of alerts', async () => {
    await scan(new RecordingPublisher());
    serve(world.changed);
    const a = new RecordingPublisher();
    const b = new RecordingPublisher();
    clock += 3_600_000;
    const now = new Date(clock);
    const run = (publisher: Publisher, scanId: string) => runTrackedScan({ regions: ['us-east-1'], policies, now, scanId }, { collector, store, publisher, clock: () => now });
    const [ra, rb] = await Promise.all([run(a, 'overlap-a'), run(b, 'overlap-b')]);
    expect([...a.clusters(), ...b.clusters()].sort()).toEqual(['analytics', 'ml-training', 'payments-prod']);
    expect(ra.conflicts.length + rb.conflicts.length).toBeGreaterThan(0);
    // And the state is consistent: a third run has nothing to say.
    const after = new RecordingPublisher();
    await scan(after);
    expect(after.published).toEqual([]);
  });

  it('a failed publish leaves the state unadvanced, so the next run publishes again', async () => {
    await scan(new RecordingPublisher());
    serve(world.changed);
    const failing = new RecordingPublisher();
    failing.failFor.add('payments-prod');
    const broken = await scan(failing);
    expect(broken.publishFailures.map((f) => f.outcome.key.cluster)).toEqual(['payments-prod']);
    expect(failing.clusters()).toEqual(['analytics', 'ml-training']);

    const retry = new RecordingPublisher();
    const { report } = await scan(retry);
    expect(retry.clusters()).toEqual(['payments-prod']);
    expect(retry.published[0]!.news.results.map((r) => [r.policy, r.transition])).toEqual([['cluster-sg-no-public-ingress', 'new']]);
    expect(retry.published[0]!.news.changes.map((c) => c.summary)).toEqual(['security group sg-0payments-cluster ingress rule added: tcp 443 from 0.0.0.0/0']);
    expect(transitions(report.results, 'new')).toEqual(['payments-prod/cluster-sg-no-public-ingress']);
  });

  it('a state write that fails after publishing costs only that cluster, and its news repeats once after the lease', async () => {
    const real = store;
    const failing = Object.create(real) as DynamoDbStateStore;
    failing.save = async (record, expectedVersion, leaseOwner) => {
      if (record.cluster === 'analytics' && leaseOwner)
        throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' });
      return real.save(record, expectedVersion, leaseOwner);
    };
    store = failing;
    const first = new RecordingPublisher();
    const broken = await scan(first);
    expect(first.clusters()).toHaveLength(12);
    expect(broken.stateFailures.map((f) => [f.outcome.key.cluster, f.published])).toEqual([['analytics', true]]);
    expect(broken.committed).toHaveLength(12);
    store = real;
    // Within the lease nobody publishes it again; once the lease (300 s) has expired it goes out once more.
    const withinLease = new RecordingPublisher();
    await runTrackedScan(
      { regions: ['us-east-1'], policies, now: new Date(clock + 60_000), scanId: 'within-lease' },
      { collector, store, publisher: withinLease, clock: () => new Date(clock + 60_000) },
    );
    expect(withinLease.published).toEqual([]);
    const afterLease = new RecordingPublisher();
    await scan(afterLease);
    expect(afterLease.clusters()).toEqual(['analytics']);
    const quiet = new RecordingPublisher();
    await scan(quiet);
    expect(quiet.published).toEqual([]);
  });

  it('a new cluster whose first publish fails is published on the next run', async () => {
    const failing = new RecordingPublisher();
    failing.failFor.add('analytics');
    await scan(failing);
    expect(failing.clusters()).not.toContain('analytics');
    const retry = new RecordingPublisher();
    await scan(retry);
    expect(retry.clusters()).toEqual(['analytics']);
    expect(retry.published[0]!.news.results.map((r) => r.transition)).toEqual(['new', 'new']);
    const quiet = new RecordingPublisher();
    await scan(quiet);
    expect(quiet.published).toEqual([]);
  });

  it('a change made while a section could not be read is reported once it can be read again', async () => {
    await scan(new RecordingPublisher());
    serve(world.vpcAttributeDenied);
    await scan(new RecordingPublisher());
    serve(world.vpcAttributeDeniedNoHostnames);
    await scan(new RecordingPublisher());
    serve(world.noHostnames);
    const { report } = await scan(new RecordingPublisher());
    const summaries = [...new Set(report.changes?.map((c) => c.summary))];
    expect(summaries).toEqual(['VPC vpc-0prod enableDnsHostnames changed: true -> false']);
  });

  it('does not track or publish when the account cannot be identified', async () => {
    collector.accountFailure = 'sts:GetCallerIdentity: AccessDenied: not authorized to perform sts:GetCallerIdentity';
    const publisher = new RecordingPublisher();
    await expect(scan(publisher)).rejects.toThrow(/cannot keep state or publish: the account could not be identified \(sts:GetCallerIdentity: /);
    expect(publisher.published).toEqual([]);
    expect(await store.loadRegion('unknown', 'us-east-1')).toEqual([]);
  });

  it('a cluster that cannot be read keeps its previous findings open, and is not re-alerted once readable', async () => {
    await scan(new RecordingPublisher());
    serve(
      world.demo.map(
        (t): ScanTarget =>
          t.kind === 'snapshot' && t.snapshot.cluster.name === 'ml-training'
            ? { kind: 'unreadable', account: ACCOUNT, region: REGION, cluster: 'ml-training', reason: 'eks:DescribeCluster: AccessDeniedException: not authorized' }
            : t,
      ),
    );
    const during = new RecordingPublisher();
    const { report } = await scan(during);
    const ml = report.results.filter((r) => r.cluster === 'ml-training');
    expect(ml.every((r) => r.status === 'error' && r.transition === 'error')).toBe(true);
    expect(transitions(report.results, 'resolved')).toEqual([]);
    const stored = await store.loadRegion('111122223333', 'us-east-1');
    expect(stored.find((r) => r.cluster === 'ml-training')?.findings['private-endpoint-vpc-dns']).toMatchObject({ status: 'fail' });

    serve(world.demo);
    const after = await scan(new RecordingPublisher());
    const vpcDns = after.report.results.find((r) => r.cluster === 'ml-training' && r.policy === 'private-endpoint-vpc-dns');
    expect(vpcDns).toMatchObject({ status: 'fail', transition: 'ongoing' });
  });

  it('a deleted cluster is reported as deleted, its findings resolved, and its record expires', async () => {
    await scan(new RecordingPublisher());
    serve(world.demo.filter((t) => t.kind !== 'snapshot' || t.snapshot.cluster.name !== 'sandbox'));
    const publisher = new RecordingPublisher();
    const { report } = await scan(publisher);
    expect(report.changes?.filter((c) => c.cluster === 'sandbox').map((c) => c.summary)).toEqual(['cluster sandbox deleted']);
    expect(transitions(report.results, 'resolved')).toEqual([
      'sandbox/cluster-role-eks-policy',
      'sandbox/control-plane-audit-logging',
      'sandbox/control-plane-subnets-multi-az',
      'sandbox/secrets-encryption-cmk',
    ]);
    expect(publisher.clusters()).toEqual(['sandbox']);
    const item = await dynamo.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: '111122223333#us-east-1' }, sk: { S: 'sandbox' } } }));
    expect(Number(item.Item?.expiresAt?.N)).toBeGreaterThan(clock / 1000 + 29 * 86_400);
    const quiet = new RecordingPublisher();
    await scan(quiet);
    expect(quiet.published).toEqual([]);
  });

  it('a cluster asked for by name that no longer exists is reported deleted (event-driven scans)', async () => {
    await scan(new RecordingPublisher());
    serve(world.demo.filter((t) => t.kind !== 'snapshot' || t.snapshot.cluster.name !== 'sandbox'));
    clock += 3_600_000;
    const { report } = await runTrackedScan(
      { regions: ['us-east-1'], policies, now: new Date(clock), scanId: 'targeted', clusterNames: ['sandbox'] },
      { collector, store, publisher: new RecordingPublisher(), clock: () => new Date(clock) },
    );
    expect(report.changes?.map((c) => c.summary)).toEqual(['cluster sandbox deleted']);
    expect(report.results.filter((r) => r.status === 'error')).toEqual([]);
    expect(transitions(report.results, 'resolved')).toHaveLength(4);
  });

  it('reminders re-send ongoing failures once the interval has passed, and only then', async () => {
    await scan(new RecordingPublisher(), { reminderHours: 2 });
    const soon = new RecordingPublisher();
    await scan(soon, { reminderHours: 2 });
    expect(soon.published).toEqual([]);
    const later = new RecordingPublisher();
    await scan(later, { reminderHours: 2 });
    expect(later.clusters()).toHaveLength(12);
    expect(later.published.flatMap((p) => p.news.results).every((r) => r.transition === 'ongoing')).toBe(true);
  });
});
