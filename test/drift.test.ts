/** Drift (field-level, noise-free) and the finding lifecycle, on snapshots and results alone. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_DIR } from '../functions/cli/paths.js';
import { diffSnapshots } from '../functions/core/drift/diff.js';
import { applyLifecycle } from '../functions/core/drift/lifecycle.js';
import { storedSnapshot, type FindingState } from '../functions/core/drift/record.js';
import { mergePatch } from '../functions/core/policy/policy-tests.js';
import { loadBaseSnapshot } from '../functions/policy-files/policy-cases.js';
import type { PolicyResult } from '../functions/core/results.js';
import { ClusterSnapshot } from '../functions/core/snapshot/schema.js';
import { FileStateStore } from '../functions/state/file-state-store.js';
import { StateConflictError } from '../functions/app/ports.js';

const base = loadBaseSnapshot(DEFAULT_POLICY_DIR);
const patched = (patch: Record<string, unknown>) => ClusterSnapshot.parse(mergePatch(base, patch));
const summaries = (patch: Record<string, unknown>, options = {}) => diffSnapshots(base, patched(patch), options).map((c) => c.summary);

describe('diffSnapshots', () => {
  it('reports endpoint flags and CIDRs added and removed', () => {
    expect(summaries({ cluster: { endpoint: { publicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] } } })).toEqual([
      'public endpoint access changed: false -> true',
      'public access CIDR added: 0.0.0.0/0',
    ]);
  });

  it('reports security group rules with protocol, port and source', () => {
    const rule = { protocol: 'tcp', fromPort: 22, toPort: 22, sourceKind: 'cidr', source: '0.0.0.0/0', description: '' };
    expect(summaries({ securityGroups: { 'sg-cluster': { ingress: [...base.securityGroups['sg-cluster']!.ingress, rule] } } })).toEqual([
      'security group sg-cluster ingress rule added: tcp 22 from 0.0.0.0/0',
    ]);
    expect(summaries({ securityGroups: { 'sg-cluster': { ingress: [] } } })).toEqual(['security group sg-cluster ingress rule removed: all traffic from sg-cluster']);
  });

  it('reports subnets and node groups added, removed and moved, DNS and DHCP, version', () => {
    const moved = [{ ...base.nodegroups[0]!, subnetIds: ['subnet-a', 'subnet-c'] }];
    expect(
      summaries({
        nodegroups: moved,
        subnets: { 'subnet-b': null },
        vpc: { enableDnsSupport: false, dhcpOptions: { id: 'dopt-2', domainNameServers: ['10.1.1.1'] } },
        cluster: { version: '1.34' },
      }),
    ).toEqual([
      'Kubernetes version changed: 1.33 -> 1.34',
      'VPC vpc-0base enableDnsSupport changed: true -> false',
      'VPC vpc-0base DHCP option set changed: dopt-0base -> dopt-2',
      'VPC vpc-0base DNS server added: 10.1.1.1',
      'VPC vpc-0base DNS server removed: AmazonProvidedDNS',
      'subnet subnet-b removed',
      'node group ng-1 subnet added: subnet-c',
      'node group ng-1 subnet removed: subnet-b',
    ]);
  });

  it('reports network ACL entries and associations, VPC endpoints and prefix list entries', () => {
    const acl = base.networkAcls['acl-default']!;
    const deny = { ruleNumber: 90, egress: false, protocol: '6', action: 'deny', cidr: '10.0.0.0/16', fromPort: 10250, toPort: 10250 };
    const endpoint = {
      id: 'vpce-1',
      vpcId: 'vpc-0base',
      serviceName: 'com.amazonaws.us-east-1.ecr.api',
      type: 'Interface',
      state: 'available',
      privateDnsEnabled: true,
      subnetIds: ['subnet-a'],
      routeTableIds: [],
      securityGroupIds: ['sg-cluster'],
    };
    const before = patched({ vpcEndpoints: { 'vpce-1': endpoint }, prefixLists: { 'pl-1': { id: 'pl-1', name: 'office', addressFamily: 'IPv4', cidrs: ['198.51.100.0/24'] } } });
    const after = ClusterSnapshot.parse(
      mergePatch(before, {
        networkAcls: { 'acl-default': { subnetIds: ['subnet-a', 'subnet-pub'], entries: [deny, ...acl.entries] } },
        vpcEndpoints: {
          'vpce-1': { privateDnsEnabled: false, subnetIds: ['subnet-a', 'subnet-b'] },
          'vpce-2': { ...endpoint, id: 'vpce-2', serviceName: 'com.amazonaws.us-east-1.sts' },
        },
        prefixLists: { 'pl-1': { cidrs: ['203.0.113.0/24'] } },
      }),
    );
    expect(diffSnapshots(before, after).map((c) => c.summary)).toEqual([
      'network ACL acl-default subnet removed: subnet-b',
      'network ACL acl-default added: inbound rule 90: deny tcp 10250 from 10.0.0.0/16',
      'VPC endpoint vpce-2 added',
      'VPC endpoint vpce-1 (com.amazonaws.us-east-1.ecr.api) private DNS changed: true -> false',
      'VPC endpoint vpce-1 (com.amazonaws.us-east-1.ecr.api) subnet added: subnet-b',
      'prefix list pl-1 (office) entry added: 203.0.113.0/24',
      'prefix list pl-1 (office) entry removed: 198.51.100.0/24',
    ]);
    // A snapshot stored before v1.1 has none of these sections: that is not drift either.
    const stale = storedSnapshot({ ...before, networkAcls: undefined, vpcEndpoints: undefined, prefixLists: undefined } as unknown as ClusterSnapshot);
    expect(diffSnapshots(stale, after)).toEqual([]);
    expect(stale.networkAcls).toEqual({});
    expect(stale.errors.prefixLists).toBe('not in the stored snapshot (stored before eksguard collected this section)');
    expect(storedSnapshot(before)).toBe(before);
  });

  it('ignores noise: counters, timestamps, AWS-managed values, node churn, untracked tags', () => {
    expect(
      summaries({
        collectedAt: '2026-06-02T00:00:00Z',
        cluster: { platformVersion: 'eks.9', tags: { team: 'other', cost: 'x' } },
        subnets: { 'subnet-a': { availableIpAddressCount: 12 } },
        nodegroups: [{ ...base.nodegroups[0]!, desiredSize: 7, status: 'UPDATING' }],
        nodes: [],
        versionSupport: { endOfStandardSupport: '2027-01-01' },
      }),
    ).toEqual([]);
  });

  it('tracks the tags it is told to', () => {
    expect(summaries({ cluster: { tags: { team: 'other' } } }, { trackedTags: ['team'] })).toEqual(['tag team changed: platform -> other']);
  });

  it('does not call an unreadable section drift', () => {
    expect(summaries({ vpc: { enableDnsSupport: false }, errors: { vpc: 'UnauthorizedOperation' } })).toEqual([]);
  });
});

const result = (policy: string, status: PolicyResult['status'], extra: Partial<PolicyResult> = {}): PolicyResult => ({
  policy,
  cluster: 'c',
  region: 'us-east-1',
  account: '111122223333',
  status,
  severity: 'high',
  message: `${policy} ${status}`,
  ...extra,
});
const state = (status: FindingState['status'], extra: Partial<FindingState> = {}): FindingState => ({
  status,
  severity: 'high',
  message: 'm',
  since: '2026-11-01T00:00:00.000Z',
  lastChanged: '2026-11-01T00:00:00.000Z',
  ...extra,
});

describe('applyLifecycle', () => {
  const now = new Date('2026-11-25T08:00:00Z');
  const run = (previous: Record<string, FindingState>, results: PolicyResult[], reminderHours?: number) =>
    applyLifecycle(previous, results, { now, ...(reminderHours ? { reminderHours } : {}) });

  it('maps each state change to its transition and notifies only on changes', () => {
    const { results } = run({ a: state('pass'), b: state('fail'), c: state('fail'), d: state('fail'), e: state('excepted'), f: state('pass') }, [
      result('a', 'fail'),
      result('b', 'fail'),
      result('c', 'pass'),
      result('d', 'excepted'),
      result('e', 'fail', { exceptionExpired: '2026-11-24' }),
      result('f', 'pass'),
    ]);
    expect(results.map((r) => [r.policy, r.transition, r.notify])).toEqual([
      ['a', 'new', true],
      ['b', 'ongoing', false],
      ['c', 'resolved', true],
      ['d', 'excepted', true],
      ['e', 'exception-expired', true],
      ['f', undefined, undefined],
    ]);
  });

  it('stores an excepted finding with its exception as data, and reads a finding stored before it was', () => {
    const exception = { owner: 'data@example.com', reason: 'until the VPN migration', expires: '2027-03-31', location: 'exceptions.yaml:4' };
    const legacy = state('excepted', { message: 'cluster x is public [excepted until 2027-03-31 by data@example.com: until the VPN migration]' });
    const { results, findings } = run({ a: state('fail'), b: legacy }, [result('a', 'excepted', { exception }), result('b', 'excepted', { exception })]);
    expect(findings.a).toMatchObject({ status: 'excepted', exception });
    // The old note leaves the message, the exception is kept as data, and nothing is re-announced.
    expect(findings.b).toMatchObject({ status: 'excepted', exception, message: result('b', 'excepted').message, since: legacy.since });
    expect(results.map((r) => [r.policy, r.transition, r.notify])).toEqual([
      ['a', 'excepted', true],
      ['b', 'excepted', false],
    ]);
  });

  it('keeps the previous state of a finding that could not be evaluated, and says so once', () => {
    const first = run({ a: state('fail') }, [result('a', 'error', { message: 'could not read vpc' })]);
    expect(first.results[0]).toMatchObject({ transition: 'error', notify: true });
    expect(first.findings.a).toMatchObject({ status: 'fail', since: '2026-11-01T00:00:00.000Z', error: 'could not read vpc' });
    const second = run(first.findings, [result('a', 'error', { message: 'could not read vpc' })]);
    expect(second.results[0]).toMatchObject({ transition: 'error', notify: false });
  });

  it('reminds about ongoing failures when the interval has passed', () => {
    expect(run({ a: state('fail', { lastNotified: '2026-11-25T01:00:00.000Z' }) }, [result('a', 'fail')], 6).results[0]!.notify).toBe(true);
    expect(run({ a: state('fail', { lastNotified: '2026-11-25T03:00:00.000Z' }) }, [result('a', 'fail')], 6).results[0]!.notify).toBe(false);
    expect(run({ a: state('fail', { lastNotified: '2026-11-25T01:00:00.000Z' }) }, [result('a', 'fail')]).results[0]!.notify).toBe(false);
  });
});

describe('FileStateStore', () => {
  it('writes only over the version it read, and honours leases', async () => {
    let now = 1_000;
    const store = new FileStateStore(join(mkdtempSync(join(tmpdir(), 'eksguard-state-')), 'state.json'), () => now);
    const key = { account: '111122223333', region: 'us-east-1', cluster: 'c' };
    const record = { ...key, version: 0, findings: {}, scanId: 's1', updatedAt: 'x' };
    await store.save(record, undefined);
    await expect(store.save(record, undefined)).rejects.toBeInstanceOf(StateConflictError);
    const leased = await store.acquireLease(key, 1, 'owner-a', new Date(5_000));
    await expect(store.acquireLease(key, leased, 'owner-b', new Date(5_000))).rejects.toBeInstanceOf(StateConflictError);
    await expect(store.save(record, leased)).rejects.toBeInstanceOf(StateConflictError);
    await store.save({ ...record, scanId: 's2' }, leased, 'owner-a');
    expect((await store.loadRegion('111122223333', 'us-east-1')).map((r) => [r.version, r.scanId])).toEqual([[3, 's2']]);
    const again = await store.acquireLease(key, 3, 'owner-c', new Date(2_000));
    now = 3_000; // owner-c's lease expired
    await store.save({ ...record, scanId: 's3' }, again, 'owner-d');
    expect((await store.loadRegion('111122223333', 'us-east-1'))[0]?.scanId).toBe('s3');
  });
});
