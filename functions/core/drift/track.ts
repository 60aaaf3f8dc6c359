/**
 * Turns one scan into per-cluster outcomes against the stored state: field-level changes,
 * finding transitions, what is worth publishing, and the record to store next. Pure.
 */
import { createHash } from 'node:crypto';
import type { PolicyResult } from '../results.js';
import type { ClusterSnapshot, Section } from '../snapshot/schema.js';
import { targetIdentity, type ScanTarget } from '../snapshot/target.js';
import { diffSnapshots, type Change, type DiffOptions } from './diff.js';
import { applyLifecycle, type LifecycleOptions, type TrackedResult } from './lifecycle.js';
import { keyString, type ClusterKey, type ClusterRecord } from './record.js';

export interface ClusterChange extends Change {
  cluster: string;
  region: string;
  account: string;
}

export interface ClusterOutcome {
  key: ClusterKey;
  kind: 'new' | 'existing' | 'deleted' | 'unreadable';
  changes: ClusterChange[];
  results: TrackedResult[];
  /** The record to store; `previousVersion` is what the store must still hold (undefined: nothing). */
  record: ClusterRecord;
  previousVersion: number | undefined;
}

export interface TrackInput extends LifecycleOptions, DiffOptions {
  scanId: string;
  targets: readonly ScanTarget[];
  /** This scan's results (exceptions applied), for every target. */
  results: readonly PolicyResult[];
  previous: ReadonlyMap<string, ClusterRecord>;
  /** "account/region" pairs whose cluster list was read in full: a stored cluster missing there was deleted. */
  fullyListed: ReadonlySet<string>;
  /** Clusters found not to exist (keyString): deleted, whatever was listed. */
  vanished?: ReadonlySet<string>;
}

export function snapshotHash(snapshot: ClusterSnapshot): string {
  const { collectedAt: _ignored, ...content } = snapshot;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/**
 * Sections that could not be read keep their last known value (and lose the error mark when
 * that value was good), so the next readable scan is compared with what was last seen: a change
 * made while a section was unreadable is still reported as drift.
 */
function carryForward(next: ClusterSnapshot, previous: ClusterSnapshot | undefined): ClusterSnapshot {
  if (!previous) return next;
  const merged = { ...next, errors: { ...next.errors } } as Record<Section, unknown> & ClusterSnapshot;
  for (const section of Object.keys(next.errors) as Section[]) {
    merged[section] = previous[section] as never;
    if (previous.errors[section] === undefined) delete merged.errors[section];
  }
  return merged;
}

/** What is worth telling people about one cluster after a scan. */
export interface News {
  results: TrackedResult[];
  changes: ClusterChange[];
}

/** Notifications only for what changed (or a due reminder): quiet on repeats. */
export const notifications = (outcome: ClusterOutcome): News => ({
  results: outcome.results.filter((r) => r.notify),
  changes: outcome.changes,
});

export function trackScan(input: TrackInput): ClusterOutcome[] {
  const now = input.now.toISOString();
  const resultsByCluster = new Map<string, PolicyResult[]>();
  for (const r of input.results) {
    const key = keyString(r);
    resultsByCluster.set(key, [...(resultsByCluster.get(key) ?? []), r]);
  }
  const outcomes: ClusterOutcome[] = [];
  const seen = new Set<string>();

  for (const target of input.targets) {
    const key = targetIdentity(target);
    const id = keyString(key);
    seen.add(id);
    const prev = input.previous.get(id);
    const live = prev && !prev.deletedAt ? prev : undefined;
    const { results, findings } = applyLifecycle(live?.findings ?? {}, resultsByCluster.get(id) ?? [], input);
    const withKey = (c: Change): ClusterChange => ({ ...key, ...c });
    if (target.kind === 'unreadable') {
      outcomes.push({
        key,
        kind: 'unreadable',
        changes: [],
        results,
        record: { ...(prev ?? { ...key, version: 0 }), findings, scanId: input.scanId, updatedAt: now },
        previousVersion: prev?.version,
      });
      continue;
    }
    const snapshot = carryForward(target.snapshot, live?.snapshot);
    const changes = live?.snapshot
      ? diffSnapshots(live.snapshot, target.snapshot, input).map(withKey)
      : [
          withKey({
            path: 'cluster',
            before: null,
            after: key.cluster,
            summary: `new cluster ${key.cluster} (${target.snapshot.cluster.version}, VPC ${target.snapshot.cluster.vpcId})`,
          }),
        ];
    outcomes.push({
      key,
      kind: live?.snapshot ? 'existing' : 'new',
      changes,
      results,
      record: {
        ...key,
        version: prev?.version ?? 0,
        snapshot,
        snapshotHash: snapshotHash(snapshot),
        findings,
        ...(live?.exported ? { exported: live.exported } : {}),
        scanId: input.scanId,
        updatedAt: now,
      },
      previousVersion: prev?.version,
    });
  }

  for (const [id, prev] of input.previous) {
    const gone = input.vanished?.has(id) || input.fullyListed.has(`${prev.account}/${prev.region}`);
    if (seen.has(id) || prev.deletedAt || !gone) continue;
    const key = { account: prev.account, region: prev.region, cluster: prev.cluster };
    const resolved: TrackedResult[] = Object.entries(prev.findings)
      .filter(([, f]) => f.status === 'fail' || f.status === 'excepted')
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([policy, f]) => ({
        policy,
        ...key,
        status: 'not-applicable',
        severity: f.severity,
        message: `cluster ${prev.cluster} was deleted`,
        transition: 'resolved',
        notify: true,
      }));
    outcomes.push({
      key,
      kind: 'deleted',
      changes: [{ ...key, path: 'cluster', before: prev.cluster, after: null, summary: `cluster ${prev.cluster} deleted` }],
      results: resolved,
      record: { ...prev, findings: {}, scanId: input.scanId, updatedAt: now, deletedAt: now },
      previousVersion: prev.version,
    });
  }
  return outcomes.sort((a, b) => keyString(a.key).localeCompare(keyString(b.key)));
}
