/**
 * `npm run bench:eval`: policy evaluations per second for the full shipped catalog on 1,000
 * snapshots, on one core (Node's main thread). Expressions are compiled once, at load.
 *
 * The first pass is what one scan sees (V8 has not optimised the CEL interpreter yet); V8 needs
 * a few passes to settle, so WARMUP passes run before the ROUNDS that are measured, and both
 * figures are printed.
 */
import { availableParallelism, loadavg } from 'node:os';
import { DEFAULT_POLICY_DIR } from '../../functions/cli/paths.js';
import { evaluateTargets } from '../../functions/core/policy/evaluate.js';
import { loadPolicies } from '../../functions/policy-files/load-policies.js';
import { mergePatch } from '../../functions/core/policy/policy-tests.js';
import { loadBaseSnapshot } from '../../functions/policy-files/policy-cases.js';
import { ClusterSnapshot } from '../../functions/core/snapshot/schema.js';
import type { ScanTarget } from '../../functions/core/snapshot/target.js';

const SNAPSHOTS = Number(process.env.BENCH_SNAPSHOTS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 4);

const loadStart = performance.now();
const policies = loadPolicies(DEFAULT_POLICY_DIR);
const loadMs = performance.now() - loadStart;

// Varied snapshots: public/private endpoints, allowlists, DNS flags, subnet sizes.
const base = loadBaseSnapshot(DEFAULT_POLICY_DIR);
const targets: ScanTarget[] = Array.from({ length: SNAPSHOTS }, (_, i) => ({
  kind: 'snapshot',
  snapshot: ClusterSnapshot.parse(
    mergePatch(base, {
      cluster: {
        name: `cluster-${String(i).padStart(4, '0')}`,
        endpoint: { publicAccess: i % 2 === 0, privateAccess: i % 3 !== 0, publicAccessCidrs: i % 4 === 0 ? ['0.0.0.0/0'] : ['198.51.100.0/24', '203.0.113.0/24'] },
      },
      vpc: { enableDnsHostnames: i % 5 !== 0 },
      subnets: { 'subnet-a': { availableIpAddressCount: i % 50 } },
    }),
  ),
}));
const now = new Date(base.collectedAt);

const pass = () => {
  const start = performance.now();
  const results = evaluateTargets(policies, targets, { now });
  return results.length / ((performance.now() - start) / 1000);
};
const first = pass();
for (let round = 1; round < WARMUP; round++) pass();
const rates: number[] = [];
for (let round = 0; round < ROUNDS; round++) rates.push(pass());
rates.sort((a, b) => a - b);
const median = rates[Math.floor(rates.length / 2)]!;
console.log(`policies: ${policies.length} (loaded and compiled in ${loadMs.toFixed(0)} ms)`);
console.log(`snapshots: ${SNAPSHOTS}, warm-up passes: ${WARMUP}, measured rounds: ${ROUNDS}, load average ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores`);
console.log(
  `evaluations per second (policy x cluster), one core: median ${Math.round(median).toLocaleString('en-US')}, min ${Math.round(rates[0]!).toLocaleString('en-US')}, max ${Math.round(rates.at(-1)!).toLocaleString('en-US')}`,
);
console.log(`first pass (one scan, V8 not warmed up): ${Math.round(first).toLocaleString('en-US')}`);
console.log(`target 50,000/s (measured rounds' median): ${median >= 50_000 ? 'met' : 'NOT met'}`);
