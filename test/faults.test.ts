/**
 * A fast subset of the fault matrix (`npm run test:faults` runs all of it): one fault of each
 * kind, each compared with the fault-free run of the simulated account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMatrix, startFaultBench, type FaultBench } from './faults/fault-matrix.js';
import { FAST_ROWS, FAULT_ROWS } from './faults/fault-rows.js';

let bench: FaultBench;
beforeAll(async () => {
  // A generous deadline: on a loaded machine a slow row is load, not a hang (npm run test:faults keeps 45 s).
  bench = await startFaultBench({ deadlineMs: 90_000 });
});
afterAll(() => bench?.close());

describe('fault matrix (fast subset)', () => {
  it('the fault-free run has results and alerts to compare with', () => {
    expect(bench.baseline.results.size).toBeGreaterThan(100);
    expect(bench.baseline.alerts.length).toBeGreaterThan(5);
  });

  for (const id of FAST_ROWS) {
    const row = FAULT_ROWS.find((r) => r.id === id)!;
    it(`${id}: no false pass, lost result, crash, hang, duplicate or lost alert`, async () => {
      const outcome = await bench.run(row);
      expect(outcome.problems, renderMatrix([outcome])).toEqual([]);
      expect(outcome).toMatchObject({ ok: true, falsePasses: 0, lost: 0, wrong: 0, crashes: 0, hangs: 0, duplicateAlerts: 0, lostAlerts: 0 });
      // Every (policy, cluster) result of every run is there (fewer only when the fault deleted a cluster).
      if (row.truthAfterFault) expect(outcome.results).toBeGreaterThan(0);
      else expect(outcome.results).toBe(bench.baseline.results.size * (row.runs?.count ?? 1));
    }, 180_000);
  }
});
