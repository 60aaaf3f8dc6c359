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
    expect(results.filter((r) => r.status === 'fail').map((r) => r.policy).sort()).toEqual(expected);
    expect(results.filter((r) => r.status === 'error')).toEqual([]);
  });

  it('exercises every shipped policy, and nothing else is in it', () => {
    const shown = new Set(Object.values(DEMO_FAILURES).flat());
    expect([...shown].sort()).toEqual(loadPolicies(DEFAULT_POLICY_DIR).map((p) => p.id).sort());
    expect(new Set(report.results.map((r) => r.cluster))).toEqual(new Set(Object.keys(DEMO_FAILURES)));
    expect(exitCode).toBe(1);
  });
});
