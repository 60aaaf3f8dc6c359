/**
 * End to end: the real `eksguard scan` process against the simulated account, through the
 * SDK's wire protocols, with pagination, stale references, throttling and access denial.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, simulatorEnv } from '../demo/run-demo.js';
import { generateWorld } from '../simulator/generate.js';
import { startSimulator, type Simulator } from '../simulator/server.js';
import type { World } from '../simulator/world.js';
import type { ScanReport } from '../../functions/core/report/report.js';

let simulator: Simulator;
let world: World;

async function scan(...args: string[]): Promise<{ code: number; report: ScanReport; stderr: string }> {
  const { code, stdout, stderr } = await runCli(['scan', '--region', 'us-east-1', '--format', 'json', '--quiet', ...args], simulatorEnv(simulator.url));
  try {
    return { code, report: JSON.parse(stdout) as ScanReport, stderr };
  } catch {
    throw new Error(`eksguard printed no JSON report (exit ${code}):\n${stdout}\n${stderr}`);
  }
}

const comparable = (report: ScanReport) => report.results;

beforeAll(async () => {
  world = generateWorld({ clusters: 250, clustersPerVpc: 50, instancesPerNodegroup: 1 });
  simulator = await startSimulator({ world });
});
afterAll(() => simulator?.close());

describe('eksguard scan against the simulated account', () => {
  let baseline: ScanReport;

  it('scans all pages of 250 clusters', async () => {
    simulator.clearLog();
    const { code, report } = await scan();
    baseline = report;
    const clusters = new Set(report.results.map((r) => r.cluster));
    expect(clusters.size).toBe(250);
    expect(report.account).toBe(world.account);
    expect(report.errors).toEqual([]);
    expect(report.results.filter((r) => r.status === 'fail' || r.status === 'error')).toEqual([]);
    expect(code).toBe(0);
    const listCalls = simulator.log.filter((e) => e.operation === 'ListClusters');
    expect(listCalls.length).toBe(3);
    // One collection: no cluster is described twice, EC2 look-ups are batched.
    expect(simulator.log.filter((e) => e.operation === 'DescribeCluster').length).toBe(250);
    expect(simulator.log.filter((e) => e.operation === 'DescribeSubnets').length).toBeLessThanOrEqual(3);
  });

  it('a deleted subnet referenced by one cluster fails that cluster and leaves the others as they were', async () => {
    const region = simulator.world.regions['us-east-1']!;
    const victim = region.clusters[7]!;
    const before = [...victim.subnetIds];
    victim.subnetIds = [...before, 'subnet-0deleted'];
    try {
      const { code, report } = await scan();
      const finding = report.results.find((r) => r.cluster === victim.name && r.policy === 'control-plane-subnets-multi-az');
      expect(finding).toMatchObject({ status: 'fail' });
      expect(finding?.message).toContain('subnet-0deleted');
      const others = (r: ScanReport) => r.results.filter((x) => x.cluster !== victim.name);
      expect(others(report)).toEqual(others(baseline));
      expect(report.results.filter((r) => r.cluster === victim.name && r.policy !== 'control-plane-subnets-multi-az')).toEqual(
        baseline.results.filter((r) => r.cluster === victim.name && r.policy !== 'control-plane-subnets-multi-az'),
      );
      expect(code).toBe(1);
    } finally {
      victim.subnetIds = before;
    }
  });

  it('with 30% of calls throttled the report equals the unthrottled one', async () => {
    simulator.setFaults({ seed: 7, throttleRate: 0.3 });
    simulator.clearLog();
    try {
      const { code, report } = await scan();
      const throttled = simulator.log.filter((e) => e.errorCode && /Throttl|RequestLimitExceeded|TooManyRequests/.test(e.errorCode));
      expect(throttled.length).toBeGreaterThan(100);
      expect(comparable(report)).toEqual(comparable(baseline));
      expect(code).toBe(0);
    } finally {
      simulator.setFaults(undefined);
    }
  });

  it('AccessDenied on one API yields error results for what it feeds, never pass', async () => {
    simulator.setFaults({ rules: [{ service: 'ec2', operation: 'DescribeVpcAttribute', error: 'AccessDenied' }] });
    try {
      const { code, report } = await scan();
      const vpcPolicies = new Set(['private-endpoint-vpc-dns', 'private-endpoint-amazon-dns']);
      const affected = report.results.filter((r) => vpcPolicies.has(r.policy));
      expect(affected).toHaveLength(500);
      expect(affected.every((r) => r.status === 'error' && r.message.includes('ec2:DescribeVpcAttribute'))).toBe(true);
      const rest = report.results.filter((r) => !vpcPolicies.has(r.policy));
      expect(rest).toEqual(baseline.results.filter((r) => !vpcPolicies.has(r.policy)));
      expect(code).toBe(3);
    } finally {
      simulator.setFaults(undefined);
    }
  });

  it('a cluster whose DescribeCluster is denied gets error results and the others are scanned', async () => {
    const name = simulator.world.regions['us-east-1']!.clusters[3]!.name;
    simulator.setFaults({ rules: [{ service: 'eks', operation: 'DescribeCluster', match: { name }, error: 'AccessDenied' }] });
    try {
      const { report } = await scan();
      const own = report.results.filter((r) => r.cluster === name);
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((r) => r.status === 'error' && r.message.includes('AccessDeniedException'))).toBe(true);
      expect(report.results.filter((r) => r.cluster !== name)).toEqual(baseline.results.filter((r) => r.cluster !== name));
    } finally {
      simulator.setFaults(undefined);
    }
  });

  it('honours per-service AWS_ENDPOINT_URL_<SERVICE> over AWS_ENDPOINT_URL', async () => {
    const env: NodeJS.ProcessEnv = { ...simulatorEnv(simulator.url), AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
    for (const service of ['EKS', 'EC2', 'IAM', 'STS']) env[`AWS_ENDPOINT_URL_${service}`] = simulator.url;
    const { code, stdout } = await runCli(['scan', '--region', 'us-east-1', '--format', 'json', '--quiet', '--cluster', baseline.results[0]!.cluster], env);
    const report = JSON.parse(stdout) as ScanReport;
    expect(report.results).toEqual(baseline.results.filter((r) => r.cluster === baseline.results[0]!.cluster));
    expect(code).toBe(0);
  });

  it('stdout carries only the report; bad usage exits 2 with a message on stderr', async () => {
    const { code, stdout, stderr } = await runCli(['scan', '--region', 'us-east-1', '--fail-on', 'severe'], simulatorEnv(simulator.url));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      "eksguard scan: option '--fail-on <severity>' argument 'severe' is invalid. Allowed choices are critical, high, medium, low, info. See 'eksguard scan --help'.\n",
    );
  });

  it('bad input exits 2 naming the file or option before any AWS call, and a foreign state file is left as it was', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'eksguard-input-'));
    const corrupt = join(folder, 'state.json');
    writeFileSync(corrupt, '{"eksguardState": 1, "records": {');
    const foreign = join(folder, 'terraform.tfstate');
    writeFileSync(foreign, '{"version": 4, "terraform_version": "1.9.0"}');
    const cases: [string[], string][] = [
      [['--state', corrupt], `--state ${corrupt}: not an eksguard state file: it is not JSON`],
      [['--state', foreign, '--print-messages'], `--state ${foreign}: not an eksguard state file`],
      [['--state', join(folder, 'missing', 'state.json')], 'is not a writable folder'],
      [['--region', 'europe'], '--region: "europe" is not an AWS region'],
      [['--cluster', 'no spaces'], '--cluster: "no spaces" is not an EKS cluster name'],
    ];
    for (const [args, message] of cases) {
      simulator.clearLog();
      const { code, stdout, stderr } = await runCli(['scan', '--region', 'us-east-1', '--quiet', ...args], simulatorEnv(simulator.url));
      expect({ args, code, stdout, message: stderr.includes(message) }).toEqual({ args, code: 2, stdout: '', message: true });
      expect(stderr).not.toContain('    at ');
      expect(simulator.log).toEqual([]);
    }
    expect(readFileSync(corrupt, 'utf8')).toBe('{"eksguardState": 1, "records": {');
    expect(readFileSync(foreign, 'utf8')).toBe('{"version": 4, "terraform_version": "1.9.0"}');
  });
});
