/**
 * The demo world: each cluster shows exactly the failures it was built to show (README lists
 * them), and together the clusters exercise every shipped policy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_DIR } from '../functions/cli/paths.js';
import { loadPolicies } from '../functions/policy-files/load-policies.js';
import type { ScanReport } from '../functions/core/report/report.js';
import { loadDemoWorld, runCli, simulatorEnv } from './demo/run-demo.js';
import { startSimulator, type Simulator } from './simulator/server.js';
import { DEMO_FAILURES } from './demo/demo-failures.js';

let simulator: Simulator;
let report: ScanReport;
let exitCode: number;

beforeAll(async () => {
  // Any day: the demo moves the world's support dates along with the clock.
  simulator = await startSimulator({ world: await loadDemoWorld() });
  const { code, stdout } = await runCli(['scan', '--region', 'us-east-1', '--format', 'json', '--quiet'], simulatorEnv(simulator.url));
  exitCode = code;
  report = JSON.parse(stdout) as ScanReport;
});
afterAll(() => simulator?.close());

describe('the demo world', () => {
  it.each(Object.entries(DEMO_FAILURES))('%s fails exactly what it was built to show', (cluster, expected) => {
    const results = report.results.filter((r) => r.cluster === cluster);
    expect(results.length).toBeGreaterThan(0);
    expect(
      results
        .filter((r) => r.status === 'fail')
        .map((r) => r.policy)
        .sort(),
    ).toEqual(expected);
    expect(results.filter((r) => r.status === 'error')).toEqual([]);
  });

  it('exercises every shipped policy, and nothing else is in it', () => {
    const shown = new Set(Object.values(DEMO_FAILURES).flat());
    expect([...shown].sort()).toEqual(
      loadPolicies(DEFAULT_POLICY_DIR)
        .map((p) => p.id)
        .sort(),
    );
    expect(new Set(report.results.map((r) => r.cluster))).toEqual(new Set(Object.keys(DEMO_FAILURES)));
    expect(exitCode).toBe(1);
  });

  it('remediation commands fill in the values their own message names: no placeholder for them', () => {
    // A value the message names (kind: how it appears in the message) may not stay a placeholder
    // in the command; placeholders are left only for what a person chooses (a new subnet, a key).
    const KINDS: [string, RegExp, RegExp][] = [
      ['security group', /\bsg-[0-9a-z]+/, /<(sg-id|cluster-sg|node-sg)>/],
      ['subnet', /\bsubnet-[0-9a-z]+/, /<(subnet-id|subnet-1|subnet-2)>/],
      ['VPC', /\bvpc-[0-9a-z]+/, /<(vpc|vpc-id)>/],
      ['cluster role', /\bcluster role \S+/, /<cluster-role-name>/],
      ['cluster', /\bcluster \S+/, /<cluster>/],
    ];
    const failing = report.results.filter((r) => r.status === 'fail' && r.remediation?.includes(' Run: '));
    expect(failing.length).toBeGreaterThan(15);
    for (const r of failing) {
      const command = r.remediation!.slice(r.remediation!.indexOf(' Run: ') + 6);
      for (const [kind, named, placeholder] of KINDS) {
        if (named.test(r.message)) expect(command, `${r.cluster}/${r.policy}: the message names a ${kind}`).not.toMatch(placeholder);
      }
    }
    const commandOf = (cluster: string, policy: string) => report.results.find((r) => r.cluster === cluster && r.policy === policy)!.remediation!.split(' Run: ')[1];
    expect(commandOf('edge-gateway', 'cluster-sg-no-public-ingress')).toBe(
      "aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-0edge-cluster --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]'",
    );
    expect(commandOf('sandbox', 'cluster-role-eks-policy')).toContain('--role-name sandbox-cluster-role ');
    expect(commandOf('web-frontend', 'nodegroups-private-subnets')).toContain('--subnet-id subnet-0prod-pub-a ');
    expect(commandOf('data-pipeline', 'cluster-node-sg-connectivity')).toBe(
      'aws ec2 authorize-security-group-ingress --region us-east-1 --group-id sg-0pipeline-nodes --protocol tcp --port 10250 --source-group sg-0pipeline-cluster',
    );
  });
});
