/**
 * One in-process scan of the demo world (the simulated account of `npm run demo`): the JSON
 * report and the snapshots it was computed from, for tests of renderings that draw them.
 */
import { runScan } from '../../functions/app/run-scan.js';
import { awsCollector } from '../../functions/wiring.js';
import { DEFAULT_POLICY_DIR } from '../../functions/cli/paths.js';
import { loadPolicySet } from '../../functions/policy-files/policy-set.js';
import { buildReport, type ScanReport } from '../../functions/core/report/report.js';
import type { ScanTarget } from '../../functions/core/snapshot/target.js';
import { loadDemoWorld } from '../demo/run-demo.js';
import { startSimulatedAws } from './simulated-aws.js';
import { policyInfo, type PolicyInfo } from '../../functions/core/report/policy-info.js';

export async function scanDemoWorld(now = new Date()): Promise<{ report: ScanReport; targets: ScanTarget[]; policies: PolicyInfo[] }> {
  const aws = await startSimulatedAws(await loadDemoWorld(now));
  try {
    const { policies, exceptions } = loadPolicySet({ policyDir: DEFAULT_POLICY_DIR });
    const scan = await runScan({ regions: ['us-east-1'], policies, exceptions, now }, { collector: awsCollector('us-east-1') });
    return { report: buildReport(scan), targets: scan.targets, policies: policies.map(policyInfo) };
  } finally {
    await aws.close();
  }
}
