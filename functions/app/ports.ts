/**
 * What the use cases need from the world, owned by the use cases: adapters (collect/, state/,
 * publishers/) implement these and import nothing else from app/; the use cases import no
 * adapter. functions/wiring.ts builds the AWS and local adapters.
 */
import type { ConfigEvaluation } from '../core/aws-config/evaluations.js';
import type { ClusterKey, ClusterRecord } from '../core/drift/record.js';
import type { ClusterOutcome, News } from '../core/drift/track.js';
import type { RegionDigest } from '../core/notification/digest.js';
import type { ScanError } from '../core/results.js';
import type { AsffFinding } from '../core/securityhub/asff.js';
import type { ScanTarget } from '../core/snapshot/target.js';

export type { News } from '../core/drift/track.js';
export type { RegionDigest } from '../core/notification/digest.js';

// --- Collector ----------------------------------------------------------------------------------

export interface CollectRequest {
  /** The account the clusters belong to (the caller's). */
  account: string;
  now: Date;
  /** Clusters read in parallel. */
  concurrency?: number;
  /** Only these clusters (an event-triggered scan); default every cluster of the region. */
  clusterNames?: readonly string[];
  /** Read these first when present (those the last run did not reach, then the stalest). */
  firstClusters?: readonly string[];
  /**
   * No cluster starts so late that it could not finish by then, and no call runs past it:
   * clusters not reached are reported unreadable ("not scanned: time budget").
   */
  deadline?: Date;
  onProgress?: (message: string) => void;
}

export interface RegionCollection {
  region: string;
  targets: ScanTarget[];
  /** The region (or its cluster list) could not be read. */
  errors: ScanError[];
  /** Clusters asked for by name that no longer exist. */
  vanished: string[];
}

export interface Collector {
  /** The account of the credentials in use; throws with a readable, secret-free reason. */
  callerAccount(): Promise<string>;
  /** One region's clusters; what cannot be read is reported in the collection, never thrown. */
  collectRegion(region: string, request: CollectRequest): Promise<RegionCollection>;
}

// --- State store --------------------------------------------------------------------------------

/** The store as a whole cannot be used (say, a state file that is not one): no further cluster can be saved either. */
export class StateStoreUnusableError extends Error {}

/** Another scan got there first (version moved, or it holds the lease). */
export class StateConflictError extends Error {
  constructor(readonly key: ClusterKey) {
    super(`state of ${key.account}/${key.region}/${key.cluster} was changed by another scan`);
    this.name = 'StateConflictError';
  }
}

/**
 * Where cluster records live between scans. Every write is conditional on the version that was
 * read, so overlapping scans never both publish and never overwrite each other. A lease marks a
 * record whose news is being published.
 */
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

// --- Publisher ----------------------------------------------------------------------------------

export interface ScanIdentity {
  scanId: string;
  generatedAt: Date;
}

export interface Publisher {
  /** Publishes one cluster's news; throws when it could not (the news is then kept for the next run). */
  publish(outcome: ClusterOutcome, news: News, scan: ScanIdentity): Promise<void>;
  /** Publishes the news of many clusters of one account/region as one digest; throws like publish. */
  publishDigest(digest: RegionDigest, scan: ScanIdentity): Promise<void>;
}

// --- Report store -----------------------------------------------------------------------------

/** Where the deployed scan keeps its latest HTML report. */
export interface ReportStore {
  /** Stores the page as the latest report and says where; throws with a readable reason. */
  putLatest(html: string, scan: ScanIdentity): Promise<string>;
}

// --- Findings exporter --------------------------------------------------------------------------

/** Imports findings into AWS Security Hub; throws when any was not imported (all are sent again next run). */
export interface FindingsExporter {
  importFindings(findings: readonly AsffFinding[]): Promise<void>;
}

// --- Evaluation sink ----------------------------------------------------------------------------

/** Where a Config rule's evaluations go (AWS Config's PutEvaluations). */
export interface EvaluationSink {
  /** Sends every evaluation for the invocation's result token (in as many calls as the API needs). */
  putEvaluations(resultToken: string, evaluations: readonly ConfigEvaluation[]): Promise<void>;
}
