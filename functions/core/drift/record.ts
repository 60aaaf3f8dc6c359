/** What the state store keeps per account/region/cluster between scans. */
import type { Severity } from '../severities.js';
import type { ExceptionRef, ResultStatus } from '../results.js';
import type { ClusterSnapshot } from '../snapshot/schema.js';
import type { ExportedFinding } from '../securityhub/export-plan.js';

export interface ClusterKey {
  account: string;
  region: string;
  cluster: string;
}

export const keyString = (k: ClusterKey) => `${k.account}/${k.region}/${k.cluster}`;

/** Sections added to the snapshot after v1 (catalog v1.1); a record stored before has none of them. */
const LATER_SECTIONS = ['networkAcls', 'vpcEndpoints', 'prefixLists'] as const;

/**
 * A stored snapshot as this version reads it: a section it was stored without is empty and marked
 * not collected, so drift does not compare it, a failed collection does not carry it forward as
 * nothing, and no policy reads it as "none". State stores return their snapshots through this.
 */
export function storedSnapshot(snapshot: ClusterSnapshot): ClusterSnapshot {
  const missing = LATER_SECTIONS.filter((section) => snapshot[section] === undefined);
  if (missing.length === 0) return snapshot;
  const upgraded = { ...snapshot, errors: { ...snapshot.errors } };
  for (const section of missing) {
    upgraded[section] = {};
    upgraded.errors[section] = 'not in the stored snapshot (stored before eksguard collected this section)';
  }
  return upgraded;
}

/** The last known state of one (policy, cluster) finding. */
export interface FindingState {
  /** `error` only when the finding has never been evaluated successfully. */
  status: ResultStatus;
  severity: Severity;
  /** The policy's own message. Records written before exceptions were data end an excepted message with "[excepted until …]". */
  message: string;
  /** The exception that covers the finding (status `excepted`) or that expired on it. */
  exception?: ExceptionRef;
  /** When the current status began (first failure, exception, resolution...). */
  since: string;
  lastChanged: string;
  /** Last time this finding was published (for reminders). */
  lastNotified?: string;
  /** Set while the last scan could not evaluate it: the status above is the previous one. */
  error?: string;
}

export interface ClusterRecord extends ClusterKey {
  /** Optimistic concurrency: every write expects the version it read. */
  version: number;
  /** The last snapshot; sections that failed to collect keep their last known value. */
  snapshot?: ClusterSnapshot;
  snapshotHash?: string;
  findings: Record<string, FindingState>;
  scanId: string;
  updatedAt: string;
  /** What was last imported into Security Hub, per policy (with the export on). */
  exported?: Record<string, ExportedFinding>;
  /** Set when the cluster disappeared; the store expires the record later (TTL). */
  deletedAt?: string;
}
