/**
 * The Security Hub export end to end: `eksguard scan --state --security-hub` against the
 * simulated account (BatchImportFindings over its restJson1 wire protocol), scan after scan.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../functions/core/report/report.js';
import { AsffFindingSchema } from '../asff-schema.js';
import { DEMO_CHANGES, loadDemoWorld, runCli, simulatorEnv } from '../demo/run-demo.js';
import { startSimulator, type Simulator } from '../simulator/server.js';

let simulator: Simulator;
let stateFile: string;
const PRODUCT = 'arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default';
const stored = (cluster: string, policy: string) => simulator.findings.get(`${PRODUCT}|eksguard/111122223333/us-east-1/${cluster}/${policy}`);

beforeAll(async () => {
  simulator = await startSimulator({ world: await loadDemoWorld() });
  stateFile = join(mkdtempSync(join(tmpdir(), 'eksguard-securityhub-')), 'state.json');
});
afterAll(() => simulator?.close());

async function scan(): Promise<{ report: ScanReport; imports: number; stderr: string }> {
  simulator.clearLog();
  const { stdout, stderr } = await runCli(['scan', '--region', 'us-east-1', '--state', stateFile, '--security-hub', '--format', 'json', '--quiet'], simulatorEnv(simulator.url));
  const imports = simulator.log.filter((e) => e.service === 'securityhub' && e.operation === 'BatchImportFindings').length;
  return { report: JSON.parse(stdout) as ScanReport, imports, stderr };
}

describe('Security Hub export', () => {
  it('the first scan imports one valid finding per result', async () => {
    const { report, imports, stderr } = await scan();
    expect(stderr).toBe('');
    expect(imports).toBeGreaterThan(0);
    expect(simulator.findings.size).toBe(report.results.length);
    for (const r of report.results) {
      const f = stored(r.cluster, r.policy)!;
      expect(f, `${r.cluster}/${r.policy}`).toBeDefined();
      expect(AsffFindingSchema.safeParse(f.finding).success).toBe(true);
      expect(f.finding).toMatchObject({ GeneratorId: r.policy, Resources: [{ Type: 'AwsEksCluster', Id: `arn:aws:eks:us-east-1:111122223333:cluster/${r.cluster}` }] });
    }
    expect(stored('sandbox', 'secrets-encryption-cmk')!.finding).toMatchObject({
      Compliance: { Status: 'FAILED', RelatedRequirements: ['AWS Foundational Security Best Practices v1.0.0/EKS.3', 'CIS Amazon EKS Benchmark/5.3.1'] },
      Severity: { Label: 'MEDIUM' },
      Remediation: { Recommendation: { Url: expect.stringMatching(/^https:\/\/docs\.aws\.amazon\.com\//) } },
    });
    expect(stored('payments-prod', 'secrets-encryption-cmk')!.finding).toMatchObject({ Compliance: { Status: 'PASSED' }, Severity: { Label: 'INFORMATIONAL' } });
  });

  it('a second, unchanged scan imports nothing', async () => {
    const { imports } = await scan();
    expect(imports).toBe(0);
    expect([...simulator.findings.values()].every((f) => f.imports === 1)).toBe(true);
  });

  it('after a change imports only what changed; a resolved finding becomes PASSED and leaves the open views', async () => {
    for (const change of DEMO_CHANGES) change.apply(simulator.world);
    const { report, imports } = await scan();
    expect(imports).toBeGreaterThan(0);
    const updated = [...simulator.findings.entries()].filter(([, f]) => f.imports > 1).map(([key]) => key.split('/').slice(-2).join('/'));
    const news = report.results.filter((r) => r.transition === 'new' || r.transition === 'resolved').map((r) => `${r.cluster}/${r.policy}`);
    expect(updated).toEqual(expect.arrayContaining(news));
    expect(updated.length).toBeLessThan(10);
    expect(stored('ml-training', 'private-endpoint-vpc-dns')!.finding).toMatchObject({ Compliance: { Status: 'PASSED' }, RecordState: 'ARCHIVED' });
    expect(stored('payments-prod', 'cluster-sg-no-public-ingress')!.finding).toMatchObject({
      Compliance: { Status: 'FAILED' },
      RecordState: 'ACTIVE',
      Severity: { Label: 'HIGH' },
    });
    expect(stored('payments-prod', 'cluster-sg-no-public-ingress')!.workflowStatus).toBe('NEW');
    expect((await scan()).imports).toBe(0);
  });

  it('an import that fails is reported and sent again on the next run', async () => {
    simulator.world.regions['us-east-1']!.clusters.find((c) => c.name === 'analytics')!.endpointPrivateAccess = true;
    simulator.setFaults({ rules: [{ service: 'securityhub', operation: 'BatchImportFindings', error: 'AccessDenied' }] });
    const failed = await scan();
    expect(failed.stderr).toMatch(/could not publish the news of analytics: .*securityhub:BatchImportFindings/);
    simulator.setFaults(undefined);
    const retried = await scan();
    expect(retried.imports).toBe(1);
    expect(stored('analytics', 'endpoint-private-access-enabled')!.finding).toMatchObject({ Compliance: { Status: 'PASSED' }, RecordState: 'ARCHIVED' });
  });
});
