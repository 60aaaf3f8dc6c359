/**
 * Client-side pacing of one AWS service in one region. AWS throttles every account with token
 * buckets shared with everything else the account runs; a scan that sends as fast as it can
 * burns through its retries in seconds. This limiter is a token bucket whose rate adapts like
 * TCP (AIMD): it starts at the configured rate, cuts it by `decrease` on a throttling error and
 * climbs back by `increasePerSecond` while calls succeed, never above the ceiling. Callers wait in
 * one FIFO queue, so a throttle becomes waiting instead of a failure.
 */
import { TimeBudgetExceededError, type TimeBudget } from './time-budget.js';

export interface RateLimit {
  /** Most requests per second ever sent to the service in one region. */
  ceiling: number;
  /** Rate at start (default: the ceiling). */
  initial?: number;
  /** Lowest rate AIMD backs off to (default: ceiling / 20, at least 0.2/s). */
  floor?: number;
  /** Factor applied to the rate on a throttling error (default 0.85). */
  decrease?: number;
  /** Requests/s added per second without throttling (default: ceiling / 10). */
  increasePerSecond?: number;
  /** Requests that may be sent at once after a quiet period (default: one second's worth). */
  burstSeconds?: number;
}

export interface LimiterStats {
  /** Requests let through. */
  acquired: number;
  /** Throttling errors reported back. */
  throttles: number;
  /** Times the rate was cut. */
  decreases: number;
  /** Total and longest time callers waited, ms. */
  waitedMs: number;
  maxWaitMs: number;
  rate: number;
  minRate: number;
  /** Kept by the retry strategy of the clients this limiter paces. */
  throttleRetries: number;
  transientRetries: number;
  gaveUp: number;
}

interface Waiter {
  enqueuedAt: number;
  budget: TimeBudget | undefined;
  resolve: (reservedAt: number) => void;
  reject: (error: Error) => void;
}

/** Throttles reported within this long of the last cut do not cut again (one cut per burst of throttles). */
const MIN_DECREASE_INTERVAL_MS = 200;
/** After a cut the rate holds this long before it climbs again. */
const HOLD_AFTER_DECREASE_MS = 1000;

export class RateLimiter {
  private readonly ceiling: number;
  private readonly floor: number;
  private readonly decreaseFactor: number;
  private readonly increasePerSecond: number;
  private readonly burstSeconds: number;
  private rate: number;
  private tokens: number;
  private updatedAt: number;
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;
  private readonly queue: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  readonly stats: LimiterStats;

  constructor(
    readonly name: string,
    limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    if (!(limit.ceiling > 0)) throw new Error(`rate limit ${name}: the ceiling must be a positive number of requests per second, got ${limit.ceiling}`);
    this.ceiling = limit.ceiling;
    this.floor = Math.min(this.ceiling, limit.floor ?? Math.max(0.2, this.ceiling / 20));
    this.decreaseFactor = limit.decrease ?? 0.85;
    this.increasePerSecond = limit.increasePerSecond ?? this.ceiling / 10;
    this.burstSeconds = limit.burstSeconds ?? 1;
    this.rate = Math.min(this.ceiling, Math.max(this.floor, limit.initial ?? this.ceiling));
    this.tokens = this.capacity();
    this.updatedAt = this.now();
    this.stats = { acquired: 0, throttles: 0, decreases: 0, waitedMs: 0, maxWaitMs: 0, rate: this.rate, minRate: this.rate, throttleRetries: 0, transientRetries: 0, gaveUp: 0 };
  }

  get currentRate(): number {
    return this.rate;
  }

  /**
   * Waits for a send slot; resolves with the time it was granted (pass it to `onThrottle`).
   * Rejects at once when the slot cannot come before the budget's deadline.
   */
  acquire(budget?: TimeBudget): Promise<number> {
    this.refill();
    const expectedWaitMs = ((this.queue.length + 1 - this.tokens) / this.rate) * 1000;
    // The budget keeps its own clock (a test may fake it): compare durations, not times.
    if (budget && Math.max(0, expectedWaitMs) >= budget.remaining()) {
      return Promise.reject(new TimeBudgetExceededError(`${this.name}: no request slot before the time budget ends`));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ enqueuedAt: this.now(), budget, resolve, reject });
      this.pump();
    });
  }

  /** A throttling error for a request granted at `grantedAt`. */
  onThrottle(grantedAt: number): void {
    this.stats.throttles++;
    this.refill();
    // The server's bucket is empty: spend nothing saved up.
    this.tokens = Math.min(this.tokens, 0);
    // Requests granted before the last cut were sent at the old rate: their throttles say nothing new.
    const now = this.now();
    if (grantedAt >= this.lastDecreaseAt && now - this.lastDecreaseAt >= MIN_DECREASE_INTERVAL_MS) {
      this.rate = Math.max(this.floor, this.rate * this.decreaseFactor);
      this.lastDecreaseAt = now;
      this.stats.decreases++;
      this.stats.minRate = Math.min(this.stats.minRate, this.rate);
    }
    this.stats.rate = this.rate;
    this.reschedule();
  }

  private capacity(): number {
    return Math.max(1, this.rate * this.burstSeconds);
  }

  private refill(): void {
    const now = this.now();
    const seconds = Math.max(0, now - this.updatedAt) / 1000;
    this.updatedAt = now;
    if (seconds === 0) return;
    this.tokens = Math.min(this.capacity(), this.tokens + seconds * this.rate);
    // Additive increase: only once the last cut's burst of throttles has passed.
    if (now - this.lastDecreaseAt >= HOLD_AFTER_DECREASE_MS) this.rate = Math.min(this.ceiling, this.rate + seconds * this.increasePerSecond);
    this.stats.rate = this.rate;
  }

  private pump(): void {
    this.timer = undefined;
    this.refill();
    const now = this.now();
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (head.budget?.expired()) {
        this.queue.shift();
        head.reject(new TimeBudgetExceededError(`${this.name}: no request slot before the time budget ended`));
        continue;
      }
      if (this.tokens < 1) break;
      this.tokens -= 1;
      this.queue.shift();
      const waited = now - head.enqueuedAt;
      this.stats.acquired++;
      this.stats.waitedMs += waited;
      this.stats.maxWaitMs = Math.max(this.stats.maxWaitMs, waited);
      head.resolve(now);
    }
    if (this.queue.length > 0) this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    const waitMs = Math.max(1, Math.ceil(((1 - this.tokens) / this.rate) * 1000));
    // Not unref'd: a queued caller is pending work that must keep the process alive.
    this.timer = setTimeout(() => this.pump(), waitMs);
  }

  private reschedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length > 0) this.schedule();
  }
}

/** Per service and region, the ceiling in requests per second. */
export type RateCeilings = Readonly<Record<string, number>>;

/**
 * Default ceilings (requests per second, per region): at or below the refill rates AWS documents
 * or that accounts commonly see for these read APIs (EC2 documents 20/s for non-mutating
 * actions). The limiter backs off below them whenever the account's own tools share the bucket.
 */
export const DEFAULT_RATE_CEILINGS: RateCeilings = { eks: 10, ec2: 20, iam: 10, sts: 10, dynamodb: 100, sns: 30, config: 10 };

/** One limiter per service and region (IAM is global: one limiter for every region). */
export class RateLimiters {
  private readonly limiters = new Map<string, RateLimiter>();

  constructor(
    private readonly ceilings: RateCeilings = DEFAULT_RATE_CEILINGS,
    private readonly now: () => number = Date.now,
  ) {}

  for(service: string, region: string): RateLimiter {
    const scope = service === 'iam' ? 'global' : region;
    const key = `${service}:${scope}`;
    const existing = this.limiters.get(key);
    if (existing) return existing;
    const ceiling = this.ceilings[service] ?? DEFAULT_RATE_CEILINGS[service] ?? 10;
    const limiter = new RateLimiter(key, { ceiling }, this.now);
    this.limiters.set(key, limiter);
    return limiter;
  }

  all(): RateLimiter[] {
    return [...this.limiters.values()];
  }
}

/**
 * Parses `EKSGUARD_RATE_LIMITS`, e.g. `eks=10,ec2=20,iam=5`: requests per second per service and
 * region. Services not named keep their default.
 */
export function parseRateCeilings(value: string | undefined, source = 'EKSGUARD_RATE_LIMITS'): RateCeilings {
  const ceilings: Record<string, number> = { ...DEFAULT_RATE_CEILINGS };
  for (const part of (value ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([a-z0-9-]+)=(\d+(\.\d+)?)$/.exec(part);
    const rate = match ? Number(match[2]) : Number.NaN;
    if (!match || !(rate > 0)) {
      throw new Error(`${source}: expected service=requests-per-second pairs such as "eks=10,ec2=20", got "${part}"`);
    }
    ceilings[match[1]!] = rate;
  }
  return ceilings;
}
