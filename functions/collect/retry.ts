/**
 * Retry policy for throttled read-heavy scans. `npm run bench:retry` measures the choices
 * against the simulator's random throttling; the defaults below are what it supports
 * (see README "Throttling").
 */
import { AdaptiveRetryStrategy, ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { RetryStrategyV2 } from '@smithy/types';

export interface RetrySettings {
  mode: 'standard' | 'adaptive';
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** Full-jitter exponential backoff: a random delay up to min(cap, base * 2^attempt) ms. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetrySettings = { mode: 'standard', maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 5_000 };

export function backoffDelay(settings: RetrySettings, attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** attempt));
}

export function retryStrategyFor(overrides: Partial<RetrySettings> = {}): RetryStrategyV2 {
  const settings = { ...DEFAULT_RETRY, ...overrides };
  if (settings.mode === 'adaptive') return new AdaptiveRetryStrategy(async () => settings.maxAttempts);
  return new ConfiguredRetryStrategy(settings.maxAttempts, (attempt) => backoffDelay(settings, attempt));
}
