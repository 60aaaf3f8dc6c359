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
import { severityRank, type Severity } from '../core/severities.js';
import type { ScanTarget } from '../core/snapshot/target.js';
import { StateConflictError, StateStoreUnusableError, type FindingsExporter, type Publisher, type StateStore } from './ports.js';
import { runScan, type ScanDependencies, type ScanRequest } from './run-scan.js';
import type { PolicyInfo } from '../core/report/policy-info.js';
import { planExport, type ExportPlan } from '../core/securityhub/export-plan.js';

export interface TrackedScanRequest extends ScanRequest {
  scanId: string;
  reminderHours?: number;
  trackedTags?: readonly string[];
  /** Findings below this severity are not published; drift always is. */
  alertMinSeverity?: Severity;
  /** More clusters with news than this in one account/region: one digest instead of a message each (default 10). */
  alertDigestThreshold?: number;
}

export interface TrackedScanDependencies extends ScanDependencies {
  store: StateStore;
  publisher?: Publisher;
  /** Security Hub export: each cluster's changed findings (and due refreshes) are imported before its news is published. */
  exporter?: { exporter: FindingsExporter; policies: ReadonlyMap<string, PolicyInfo>; refreshDays?: number };
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
  /** Findings imported into Security Hub by this scan. */
  exported: number;
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

export const DEFAULT_ALERT_DIGEST_THRESHOLD = 10;

interface Pending {
  outcome: ClusterOutcome;
  news: News;
  plan: ExportPlan | undefined;
  /** The record to store (with what was exported to Security Hub). */
  record: ClusterRecord;
  publishing: boolean;
}

/**
 * The first scan of an account/region (nothing stored for it yet) is a baseline: a cluster with
 * no findings to tell has nothing to say, not even "new cluster". A cluster that appears after
 * the baseline is news.
 */
const withBaseline = (news: News, baseline: boolean): News => (baseline && news.results.length === 0 ? { results: [], changes: [] } : news);

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
  /** Account/regions with nothing stored: this scan is their baseline. */
  const baselines = new Set<string>();
  for (const region of scan.regions) {
    const records = await recordsOf(account, region);
    if (records.length === 0) baselines.add(`${account}/${region}`);
    for (const record of records) previous.set(keyString(record), record);
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
  const digestThreshold = request.alertDigestThreshold ?? DEFAULT_ALERT_DIGEST_THRESHOLD;
  const scanIdentity = { scanId: request.scanId, generatedAt: request.now };
  const leaseUntil = () => new Date(clock().getTime() + (deps.leaseSeconds ?? 300) * 1000);
  let exported = 0;

  const pending: Pending[] = outcomes.map((outcome) => {
    const all = notifications(outcome);
    const news = withBaseline({ ...all, results: all.results.filter((r) => severityRank(r.severity) >= threshold) }, baselines.has(`${outcome.key.account}/${outcome.key.region}`));
    const plan = deps.exporter ? planExport(outcome, outcome.record.exported, deps.exporter.policies, { now: request.now, refreshDays: deps.exporter.refreshDays }) : undefined;
    return { outcome, news, plan, record: plan ? { ...outcome.record, exported: plan.next } : outcome.record, publishing: Boolean(deps.publisher && hasNews(news)) };
  });

  /** A write failed: a conflict is another scan's, an unusable store stops the scan, anything else costs only this cluster. */
  const recordFailure = (p: Pending, error: unknown, published: boolean) => {
    if (error instanceof StateConflictError) conflicts.push(p.outcome);
    else if (error instanceof StateStoreUnusableError) throw error;
    else stateFailures.push({ outcome: p.outcome, error: (error as Error).message, published });
  };
  /** Security Hub first: a re-import is harmless, a message sent twice is not. */
  const exportFindings = async (p: Pending) => {
    if (p.plan?.findings.length) await deps.exporter!.exporter.importFindings(p.plan.findings);
  };
  const saved = async (p: Pending, version: number) => {
    try {
      await deps.store.save(p.record, version, request.scanId);
      exported += p.plan?.findings.length ?? 0;
      committed.push(p.outcome);
    } catch (error) {
      recordFailure(p, error, p.publishing);
    }
  };

  /** One cluster on its own: lease, export, publish its message, save. */
  const single = async (p: Pending) => {
    let version: number;
    try {
      if (!p.publishing && !p.plan?.findings.length) {
        await deps.store.save(p.record, p.outcome.previousVersion);
        committed.push(p.outcome);
        return;
      }
      version = await deps.store.acquireLease(p.outcome.key, p.outcome.previousVersion, request.scanId, leaseUntil());
    } catch (error) {
      recordFailure(p, error, false);
      return;
    }
    try {
      await exportFindings(p);
      if (p.publishing) await deps.publisher!.publish(p.outcome, p.news, scanIdentity);
    } catch (error) {
      await deps.store.releaseLease(p.outcome.key, request.scanId);
      publishFailures.push({ outcome: p.outcome, error: (error as Error).message });
      return;
    }
    await saved(p, version);
  };

  /** Many clusters of one account/region: every lease, every export, one digest, every save. */
  const digest = async (group: Pending[]) => {
    const leased: { p: Pending; version: number }[] = [];
    for (const p of group) {
      try {
        leased.push({ p, version: await deps.store.acquireLease(p.outcome.key, p.outcome.previousVersion, request.scanId, leaseUntil()) });
      } catch (error) {
        recordFailure(p, error, false);
      }
    }
    const ready: typeof leased = [];
    for (const entry of leased) {
      try {
        await exportFindings(entry.p);
        ready.push(entry);
      } catch (error) {
        await deps.store.releaseLease(entry.p.outcome.key, request.scanId);
        publishFailures.push({ outcome: entry.p.outcome, error: (error as Error).message });
      }
    }
    if (ready.length === 0) return;
    const { account, region } = ready[0]!.p.outcome.key;
    try {
      await deps.publisher!.publishDigest({ account, region, clusters: ready.map(({ p }) => ({ outcome: p.outcome, news: p.news })) }, scanIdentity);
    } catch (error) {
      for (const { p } of ready) {
        await deps.store.releaseLease(p.outcome.key, request.scanId);
        publishFailures.push({ outcome: p.outcome, error: (error as Error).message });
      }
      return;
    }
    for (const { p, version } of ready) await saved(p, version);
  };

  const byRegion = new Map<string, Pending[]>();
  for (const p of pending) {
    const id = `${p.outcome.key.account}/${p.outcome.key.region}`;
    byRegion.set(id, [...(byRegion.get(id) ?? []), p]);
  }
  for (const group of byRegion.values()) {
    const withNews = group.filter((p) => p.publishing);
    const useDigest = withNews.length > digestThreshold;
    for (const p of group) if (!useDigest || !p.publishing) await single(p);
    if (useDigest) await digest(withNews);
  }

  const results = outcomes.flatMap((o) => o.results).sort(compareResults);
  const changes = outcomes.flatMap((o) => o.changes);
  return { report: buildReport({ ...scan, results, changes }), targets, outcomes, committed, conflicts, publishFailures, stateFailures, exported };
}
