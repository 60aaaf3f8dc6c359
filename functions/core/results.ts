/** What a scan produces: one result per (policy, cluster), plus errors that have no cluster. */
import type { Severity } from './severities.js';

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
  /** The policy's first reference (documentation URL), with the remediation. */
  reference?: string;
  /** The exception that covers this result (status `excepted`), or that covered it until it expired. */
  exception?: ExceptionRef;
  /** Framework controls the policy checks, e.g. `AWS FSBP EKS.1`, `CIS EKS 5.4.2` (absent when none). */
  controls?: string[];
  /** A failure that an exception covered until this date (YYYY-MM-DD). */
  exceptionExpired?: string;
}

/** A reviewed exception as a result carries it: who accepted the risk, why, until when, and where it is written. */
export interface ExceptionRef {
  owner: string;
  reason: string;
  /** Last day (UTC) on which it applies, YYYY-MM-DD. */
  expires: string;
  /** "file:line" of the entry in the exceptions file. */
  location: string;
}

/** "excepted until 2027-03-31 by owner: reason", for people (tables, alerts, Config annotations). */
export const exceptedNote = (e: ExceptionRef): string => `excepted until ${e.expires} by ${e.owner}: ${e.reason}`;

/** What a person should read about a result's exception, if it has one: it applies, or it expired. */
export function exceptionNote(r: Pick<PolicyResult, 'status' | 'exception' | 'exceptionExpired'>): string | undefined {
  if (!r.exception) return undefined;
  if (r.status === 'excepted') return exceptedNote(r.exception);
  return r.exceptionExpired ? `exception expired on ${r.exceptionExpired} (${r.exception.location})` : undefined;
}

/** A region (or account) that could not be listed at all: no cluster-level results exist for it. */
export interface ScanError {
  region: string;
  message: string;
}
