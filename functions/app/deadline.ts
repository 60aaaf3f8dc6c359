/**
 * When a Lambda invocation must stop collecting: what the invocation has left
 * (context.getRemainingTimeInMillis()) minus what storing, publishing and reporting need
 * (EKSGUARD_TIME_RESERVE_SECONDS, default 60 s), and never more than a quarter of what is left,
 * so that a short invocation still scans something.
 */
export const DEFAULT_TIME_RESERVE_SECONDS = 60;

export interface RemainingTime {
  getRemainingTimeInMillis(): number;
}

export function collectionDeadline(now: Date, context: RemainingTime | undefined, reserveSeconds = DEFAULT_TIME_RESERVE_SECONDS): Date | undefined {
  const remaining = context?.getRemainingTimeInMillis?.();
  if (remaining === undefined || !Number.isFinite(remaining)) return undefined;
  const reserve = Math.min(reserveSeconds * 1000, remaining / 4);
  return new Date(now.getTime() + Math.max(0, remaining - reserve));
}
