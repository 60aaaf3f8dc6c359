/**
 * Finding lifecycle per (policy, cluster): which results are news. Pure: previous findings and
 * this scan's results in, transitions and the next findings out.
 */
import type { PolicyResult } from '../results.js';
import type { FindingState } from './record.js';

export const TRANSITIONS = ['new', 'ongoing', 'resolved', 'excepted', 'exception-expired', 'error'] as const;
export type Transition = (typeof TRANSITIONS)[number];

export interface TrackedResult extends PolicyResult {
  /** Absent for results that are not, and were not, findings (passing, not applicable). */
  transition?: Transition;
  /** Worth telling people: a change of state (or a due reminder), not a repeat. */
  notify?: boolean;
}

export interface LifecycleOptions {
  now: Date;
  /** Re-notify ongoing failures after this many hours (undefined: never, the default). */
  reminderHours?: number;
}

const isFinding = (status: string | undefined) => status === 'fail' || status === 'excepted';

function transitionOf(previous: FindingState | undefined, result: PolicyResult): Transition | undefined {
  const before = previous?.status;
  switch (result.status) {
    case 'error':
      return 'error';
    case 'excepted':
      return 'excepted';
    case 'fail':
      if (before === 'fail') return 'ongoing';
      return result.exceptionExpired ? 'exception-expired' : 'new';
    default:
      return isFinding(before) ? 'resolved' : undefined;
  }
}

export function applyLifecycle(
  previous: Readonly<Record<string, FindingState>>,
  results: readonly PolicyResult[],
  options: LifecycleOptions,
): { results: TrackedResult[]; findings: Record<string, FindingState> } {
  const now = options.now.toISOString();
  const findings: Record<string, FindingState> = {};
  const tracked = results.map((result): TrackedResult => {
    const prev = previous[result.policy];
    const transition = transitionOf(prev, result);
    if (result.status === 'error') {
      // Collection failed: keep what we knew, do not resolve; tell people once.
      findings[result.policy] = prev
        ? { ...prev, error: result.message }
        : { status: 'error', severity: result.severity, message: result.message, since: now, lastChanged: now, error: result.message };
      return { ...result, transition, notify: prev?.error === undefined };
    }
    const changed = prev?.status !== result.status;
    const state: FindingState = {
      status: result.status,
      severity: result.severity,
      message: result.message,
      ...(result.exception ? { exception: result.exception } : {}),
      since: changed || !prev ? now : prev.since,
      lastChanged: changed || prev?.message !== result.message ? now : prev.lastChanged,
      ...(prev?.lastNotified ? { lastNotified: prev.lastNotified } : {}),
    };
    const reminderDue =
      transition === 'ongoing' &&
      options.reminderHours !== undefined &&
      Date.parse(prev?.lastNotified ?? prev?.since ?? now) + options.reminderHours * 3_600_000 <= options.now.getTime();
    const notify = transition === 'new' || transition === 'resolved' || transition === 'exception-expired' || (transition === 'excepted' && changed) || reminderDue;
    if (notify) state.lastNotified = now;
    findings[result.policy] = state;
    return { ...result, ...(transition ? { transition } : {}), ...(transition ? { notify } : {}) };
  });
  return { results: tracked, findings };
}
