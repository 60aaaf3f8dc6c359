/**
 * The JSON report: a stable contract (schemaVersion 1). Fields are only ever added, never
 * renamed or removed, within a schema version. Documented in README "The JSON report".
 */
import type { Transition } from '../drift/lifecycle.js';
import type { ClusterChange } from '../drift/track.js';
import type { ExpiredException, UnmatchedException } from '../policy/exceptions.js';
import { severityRank, type Severity } from '../severities.js';
import type { PolicyResult, ResultStatus, ScanError } from '../results.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface ReportResult extends PolicyResult {
  /** With state (--state): new, ongoing, resolved, excepted, exception-expired or error. */
  transition?: Transition;
  /** With state: true when this result is news (published): a change of state or a due reminder. */
  notify?: boolean;
}

export interface ScanReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  account: string;
  generatedAt: string;
  regions: string[];
  results: ReportResult[];
  /** With state (--state): one entry per drifted field since the previous scan. */
  changes?: ClusterChange[];
  /** Regions that could not be listed at all (no per-cluster results exist for them). */
  errors: ScanError[];
  /** Exceptions that matched a failure but have expired: renew them or fix the cluster. */
  expiredExceptions: ExpiredException[];
  /** Full scans only: exceptions whose cluster pattern matched no cluster of the scanned account and regions. */
  unmatchedExceptions: UnmatchedException[];
  summary: Record<ResultStatus, number>;
}

/** The report of a scan, built once at the end (with state: after drift and transitions). */
export function buildReport(input: {
  account: string;
  generatedAt: Date;
  regions: readonly string[];
  results: ReportResult[];
  /** With state: the drift since the previous scan. */
  changes?: ClusterChange[];
  errors: ScanError[];
  expiredExceptions?: ExpiredException[];
  unmatchedExceptions?: UnmatchedException[];
}): ScanReport {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    account: input.account,
    generatedAt: input.generatedAt.toISOString(),
    regions: [...input.regions],
    results: input.results,
    errors: input.errors,
    expiredExceptions: input.expiredExceptions ?? [],
    unmatchedExceptions: input.unmatchedExceptions ?? [],
    summary: summarise(input.results),
    ...(input.changes ? { changes: input.changes } : {}),
  };
}

export function summarise(results: readonly PolicyResult[]): Record<ResultStatus, number> {
  const summary: Record<ResultStatus, number> = { pass: 0, fail: 0, error: 0, 'not-applicable': 0, excepted: 0 };
  for (const r of results) summary[r.status]++;
  return summary;
}

export const EXIT = { ok: 0, failed: 1, usage: 2, scanErrors: 3 } as const;

/** 1 when a result at or above `failOn` failed, else 3 when anything could not be read, else 0. */
export function exitCodeFor(report: ScanReport, failOn: Severity): number {
  const threshold = severityRank(failOn);
  if (report.results.some((r) => r.status === 'fail' && severityRank(r.severity) >= threshold)) return EXIT.failed;
  if (report.errors.length > 0 || report.results.some((r) => r.status === 'error')) return EXIT.scanErrors;
  return EXIT.ok;
}

/** Report order: account, region, cluster, policy. */
export function compareResults(a: PolicyResult, b: PolicyResult): number {
  return a.account.localeCompare(b.account) || a.region.localeCompare(b.region) || a.cluster.localeCompare(b.cluster) || a.policy.localeCompare(b.policy);
}
