/**
 * `npm run bench:retry`: how the retry policies cope with random throttling. Collects a
 * 250-cluster region from the simulator with 30% of calls throttled, under each retry setting,
 * and prints wall time, calls, throttles absorbed and clusters that ended with errors.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { collectRegion } from '../../functions/collect/collect-region.js';
import { DEFAULT_RETRY, retryStrategyFor, type RetrySettings } from '../../functions/collect/retry.js';
import { generateWorld } from '../simulator/generate.js';
import { startSimulator } from '../simulator/server.js';

const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 250);
const THROTTLE = Number(process.env.BENCH_THROTTLE ?? 0.3);

const DEADLINE_S = Number(process.env.BENCH_DEADLINE_S ?? 120);

// Slowest last: a candidate that misses the deadline is abandoned and the process exits after it.
const candidates: { name: string; retry?: Partial<RetrySettings>; sdkDefault?: 'standard' | 'adaptive' }[] = [
  { name: `eksguard default (standard, ${DEFAULT_RETRY.maxAttempts} attempts, ${DEFAULT_RETRY.baseDelayMs}ms full jitter)`, retry: {} },
  { name: 'SDK standard (3 attempts, SDK backoff)', sdkDefault: 'standard' },
  { name: 'adaptive, 10 attempts, same backoff cap', retry: { mode: 'adaptive', maxAttempts: 10 } },
  { name: 'SDK adaptive (3 attempts, client rate limiter)', sdkDefault: 'adaptive' },
];

const simulator = await startSimulator({ world: generateWorld({ clusters: CLUSTERS, instancesPerNodegroup: 1 }) });
const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' };
console.log(`retry benchmark: ${CLUSTERS} clusters, ${Math.round(THROTTLE * 100)}% of calls throttled, concurrency 8\n`);
console.log(['setting', 'seconds', 'calls', 'throttled', 'clusters with errors'].join('\t'));
for (const candidate of candidates) {
  simulator.setFaults({ seed: 11, throttleRate: THROTTLE });
  simulator.clearLog();
  const config = {
    region: 'us-east-1',
    endpoint: simulator.url,
    credentials,
    ...(candidate.sdkDefault ? { retryMode: candidate.sdkDefault } : { retryStrategy: retryStrategyFor(candidate.retry) }),
  };
  const clients = { region: 'us-east-1', eks: new EKSClient(config), ec2: new EC2Client(config), iam: new IAMClient(config) };
  const started = performance.now();
  const outcome = await Promise.race([
    collectRegion(clients, { account: '111122223333', now: new Date(), concurrency: 8 }),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), DEADLINE_S * 1000).unref()),
  ]);
  if (!outcome) {
    console.log([candidate.name, `>${DEADLINE_S} (abandoned)`, simulator.log.length, simulator.log.filter((e) => e.errorCode).length, '-'].join('\t'));
    break;
  }
  const { targets, errors } = outcome;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const withErrors = targets.filter((t) => t.kind === 'unreadable' || Object.keys(t.snapshot.errors).length > 0).length + errors.length;
  const throttled = simulator.log.filter((e) => e.errorCode).length;
  console.log([candidate.name, seconds, simulator.log.length, throttled, withErrors].join('\t'));
}
await simulator.close();
process.exit(0);
