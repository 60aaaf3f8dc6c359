/** The scheduled scan use case behind functions/scan.ts, with its dependencies passed in. */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, ScheduledEvent, SQSEvent } from 'aws-lambda';
import { targetsOf } from '../core/events/change-targets.js';
import { parseChangeEvents } from '../core/events/cloudtrail-events.js';
import { collectionDeadline } from './deadline.js';
import type { HandlerConfig } from './environment.js';
import type { Publisher, ReportStore, StateStore } from './ports.js';
import { runScan, type ScanDependencies } from './run-scan.js';
import { runTrackedScan, type TrackedScanDependencies } from './tracked-scan.js';
import type { CompiledPolicy } from '../core/policy/compile.js';
import type { PolicyException } from '../core/policy/exceptions.js';
import { buildReport, type ScanReport } from '../core/report/report.js';
import { policyInfo } from '../core/report/policy-info.js';
import type { ScanTarget } from '../core/snapshot/target.js';

export interface ScanHandlerDependencies extends ScanDependencies {
  /** With a store, the scan tracks state: only transitions and drift are published. */
  store?: StateStore;
  publisher?: Publisher;
  /** With a report store, every full scan leaves its HTML wiring report there. */
  reportStore?: ReportStore;
  /** With a store: the Security Hub export (deployment parameter securityHub). */
  exporter?: TrackedScanDependencies['exporter'];
  config: HandlerConfig;
  policies: readonly CompiledPolicy[];
  exceptions?: readonly PolicyException[];
  logger: Logger;
  metrics: Metrics;
  clock?: () => Date;
}

export function summarise(report: ScanReport) {
  const clusters = new Set(report.results.map((r) => `${r.region}/${r.cluster}`)).size;
  const failing = report.results.filter((r) => r.status === 'fail');
  const bySeverity: Record<string, number> = {};
  for (const r of failing) bySeverity[r.severity] = (bySeverity[r.severity] ?? 0) + 1;
  return { account: report.account, regions: report.regions, clusters, ...report.summary, failingBySeverity: bySeverity, regionErrors: report.errors };
}

const isSqsEvent = (event: unknown): event is SQSEvent => Array.isArray((event as SQSEvent)?.Records);
const isScheduledEvent = (event: unknown): event is ScheduledEvent =>
  (event as ScheduledEvent)?.source === 'aws.events' && (event as ScheduledEvent)['detail-type'] === 'Scheduled Event';

const withReport = (scan: Awaited<ReturnType<typeof runScan>>) => ({ report: buildReport(scan), targets: scan.targets });

/** A report that cannot be written is logged and counted; the scan and its alerts stand. */
async function writeReport(deps: ScanHandlerDependencies, report: ScanReport, targets: readonly ScanTarget[], scan: { scanId: string; generatedAt: Date }): Promise<void> {
  try {
    // The renderer (Preact) loads with the first report: a deployment without a report bucket never loads it.
    const { renderHtml } = await import('../core/report/html/html-report.js');
    const location = await deps.reportStore!.putLatest(renderHtml({ report, targets, policies: deps.policies.map(policyInfo) }), scan);
    deps.logger.info('report written', { location });
    deps.metrics.addMetric('ReportWriteFailures', MetricUnit.Count, 0);
  } catch (error) {
    deps.logger.error('report could not be written', { reason: (error as Error).message });
    deps.metrics.addMetric('ReportWriteFailures', MetricUnit.Count, 1);
  }
}

export function createScanHandler(deps: ScanHandlerDependencies) {
  /** One scan (tracked when there is a store): logs its summary and emits its counts. */
  async function scan(regions: readonly string[], clusterNames: readonly string[] | undefined, scanId: string, deadline: Date | undefined) {
    const now = (deps.clock ?? (() => new Date()))();
    const request = { regions, policies: deps.policies, exceptions: deps.exceptions, now, ...(clusterNames ? { clusterNames } : {}), ...(deadline ? { deadline } : {}) };
    const tracked = deps.store
      ? await runTrackedScan(
          {
            ...request,
            scanId,
            ...(deps.config.reminderHours ? { reminderHours: deps.config.reminderHours } : {}),
            ...(deps.config.alertMinSeverity ? { alertMinSeverity: deps.config.alertMinSeverity } : {}),
            ...(deps.config.alertDigestThreshold !== undefined ? { alertDigestThreshold: deps.config.alertDigestThreshold } : {}),
          },
          { ...deps, store: deps.store },
        )
      : undefined;
    const { report, targets } = tracked ?? withReport(await runScan(request, deps));
    const summary = summarise(report);
    // Only a full scan replaces the latest report: an event-driven scan sees some clusters only.
    if (deps.reportStore && !clusterNames) await writeReport(deps, report, targets, { scanId, generatedAt: now });
    deps.logger.info('scan finished', { summary, ...(clusterNames ? { clusterNames } : {}) });
    for (const e of report.errors) deps.logger.error('region could not be scanned', { region: e.region, reason: e.message });
    for (const e of report.expiredExceptions) deps.logger.warn('exception expired', { exception: e });
    for (const e of report.unmatchedExceptions) deps.logger.warn('exception matches no cluster', { exception: e });
    deps.metrics.addMetric('ClustersScanned', MetricUnit.Count, summary.clusters);
    deps.metrics.addMetric('FailedResults', MetricUnit.Count, summary.fail);
    deps.metrics.addMetric('ErrorResults', MetricUnit.Count, summary.error);
    deps.metrics.addMetric('RegionErrors', MetricUnit.Count, report.errors.length);
    if (tracked) {
      const transitions = (name: string) => report.results.filter((r) => r.transition === name).length;
      deps.metrics.addMetric('NewFindings', MetricUnit.Count, transitions('new'));
      deps.metrics.addMetric('ResolvedFindings', MetricUnit.Count, transitions('resolved'));
      deps.metrics.addMetric('Changes', MetricUnit.Count, report.changes?.length ?? 0);
      deps.metrics.addMetric('PublishFailures', MetricUnit.Count, tracked.publishFailures.length);
      if (deps.exporter) deps.metrics.addMetric('SecurityHubImports', MetricUnit.Count, tracked.exported);
      deps.metrics.addMetric('StateConflicts', MetricUnit.Count, tracked.conflicts.length);
      for (const f of tracked.publishFailures) deps.logger.error('publish failed: the news stays queued for the next run', { cluster: f.outcome.key, reason: f.error });
      deps.metrics.addMetric('StateWriteFailures', MetricUnit.Count, tracked.stateFailures.length);
      for (const f of tracked.stateFailures) {
        deps.logger.error(
          f.published
            ? 'state write failed after publishing: the news is published once more when the lease expires'
            : 'state write failed: nothing was published, the next run tries again',
          { cluster: f.outcome.key, reason: f.error },
        );
      }
    }
    for (const [severity, count] of Object.entries(summary.failingBySeverity)) {
      deps.metrics.addMetric(`Failed${severity[0]!.toUpperCase()}${severity.slice(1)}`, MetricUnit.Count, count);
    }
    deps.metrics.publishStoredMetrics();
    return summary;
  }

  /** CloudTrail change events (from the queue, coalesced by its batching window): scan only what they can affect. */
  async function scanChanges(event: SQSEvent, scanId: string, deadline: Date | undefined) {
    const { events, rejected } = parseChangeEvents(event);
    for (const r of rejected)
      deps.logger.error('change event rejected: reported as a batch item failure (the queue retries it, then moves it to the dead-letter queue)', {
        messageId: r.messageId,
        reason: r.reason,
      });
    deps.metrics.addMetric('RejectedChangeEvents', MetricUnit.Count, rejected.length);
    deps.metrics.publishStoredMetrics();
    const receivedIds = new Set(event.Records.map((r) => r.messageId));
    // Records are reported by the id SQS gave them; one without (never sent by SQS) cannot be.
    const batchItemFailures = rejected.filter((r) => receivedIds.has(r.messageId)).map((r) => ({ itemIdentifier: r.messageId }));
    const configured = new Set(deps.config.regions);
    const inScope = events.filter((e) => configured.has(e.region) || e.eventSource === 'iam.amazonaws.com');
    const accounts = [...new Set(inScope.map((e) => e.account))];
    const records = deps.store ? (await Promise.all(accounts.flatMap((account) => deps.config.regions.map((region) => deps.store!.loadRegion(account, region))))).flat() : [];
    const targets = deps.store
      ? targetsOf(inScope, records, { regions: deps.config.regions })
      : [...new Set(inScope.map((e) => e.region).filter((r) => configured.has(r)))].map((region) => ({ region, clusterNames: 'all' as const }));
    deps.logger.info('change events', { received: event.Records.length, rejected: rejected.length, targets });
    const summaries = [];
    for (const [i, target] of targets.entries()) {
      summaries.push(await scan([target.region], target.clusterNames === 'all' ? undefined : target.clusterNames, `${scanId}-${i}`, deadline));
    }
    // Records that cannot be parsed fail alone, so they reach the dead-letter queue (and its alarm)
    // instead of vanishing into a log; a failing scan throws and the whole batch is retried.
    return { batchItemFailures, targets, summaries };
  }

  return async (event: ScheduledEvent | SQSEvent, context?: Context) => {
    if (context) deps.logger.addContext(context);
    const started = (deps.clock ?? (() => new Date()))();
    const scanId = context?.awsRequestId ?? `scan-${started.toISOString()}`;
    // Collection stops in time to store, publish and report before the invocation's own timeout.
    const deadline = collectionDeadline(started, context, deps.config.timeReserveSeconds);
    if (isSqsEvent(event)) return scanChanges(event, scanId, deadline);
    if (!isScheduledEvent(event)) {
      const e = event as { source?: unknown; 'detail-type'?: unknown };
      throw new Error(
        `scan: expected an EventBridge "Scheduled Event" from aws.events or an SQS batch of change events, got source=${String(e?.source)} detail-type=${String(e?.['detail-type'])}`,
      );
    }
    return scan(deps.config.regions, undefined, scanId, deadline);
  };
}
