/**
 * Reviewed exceptions: a file in the repository (not cluster tags, which the people being
 * checked can change). Each names a policy id (or "*"), a cluster name glob, optionally an
 * account and region, and must give a reason, an owner and an expiry date. A matching unexpired
 * exception turns a `fail` into `excepted`; the result keeps the policy's message and carries the
 * exception as data. An expired one stops applying and is reported.
 *
 *   apiVersion: eksguard.dev/v1
 *   kind: Exceptions
 *   exceptions:
 *     - policy: endpoint-public-access-disabled
 *       cluster: analytics
 *       reason: Public dashboard ingestion until the VPN migration (INFRA-1234)
 *       owner: data-platform@example.com
 *       expires: 2027-03-31
 */
import type { ExceptionEntry } from './exceptions-file.js';
import type { ExceptionRef, PolicyResult } from '../results.js';

export interface PolicyException extends ExceptionEntry {
  /** "file:line" of the entry, so a report points at it. */
  location: string;
  matchesCluster: RegExp;
}

export interface ExpiredException extends ExceptionRef {
  policy: string;
  cluster: string;
}

const isExpired = (e: PolicyException, now: Date) => now.toISOString().slice(0, 10) > e.expires;

function matches(e: PolicyException, r: PolicyResult): boolean {
  return (
    (e.policy === '*' || e.policy === r.policy) &&
    e.matchesCluster.test(r.cluster) &&
    (e.account === undefined || e.account === r.account) &&
    (e.region === undefined || e.region === r.region)
  );
}

const refOf = (e: PolicyException): ExceptionRef => ({ owner: e.owner, reason: e.reason, expires: e.expires, location: e.location });

/**
 * Applies exceptions to failing results. Returns the results (an excepted one carries its
 * exception; a failure whose exception expired carries that one and the date) and the expired
 * exceptions that would still have matched.
 */
export function applyExceptions(results: readonly PolicyResult[], exceptions: readonly PolicyException[], now: Date): { results: PolicyResult[]; expired: ExpiredException[] } {
  const expired = new Map<PolicyException, ExpiredException>();
  const out = results.map((result) => {
    if (result.status !== 'fail') return result;
    const matching = exceptions.filter((e) => matches(e, result));
    const active = matching.find((e) => !isExpired(e, now));
    for (const e of matching.filter((m) => isExpired(m, now))) expired.set(e, { policy: e.policy, cluster: e.cluster, ...refOf(e) });
    if (active) return { ...result, status: 'excepted' as const, exception: refOf(active) };
    const lapsed = matching[0];
    return lapsed ? { ...result, exception: refOf(lapsed), exceptionExpired: lapsed.expires } : result;
  });
  return { results: out, expired: [...expired.values()] };
}

/** An exception whose cluster pattern matched no cluster of a scan that covered its scope: a typo, or a cluster that is gone. */
export interface UnmatchedException {
  policy: string;
  cluster: string;
  location: string;
}

/**
 * The exceptions that name no cluster of a full scan. Only exceptions whose whole scope the scan
 * saw are judged: same account (or none given), and every region they may apply to listed.
 */
export function unmatchedExceptions(
  exceptions: readonly PolicyException[],
  clusters: readonly { account: string; region: string; cluster: string }[],
  scope: { account: string; listedRegions: readonly string[]; scannedRegions: readonly string[] },
): UnmatchedException[] {
  const listed = new Set(scope.listedRegions);
  return exceptions
    .filter((e) => e.account === undefined || e.account === scope.account)
    .filter((e) => (e.region === undefined ? scope.scannedRegions.every((r) => listed.has(r)) : listed.has(e.region)))
    .filter((e) => !clusters.some((c) => e.matchesCluster.test(c.cluster) && (e.region === undefined || e.region === c.region)))
    .map((e) => ({ policy: e.policy, cluster: e.cluster, location: e.location }));
}
