/**
 * A scan with memory: the scan, then drift and finding transitions against the state store,
 * then publishing what is new. Per cluster the state only advances once its news is published:
 * a lease on the record keeps overlapping runs from publishing the same news twice, and a
 * publish that fails releases the lease with the record unchanged, so the next run publishes
 * it again.
 */
import { notifications, trackScan, type ClusterOutcome, type News } from '../core/drift/track.js';
import { keyString, type ClusterRecord } from '../core/drift/record.js';
import { buildReport, compareResults, type ScanReport } from '../core/report/report.js';
import { severityRank, type Severity } from '../core/severity.js';
import type { ScanTarget } from '../core/snapshot/target.js';
import { StateConflictError, StateStoreUnusableError, type Publisher, type StateStore } from './ports.js';
import { runScan, type ScanDependencies, type ScanRequest } from './run-scan.js';

export interface TrackedScanRequest extends ScanRequest {
  scanId: string;
  reminderHours?: number;
  trackedTags?: readonly string[];
  /** Findings below this severity are not published; drift always is. */
  alertMinSeverity?: Severity;
}

export interface TrackedScanDependencies extends ScanDependencies {
  store: StateStore;
  publisher?: Publisher;
  /** How long a lease protects a record while its news is published (from when it is taken). */
  leaseSeconds?: number;
  clock?: () => Date;
}

/** The scan could not tell which account it read: its state and alerts would land in the wrong place. */
export class UnknownAccountError extends Error {
  constructor(reason: string) {
    super(`cannot keep state or publish: the account could not be identified (${reason})`);
    this.name = 'UnknownAccountError';
  }
}

export interface TrackedScanOutcome {
  report: ScanReport;
  /** What the scan read, for renderings that draw the clusters (the HTML report). */
  targets: ScanTarget[];
  outcomes: ClusterOutcome[];
  /** Clusters whose news was published (or that had none) and whose state advanced. */
  committed: ClusterOutcome[];
  /** Clusters another overlapping scan had already handled. */
  conflicts: ClusterOutcome[];
  publishFailures: { outcome: ClusterOutcome; error: string }[];
  /**
   * Clusters whose state could not be written (the store failed or throttled past its retries).
   * `published`: the news went out but its record was not saved, so it is published once more
   * when the lease expires; otherwise nothing was published and the next run tries again.
   */
  stateFailures: { outcome: ClusterOutcome; error: string; published: boolean }[];
}

const hasNews = (news: News) => news.results.length > 0 || news.changes.length > 0;

/** Least recently collected first: clusters a scan did not reach keep their old snapshot, so they lead. */
export function stalestFirst(records: readonly ClusterRecord[]): string[] {
  return records
    .filter((r) => !r.deletedAt)
    .map((r) => ({ name: r.cluster, at: r.snapshot?.collectedAt ?? '' }))
    .sort((a, b) => a.at.localeCompare(b.at) || a.name.localeCompare(b.name))
    .map((r) => r.name);
}

export async function runTrackedScan(request: TrackedScanRequest, deps: TrackedScanDependencies): Promise<TrackedScanOutcome> {
  // The region's records are read before collecting, to read the stalest clusters first.
  const loaded = new Map<string, Promise<ClusterRecord[]>>();
  const recordsOf = (account: string, region: string) => {
    const key = `${account}/${region}`;
    const cached = loaded.get(key);
    if (cached) return cached;
    const records = deps.store.loadRegion(account, region);
    loaded.set(key, records);
    return records;
  };
  const firstClustersOf = async (account: string, region: string) => (/^\d{12}$/.test(account) ? stalestFirst(await recordsOf(account, region)) : []);
  const scan = await runScan({ ...request, firstClustersOf }, deps);
  const { account, targets, vanished } = scan;
  if (!/^\d{12}$/.test(account)) {
    throw new UnknownAccountError(scan.errors.find((e) => e.region === 'global')?.message ?? `account "${account}"`);
  }
  const listable = scan.regions.filter((region) => !scan.errors.some((e) => e.region === region));
  const previous = new Map<string, ClusterRecord>();
  for (const region of scan.regions) {
    for (const record of await recordsOf(account, region)) previous.set(keyString(record), record);
  }
  const outcomes = trackScan({
    scanId: request.scanId,
    now: request.now,
    targets,
    results: scan.results,
    previous,
    fullyListed: new Set(request.clusterNames ? [] : listable.map((region) => `${account}/${region}`)),
    vanished: new Set(vanished.map(keyString)),
    ...(request.reminderHours !== undefined ? { reminderHours: request.reminderHours } : {}),
    ...(request.trackedTags ? { trackedTags: request.trackedTags } : {}),
  });

  const committed: ClusterOutcome[] = [];
  const conflicts: ClusterOutcome[] = [];
  const publishFailures: TrackedScanOutcome['publishFailures'] = [];
  const stateFailures: TrackedScanOutcome['stateFailures'] = [];
  const clock = deps.clock ?? (() => new Date());
  const threshold = severityRank(request.alertMinSeverity ?? 'info');
  for (const outcome of outcomes) {
    const all = notifications(outcome);
    const news = { ...all, results: all.results.filter((r) => severityRank(r.severity) >= threshold) };
    let published = false;
    try {
      if (deps.publisher && hasNews(news)) {
        const leaseUntil = new Date(clock().getTime() + (deps.leaseSeconds ?? 300) * 1000);
        const version = await deps.store.acquireLease(outcome.key, outcome.previousVersion, request.scanId, leaseUntil);
        try {
          await deps.publisher.publish(outcome, news, { scanId: request.scanId, generatedAt: request.now });
        } catch (error) {
          await deps.store.releaseLease(outcome.key, request.scanId);
          publishFailures.push({ outcome, error: (error as Error).message });
          continue;
        }
        published = true;
        await deps.store.save(outcome.record, version, request.scanId);
      } else {
        await deps.store.save(outcome.record, outcome.previousVersion);
      }
      committed.push(outcome);
    } catch (error) {
      if (error instanceof StateConflictError) conflicts.push(outcome);
      // One failed write must not cost the other clusters their news; an unusable store does.
      else if (error instanceof StateStoreUnusableError) throw error;
      else stateFailures.push({ outcome, error: (error as Error).message, published });
    }
  }

  const results = outcomes.flatMap((o) => o.results).sort(compareResults);
  const changes = outcomes.flatMap((o) => o.changes);
  return { report: buildReport({ ...scan, results, changes }), targets, outcomes, committed, conflicts, publishFailures, stateFailures };
}
