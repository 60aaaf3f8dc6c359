/**
 * The time a scan may spend talking to AWS. A Lambda handler sets the deadline from
 * `context.getRemainingTimeInMillis()` minus what storing and publishing need; the collector
 * stops starting clusters before it, the limiter refuses slots past it and every request is cut
 * off at it. The SDK clients are built once per container and hold the same budget object, so
 * each invocation only moves its deadline.
 */
export class TimeBudget {
  private deadlineMs = Number.POSITIVE_INFINITY;

  constructor(readonly now: () => number = Date.now) {}

  get deadline(): number {
    return this.deadlineMs;
  }

  /** Ends the budget `ms` from now (Infinity: no limit). */
  startFor(ms: number): this {
    this.deadlineMs = this.now() + ms;
    return this;
  }

  /** Ends the budget at `deadlineMs` (on this budget's clock). */
  until(deadlineMs: number): this {
    this.deadlineMs = deadlineMs;
    return this;
  }

  remaining(): number {
    return this.deadlineMs - this.now();
  }

  expired(): boolean {
    return this.remaining() <= 0;
  }
}

export class TimeBudgetExceededError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeBudgetExceededError';
  }
}

/** The reason reported for a cluster the scan did not reach before its deadline. */
export const NOT_SCANNED_TIME_BUDGET = 'not scanned: time budget';
