/**
 * Retry policy of every AWS client. Errors fall in three kinds:
 * - throttling: the account's bucket is empty. The call waits for the limiter (which slows
 *   down) and is retried for as long as the time budget allows; it costs no retry quota, so a
 *   throttling storm cannot leave the scan without retries for real faults;
 * - transient: 5xx, timeouts, resets, and a 2xx response whose body does not parse (cut short):
 *   full-jitter exponential backoff, a few attempts, paid from a retry quota like the SDK's;
 * - anything else (access denied, not found, validation, the time budget): no retry.
 */
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';
import type { RateLimiter } from './rate-limiter.js';
import { TimeBudget, TimeBudgetExceededError } from './time-budget.js';

export interface RetrySettings {
  /** Attempts per call for transient errors, the first included. */
  maxAttempts: number;
  /** Full-jitter exponential backoff: a random delay up to min(cap, base * 2^retry) ms. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A safety net for a throttling error that never clears (the time budget normally ends it first). */
  maxThrottleRetries: number;
  /** Retry quota for transient errors (the SDK standard strategy's: 500, 5 per retry, 10 per timeout). */
  quota: number;
  retryCost: number;
  timeoutCost: number;
}

export const DEFAULT_RETRY: RetrySettings = {
  maxAttempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 5_000,
  maxThrottleRetries: 200,
  quota: 500,
  retryCost: 5,
  timeoutCost: 10,
};

export type ErrorKind = 'throttling' | 'transient' | 'permanent';

const isTimeout = (error: { name?: string; code?: string }) => error.name === 'TimeoutError' || error.code === 'ETIMEDOUT';

/** How the retry policy treats an error thrown by an SDK call. */
export function classifyError(error: unknown): ErrorKind {
  if (!error || typeof error !== 'object') return 'permanent';
  const e = error as Parameters<typeof isThrottlingError>[0] & { name?: string; code?: string };
  if (e.name === TimeBudgetExceededError.name || e.name === 'AbortError') return 'permanent';
  if (isThrottlingError(e)) return 'throttling';
  if (isTransientError(e) || isServerError(e) || isTimeout(e)) return 'transient';
  // A successful status with an error means the body could not be read or parsed (cut short).
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 200 && status < 300) return 'transient';
  return 'permanent';
}

export function backoffDelay(settings: RetrySettings, retry: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** retry));
}

class PacedToken implements RetryToken {
  retries = 0;
  transientRetries = 0;
  throttleRetries = 0;
  quotaTaken = 0;
  constructor(public grantedAt: number) {}
  getRetryCount(): number {
    return this.retries;
  }
  getRetryDelay(): number {
    // The strategy waits itself (backoff, then the limiter) before handing the token back.
    return 0;
  }
}

/** SDK retry strategy that paces every attempt through a RateLimiter and stops at the time budget. */
export class PacedRetryStrategy implements RetryStrategyV2 {
  private quota: number;

  constructor(
    private readonly limiter: RateLimiter,
    private readonly budget: TimeBudget = new TimeBudget(),
    private readonly settings: RetrySettings = DEFAULT_RETRY,
    private readonly random: () => number = Math.random,
  ) {
    this.quota = settings.quota;
  }

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return new PacedToken(await this.limiter.acquire(this.budget));
  }

  async refreshRetryTokenForRetry(tokenToRenew: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const token = tokenToRenew as PacedToken;
    const kind = classifyError(errorInfo.error);
    if (kind === 'throttling') {
      this.limiter.onThrottle(token.grantedAt);
      if (token.throttleRetries >= this.settings.maxThrottleRetries) return this.giveUp(errorInfo);
      token.throttleRetries++;
      this.limiter.stats.throttleRetries++;
    } else if (kind === 'transient') {
      const cost = isTimeout((errorInfo.error ?? {}) as { name?: string }) ? this.settings.timeoutCost : this.settings.retryCost;
      if (token.transientRetries + 1 >= this.settings.maxAttempts || this.quota < cost) return this.giveUp(errorInfo);
      const delay = backoffDelay(this.settings, token.transientRetries, this.random);
      if (this.budget.remaining() <= delay) return this.giveUp(errorInfo);
      this.quota -= cost;
      token.quotaTaken += cost;
      token.transientRetries++;
      this.limiter.stats.transientRetries++;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    } else {
      return this.giveUp(errorInfo);
    }
    token.retries++;
    token.grantedAt = await this.limiter.acquire(this.budget);
    return token;
  }

  recordSuccess(tokenToRenew: RetryToken): void {
    const token = tokenToRenew as PacedToken;
    // As the SDK's quota: a retried success refunds what it took, a first-attempt success adds 1.
    this.quota = Math.min(this.settings.quota, this.quota + (token.quotaTaken || 1));
    token.quotaTaken = 0;
  }

  private giveUp(errorInfo: RetryErrorInfo): never {
    this.limiter.stats.gaveUp++;
    throw errorInfo.error ?? new Error('retry refused');
  }
}
