/**
 * Where cluster records live between scans (DynamoDB in AWS, a JSON file locally). Every write
 * is conditional on the version that was read, so overlapping scans never both publish and
 * never overwrite each other. A lease marks a record whose news is being published.
 */
import type { ClusterKey, ClusterRecord } from '../core/drift/record.js';

/** Another scan got there first (version moved, or it holds the lease). */
export class StateConflictError extends Error {
  constructor(readonly key: ClusterKey) {
    super(`state of ${key.account}/${key.region}/${key.cluster} was changed by another scan`);
    this.name = 'StateConflictError';
  }
}

export interface StateStore {
  /** Every record of an account and region, deleted clusters included (until they expire). */
  loadRegion(account: string, region: string): Promise<ClusterRecord[]>;
  /**
   * Takes the lease on a cluster's record if it still has `expectedVersion` (undefined: no record)
   * and no unexpired lease; returns the version to pass to `save`.
   */
  acquireLease(key: ClusterKey, expectedVersion: number | undefined, owner: string, until: Date): Promise<number>;
  /** Gives a lease back without changing the record (its news will be published again). */
  releaseLease(key: ClusterKey, owner: string): Promise<void>;
  /**
   * Stores the record (version becomes expectedVersion + 1) if the store still holds
   * `expectedVersion` and either no unexpired lease or the lease of `leaseOwner`.
   */
  save(record: ClusterRecord, expectedVersion: number | undefined, leaseOwner?: string): Promise<void>;
  /**
   * Claims a named piece of work (e.g. collecting one cluster for the Config rules) until `until`;
   * false when another owner holds an unexpired claim. Claims live apart from the records.
   */
  claim(scope: { account: string; region: string }, name: string, owner: string, until: Date): Promise<boolean>;
  releaseClaim(scope: { account: string; region: string }, name: string, owner: string): Promise<void>;
}

/** The lease rule both stores implement: free, expired, or ours. */
export function leaseAllows(lease: { owner?: string; until?: number } | undefined, owner: string | undefined, now: number): boolean {
  return !lease?.owner || (lease.until ?? 0) <= now || lease.owner === owner;
}
