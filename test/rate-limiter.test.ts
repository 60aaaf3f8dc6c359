/**
 * The limiter turns throttling into waiting: real SDK clients against an in-memory EKS endpoint
 * with the account's token bucket, under fake timers (virtual time, so the figures are exact and
 * the test does not depend on the machine's speed).
 */
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mapLimit } from '../functions/collect/concurrency.js';
import { RateLimiter, parseRateCeilings } from '../functions/collect/rate-limiter.js';
import { classifyError, PacedRetryStrategy } from '../functions/collect/retry.js';
import { TimeBudget } from '../functions/collect/time-budget.js';
import { TimedRequestHandler } from '../functions/collect/timed-request-handler.js';
import { FakeEksEndpoint } from './support/fake-eks-endpoint.js';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
const names = (n: number) => Array.from({ length: n }, (_, i) => `cluster-${String(i).padStart(4, '0')}`);

/** Runs `work` to completion, advancing virtual time in 10 ms steps; returns its result and the virtual ms it took. */
async function inVirtualTime<T>(work: () => Promise<T>): Promise<{ value: T; elapsedMs: number }> {
  const started = Date.now();
  let settled = false;
  const promise = work().finally(() => {
    settled = true;
  });
  while (!settled) await vi.advanceTimersToNextTimerAsync();
  return { value: await promise, elapsedMs: Date.now() - started };
}

/** An EKS client paced by `limiter`, talking to `endpoint`, as the collector builds it. */
function pacedClient(endpoint: FakeEksEndpoint, limiter: RateLimiter): EKSClient {
  const budget = new TimeBudget();
  return new EKSClient({
    region: 'us-east-1',
    credentials,
    endpoint: 'http://127.0.0.1:9',
    retryStrategy: new PacedRetryStrategy(limiter, budget),
    requestHandler: new TimedRequestHandler(endpoint, budget),
  });
}

async function describeAll(eks: EKSClient, clusters: string[]) {
  return mapLimit(clusters, 32, (name) =>
    eks.send(new DescribeClusterCommand({ name })).then(
      () => 'ok' as const,
      (e: Error) => e.name,
    ),
  );
}

describe('rate limiter', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('turns an account bucket 4x slower than the ceiling into waiting: every call succeeds, near the rate bound', async () => {
    const endpoint = new FakeEksEndpoint({ burst: 20, refillPerSecond: 10, latencyMs: 30 });
    const limiter = new RateLimiter('eks:us-east-1', { ceiling: 40 });
    const eks = pacedClient(endpoint, limiter);

    const { value: outcomes, elapsedMs } = await inVirtualTime(() => describeAll(eks, names(150)));

    expect(outcomes.filter((o) => o !== 'ok')).toEqual([]);
    expect(endpoint.throttled).toBeGreaterThan(0);
    expect(limiter.stats.decreases).toBeGreaterThan(0);
    expect(limiter.currentRate).toBeLessThan(40);
    // Rate bound: (calls - burst) / refill = 13 s. Waiting, not failing, and not much slower than the bound.
    const rateBoundMs = ((150 - 20) / 10) * 1000;
    expect(elapsedMs).toBeGreaterThanOrEqual(rateBoundMs);
    expect(elapsedMs).toBeLessThan(rateBoundMs * 1.3);
    // Throttles cost a bounded share of the calls, not a storm.
    expect(endpoint.throttled).toBeLessThan(150 * 0.3);
  });

  it('where the SDK standard strategy, unpaced, leaves calls failing with the throttling error', async () => {
    const endpoint = new FakeEksEndpoint({ burst: 20, refillPerSecond: 10, latencyMs: 30 });
    const eks = new EKSClient({ region: 'us-east-1', credentials, endpoint: 'http://127.0.0.1:9', requestHandler: endpoint });

    const { value: outcomes } = await inVirtualTime(() => describeAll(eks, names(300)));

    expect(outcomes.filter((o) => o === 'TooManyRequestsException').length).toBeGreaterThan(0);
  });

  it('keeps the retry quota for real faults: a 500 after a throttling storm is still retried', async () => {
    // 120 throttles would cost the SDK standard quota 600 > 500 tokens; they cost this strategy nothing.
    const serverErrors = new Map([['cluster-0024', 1]]);
    const endpoint = new FakeEksEndpoint({ burst: 1, refillPerSecond: 5, latencyMs: 30, serverErrors });
    const limiter = new RateLimiter('eks:us-east-1', { ceiling: 50, decrease: 0.99, increasePerSecond: 50 });
    const eks = pacedClient(endpoint, limiter);

    const { value: outcomes } = await inVirtualTime(() => describeAll(eks, names(25)));

    expect(endpoint.throttled).toBeGreaterThan(120);
    expect(endpoint.serverErrors).toBe(1);
    expect(outcomes.filter((o) => o !== 'ok')).toEqual([]);
  });

  it('stops waiting at the time budget: a call that cannot get a slot before the deadline fails at once', async () => {
    const limiter = new RateLimiter('eks:us-east-1', { ceiling: 1, burstSeconds: 1 });
    const budget = new TimeBudget().startFor(2_500);
    const { value: granted } = await inVirtualTime(async () => {
      const first = await limiter.acquire(budget); // the one token of the burst
      const second = await limiter.acquire(budget); // 1 s later
      const third = await limiter.acquire(budget); // 2 s later
      return [first, second, third];
    });
    expect(granted.map((t) => t - granted[0]!)).toEqual([0, 1000, 2000]);
    await expect(limiter.acquire(budget)).rejects.toThrow(/no request slot before the time budget ends/);
  });
});

describe('error classification', () => {
  it('separates throttling, transient faults (including a 200 whose body does not parse) and the rest', () => {
    const sdkError = (name: string, status: number, message = '') => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
    expect(classifyError(sdkError('TooManyRequestsException', 429))).toBe('throttling');
    expect(classifyError(sdkError('ThrottlingException', 429))).toBe('throttling');
    expect(classifyError(sdkError('RequestLimitExceeded', 503))).toBe('throttling');
    expect(classifyError(sdkError('Throttling', 400))).toBe('throttling');
    expect(classifyError(sdkError('ServerException', 500))).toBe('transient');
    expect(classifyError(sdkError('Unavailable', 503))).toBe('transient');
    expect(classifyError(sdkError('SyntaxError', 200, 'Unterminated string in JSON\n  Deserialization error'))).toBe('transient');
    expect(classifyError(Object.assign(new Error('timed out'), { name: 'TimeoutError', code: 'ETIMEDOUT' }))).toBe('transient');
    expect(classifyError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe('transient');
    expect(classifyError(sdkError('AccessDeniedException', 403))).toBe('permanent');
    expect(classifyError(sdkError('ResourceNotFoundException', 404))).toBe('permanent');
    expect(classifyError(Object.assign(new Error('budget'), { name: 'TimeBudgetExceededError' }))).toBe('permanent');
  });

  it('reads EKSGUARD_RATE_LIMITS and names a bad entry', () => {
    expect(parseRateCeilings('eks=5, ec2=40')).toMatchObject({ eks: 5, ec2: 40, iam: 10 });
    expect(() => parseRateCeilings('eks=fast')).toThrow(/EKSGUARD_RATE_LIMITS: expected service=requests-per-second pairs .* got "eks=fast"/);
  });
});
