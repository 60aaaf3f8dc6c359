/** The lease rule both state stores implement (see StateStore in app/ports.ts). */

/** A lease is free, expired, or ours. */
export function leaseAllows(lease: { owner?: string; until?: number } | undefined, owner: string | undefined, now: number): boolean {
  return !lease?.owner || (lease.until ?? 0) <= now || lease.owner === owner;
}
