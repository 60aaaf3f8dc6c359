/** Exceptions (reviewed, expiring) and the deployment configuration (severity, parameters, disabling). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScan } from '../functions/app/run-scan.js';
import { DEFAULT_POLICY_DIR } from '../functions/cli/paths.js';
import { renderTable } from '../functions/core/report/render-table.js';
import { buildReport } from '../functions/core/report/report.js';
import { applyExceptions, unmatchedExceptions } from '../functions/core/policy/exceptions.js';
import { evaluateTargets } from '../functions/core/policy/evaluate.js';
import { loadExceptions, loadPolicySet } from '../functions/policy-files/policy-set.js';
import { mergePatch } from '../functions/core/policy/policy-tests.js';
import { loadBaseSnapshot } from '../functions/policy-files/policy-cases.js';
import type { PolicyResult } from '../functions/core/results.js';
import { ClusterSnapshot } from '../functions/core/snapshot/schema.js';
import { FakeCollector } from './support/fake-collector.js';

const dir = mkdtempSync(join(tmpdir(), 'eksguard-settings-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
function errorOf(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    return (error as Error).message.replaceAll(dir, '<dir>');
  }
  throw new Error('expected a load error');
}

const header = 'apiVersion: eksguard.dev/v1\nkind: Exceptions\nexceptions:\n';
const known = new Set(['endpoint-public-access-disabled', 'private-endpoint-vpc-dns']);
const fail = (cluster: string, policy = 'endpoint-public-access-disabled', extra: Partial<PolicyResult> = {}): PolicyResult => ({
  policy,
  cluster,
  region: 'us-east-1',
  account: '111122223333',
  status: 'fail',
  severity: 'medium',
  message: `cluster ${cluster} has endpointPublicAccess=true`,
  ...extra,
});

describe('exceptions', () => {
  const exceptions = loadExceptions(
    file(
      'exceptions.yaml',
      `${header}  - policy: endpoint-public-access-disabled
    cluster: analytics-*
    reason: Public ingestion endpoint until the VPN migration
    owner: data@example.com
    expires: 2027-03-31
  - policy: "*"
    cluster: legacy
    region: eu-west-1
    reason: Decommissioned in Q1, nothing to fix
    owner: platform@example.com
    expires: 2026-01-31
`,
    ),
    known,
  );
  const now = new Date('2026-11-25T08:00:00Z');

  it("turns a matching failure into excepted, keeping the policy's message and carrying the exception as data", () => {
    const { results, expired } = applyExceptions([fail('analytics-eu')], exceptions, now);
    expect(results[0]!.status).toBe('excepted');
    expect(results[0]!.message).toBe('cluster analytics-eu has endpointPublicAccess=true');
    expect(results[0]!.exception).toEqual({
      owner: 'data@example.com',
      reason: 'Public ingestion endpoint until the VPN migration',
      expires: '2027-03-31',
      location: `${dir}/exceptions.yaml:4`,
    });
    expect(expired).toEqual([]);
  });

  it('matches the whole cluster name, not a substring, and only failures', () => {
    const { results } = applyExceptions([fail('old-analytics-eu'), { ...fail('analytics-eu'), status: 'error' }], exceptions, now);
    expect(results.map((r) => r.status)).toEqual(['fail', 'error']);
  });

  it('applies through the last day of its expiry date, not after', () => {
    expect(applyExceptions([fail('analytics-x')], exceptions, new Date('2027-03-31T23:59:59Z')).results[0]!.status).toBe('excepted');
    expect(applyExceptions([fail('analytics-x')], exceptions, new Date('2027-04-01T00:00:00Z')).results[0]!.status).toBe('fail');
  });

  it('an expired exception stops applying and is reported', () => {
    const { results, expired } = applyExceptions([fail('legacy', 'private-endpoint-vpc-dns', { region: 'eu-west-1' })], exceptions, now);
    expect(results[0]!.status).toBe('fail');
    expect(results[0]!.message).toBe('cluster legacy has endpointPublicAccess=true');
    expect(results[0]).toMatchObject({ exceptionExpired: '2026-01-31', exception: { owner: 'platform@example.com', expires: '2026-01-31', location: `${dir}/exceptions.yaml:9` } });
    expect(expired).toEqual([
      {
        policy: '*',
        cluster: 'legacy',
        owner: 'platform@example.com',
        reason: 'Decommissioned in Q1, nothing to fix',
        expires: '2026-01-31',
        location: `${dir}/exceptions.yaml:9`,
      },
    ]);
  });

  it('honours the region restriction', () => {
    expect(applyExceptions([fail('legacy', 'private-endpoint-vpc-dns')], exceptions, now).expired).toEqual([]);
  });

  it('reports an exception whose cluster pattern matches no cluster of a scan that covered its scope', () => {
    const scope = { account: '111122223333', scannedRegions: ['us-east-1', 'eu-west-1'], listedRegions: ['us-east-1', 'eu-west-1'] };
    const clusters = [{ account: '111122223333', region: 'us-east-1', cluster: 'analytics-eu' }];
    expect(unmatchedExceptions(exceptions, clusters, scope)).toEqual([{ policy: '*', cluster: 'legacy', location: expect.stringMatching(/exceptions\.yaml:9$/) }]);
    // A cluster named legacy in another region does not count for an exception limited to eu-west-1.
    expect(unmatchedExceptions(exceptions, [...clusters, { account: '111122223333', region: 'us-east-1', cluster: 'legacy' }], scope).map((e) => e.cluster)).toEqual(['legacy']);
    expect(unmatchedExceptions(exceptions, [...clusters, { account: '111122223333', region: 'eu-west-1', cluster: 'legacy' }], scope)).toEqual([]);
    // Regions that could not be listed, or were not scanned, leave the question open: no warning.
    expect(unmatchedExceptions(exceptions, clusters, { ...scope, listedRegions: ['us-east-1'] })).toEqual([]);
    expect(unmatchedExceptions(exceptions, [], { ...scope, scannedRegions: ['us-east-1'], listedRegions: ['us-east-1'] }).map((e) => e.cluster)).toEqual(['analytics-*']);
  });

  it.each([
    [
      'a missing reason',
      '  - {policy: "*", cluster: a, owner: o, expires: 2027-01-01}\n',
      '<dir>/bad.yaml:4:5: exceptions[0].reason: Invalid input: expected string, received undefined',
    ],
    ['a missing owner', '  - {policy: "*", cluster: a, reason: long enough reason, expires: 2027-01-01}\n', 'exceptions[0].owner: Invalid input: expected string'],
    [
      'a bad date',
      '  - {policy: "*", cluster: a, reason: long enough reason, owner: o, expires: 31/03/2027}\n',
      '<dir>/bad.yaml:4:69: exceptions[0].expires: a date as YYYY-MM-DD',
    ],
    [
      'an unknown policy',
      '  - {policy: no-such-policy, cluster: a, reason: long enough reason, owner: o, expires: 2027-01-01}\n',
      '<dir>/bad.yaml:4:6: exceptions[0].policy: no policy "no-such-policy" is loaded',
    ],
    [
      'an unknown field',
      '  - {policy: "*", cluster: a, reason: long enough reason, owner: o, expires: 2027-01-01, tags: x}\n',
      '<dir>/bad.yaml:4:90: exceptions[0].tags: Unrecognized key: "tags"',
    ],
  ])('rejects %s with file, line and field', (_name, entry, expected) => {
    expect(errorOf(() => loadExceptions(file('bad.yaml', header + entry), known))).toContain(expected);
  });
});

describe('the JSON report of a scan with a matching exception', () => {
  it('shows "status": "excepted", the exception (owner, reason, expires, file:line) and the policy\'s own message', async () => {
    const base = loadBaseSnapshot(DEFAULT_POLICY_DIR);
    const snapshot = ClusterSnapshot.parse(mergePatch(base, { cluster: { name: 'analytics-eu', endpoint: { publicAccess: true } } }));
    const exceptionsFile = file(
      'report-exceptions.yaml',
      `${header}  - policy: endpoint-public-access-disabled\n    cluster: analytics-*\n    reason: Public ingestion endpoint until the VPN migration\n    owner: data@example.com\n    expires: 2027-03-31\n`,
    );
    const { policies, exceptions } = loadPolicySet({ policyDir: DEFAULT_POLICY_DIR, exceptionsFile });
    const collector = new FakeCollector(snapshot.account, [{ kind: 'snapshot', snapshot }]);
    const request = { regions: [snapshot.region], policies, now: new Date('2026-11-25T08:00:00Z') };
    const policyId = 'endpoint-public-access-disabled';

    const without = buildReport(await runScan(request, { collector })).results.find((r) => r.policy === policyId)!;
    const json = JSON.stringify(buildReport(await runScan({ ...request, exceptions }, { collector })), null, 2);

    expect(without.status).toBe('fail');
    expect(json).toContain('"status": "excepted"');
    const report = JSON.parse(json) as ReturnType<typeof buildReport>;
    expect(report.results.find((r) => r.policy === policyId)).toEqual({
      ...without,
      status: 'excepted',
      exception: { owner: 'data@example.com', reason: 'Public ingestion endpoint until the VPN migration', expires: '2027-03-31', location: `${exceptionsFile}:4` },
    });
    expect(report.summary).toMatchObject({ excepted: 1 });
    // The table shows the same data to a person: the policy's message, then the exception.
    expect(renderTable(report)).toContain(`${without.message} [excepted until 2027-03-31 by data@example.com: Public ingestion endpoint until the VPN migration]`);
  });
});

describe('deployment configuration', () => {
  const base = loadBaseSnapshot(DEFAULT_POLICY_DIR);
  const snapshot = ClusterSnapshot.parse(mergePatch(base, { cluster: { endpoint: { publicAccess: true, publicAccessCidrs: ['10.0.0.0/8'] } } }));
  const run = (configText: string) => {
    const { policies } = loadPolicySet({ policyDir: DEFAULT_POLICY_DIR, configFile: file('config.yaml', `apiVersion: eksguard.dev/v1\nkind: Configuration\n${configText}`) });
    return { policies, results: evaluateTargets(policies, [{ kind: 'snapshot', snapshot }], { now: new Date(base.collectedAt) }) };
  };

  it('overrides severity and parameters and disables policies without editing them', () => {
    const { policies, results } = run(`policies:
  endpoint-public-cidrs-restricted: {severity: critical, parameters: {minIpv4PrefixLength: 16}}
  endpoint-public-access-disabled: {enabled: false}
`);
    expect(policies.map((p) => p.id)).not.toContain('endpoint-public-access-disabled');
    expect(results.find((r) => r.policy === 'endpoint-public-cidrs-restricted')).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(results.find((r) => r.policy === 'endpoint-public-cidrs-restricted')?.message).toContain('10.0.0.0/8');
  });

  it('the shipped defaults apply without a configuration', () => {
    const { results } = run('policies: {}\n');
    expect(results.find((r) => r.policy === 'endpoint-public-cidrs-restricted')).toMatchObject({ status: 'pass', severity: 'high' });
  });

  it.each([
    ['an unknown policy', 'policies:\n  no-such-policy: {enabled: false}\n', '<dir>/config.yaml:4:3: policies.no-such-policy: no such policy in'],
    [
      'an unknown parameter',
      'policies:\n  endpoint-public-cidrs-restricted: {parameters: {minPrefix: 8}}\n',
      '<dir>/config.yaml:4:51: policies.endpoint-public-cidrs-restricted.parameters.minPrefix: endpoint-public-cidrs-restricted has no parameter "minPrefix" (it has minIpv4PrefixLength, minIpv6PrefixLength)',
    ],
    [
      'a parameter of the wrong type',
      'policies:\n  endpoint-public-cidrs-restricted: {parameters: {minIpv4PrefixLength: "16"}}\n',
      '<dir>/config.yaml:4:51: policies.endpoint-public-cidrs-restricted.parameters.minIpv4PrefixLength: expected int, got "16"',
    ],
    [
      'a fractional integer parameter',
      'policies:\n  control-plane-subnets-free-ips: {parameters: {minFreeIps: 1.5}}\n',
      '<dir>/config.yaml:4:49: policies.control-plane-subnets-free-ips.parameters.minFreeIps: expected int, got 1.5',
    ],
    [
      'a bad severity',
      'policies:\n  endpoint-public-cidrs-restricted: {severity: urgent}\n',
      '<dir>/config.yaml:4:38: policies.endpoint-public-cidrs-restricted.severity: Invalid option',
    ],
  ])('rejects %s with file, line and field', (_name, text, expected) => {
    expect(errorOf(() => run(text))).toContain(expected);
  });
});
