/** What a scan produces: one result per (policy, cluster), plus errors that have no cluster. */
import type { Severity } from './severity.js';

export const RESULT_STATUSES = ['pass', 'fail', 'error', 'not-applicable', 'excepted'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

export interface PolicyResult {
  policy: string;
  cluster: string;
  region: string;
  account: string;
  status: ResultStatus;
  severity: Severity;
  message: string;
  /** What to do about a failure: a sentence and, where one exists, the aws CLI command. */
  remediation?: string;
  /** A failure that an exception covered until this date (YYYY-MM-DD). */
  exceptionExpired?: string;
}

/** A region (or account) that could not be listed at all: no cluster-level results exist for it. */
export interface ScanError {
  region: string;
  message: string;
}
