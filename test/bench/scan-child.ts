/**
 * One benchmark scan, bundled like a Lambda and run in its own process (so its peak RSS is the
 * bundle's, not tsx's): the production collector (rate limiters, retry, timeouts, budget from
 * EKSGUARD_RATE_LIMITS and the defaults), the scan use case, the shipped policies. Prints one
 * JSON line: timings, a digest of every result, clusters in error, limiter figures, peak RSS.
 */
import { createHash } from 'node:crypto';
import { runScan } from '../../functions/app/run-scan.js';
import { createStsClient, regionClientCache, resolveClientOptions } from '../../functions/collect/aws-clients.js';
import { AwsCollector } from '../../functions/collect/aws-collector.js';
import { loadPolicies } from '../../functions/policy-files/load-policies.js';

async function main(): Promise<void> {
  const env = process.env;
  const region = env.BENCH_REGION ?? 'us-east-1';
  const started = performance.now();
  const policies = loadPolicies(env.BENCH_POLICY_DIR ?? 'policies');
  const aws = resolveClientOptions();
  const collector = new AwsCollector(regionClientCache(aws), createStsClient(region, aws), aws.budget);
  const now = new Date(env.BENCH_NOW ?? '2026-06-01T00:00:00Z');
  const budgetMs = Number(env.BENCH_BUDGET_MS ?? 'Infinity');

  const scanStarted = performance.now();
  const cpuAtStart = process.cpuUsage();
  let collectedAt = 0;
  let cpuCollected: NodeJS.CpuUsage | undefined;
  const outcome = await runScan(
    {
      regions: [region],
      policies,
      now,
      concurrency: Number(env.BENCH_CONCURRENCY ?? 32),
      ...(Number.isFinite(budgetMs) ? { deadline: new Date(Date.now() + budgetMs) } : {}),
      onProgress: (message) => {
        if (message.endsWith('collected')) {
          collectedAt = performance.now();
          cpuCollected = process.cpuUsage(cpuAtStart);
        }
      },
    },
    { collector },
  );
  const finished = performance.now();
  const cpuMs = (usage: NodeJS.CpuUsage | undefined) => (usage ? (usage.user + usage.system) / 1000 : 0);
  const cpu = process.cpuUsage(cpuAtStart);

  const rows = outcome.results.map((r) => [r.cluster, r.policy, r.status, r.message].join('\t')).sort();
  const clustersInError = new Set(outcome.results.filter((r) => r.status === 'error').map((r) => r.cluster));
  const limiters = aws.limiters.all().map((l) => ({ name: l.name, ...l.stats }));
  process.stdout.write(
    `${JSON.stringify({
      setupMs: scanStarted - started,
      wallMs: finished - scanStarted,
      collectMs: (collectedAt || finished) - scanStarted,
      // CPU time of the scan (both phases), next to its wall time: how much of the wall is this process working.
      cpuMs: cpuMs(cpu),
      collectCpuMs: cpuMs(cpuCollected ?? cpu),
      results: rows.length,
      digest: createHash('sha256').update(rows.join('\n')).digest('hex'),
      clusters: new Set(outcome.results.map((r) => r.cluster)).size,
      clustersInError: clustersInError.size,
      errorSample: outcome.results.find((r) => r.status === 'error')?.message ?? outcome.errors[0]?.message ?? null,
      regionErrors: outcome.errors.length,
      retries: limiters.reduce((n, l) => n + l.throttleRetries + l.transientRetries, 0),
      limiters,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    })}\n`,
  );
}

// CommonJS (like the Lambda bundles): no top-level await.
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
