/** The scheduled scan use case behind functions/scan.ts, with its dependencies passed in. */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { HandlerConfig } from './config.js';
import { runScan, type ScanDependencies } from './run-scan.js';
import { runTrackedScan, type Publisher } from './tracked-scan.js';
import type { StateStore } from '../state/state-store.js';
import type { CompiledPolicy } from '../core/policy/compile.js';
import type { PolicyException } from '../core/policy/exceptions.js';
import type { ScanReport } from '../core/report/report.js';

export interface ScanHandlerDependencies extends ScanDependencies {
  /** With a store, the scan tracks state: only transitions and drift are published. */
  store?: StateStore;
  publisher?: Publisher;
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

export function createScanHandler(deps: ScanHandlerDependencies) {
  return async (event: ScheduledEvent, context?: Context) => {
    if (event?.source !== 'aws.events' || event['detail-type'] !== 'Scheduled Event') {
      throw new Error(`scan: expected an EventBridge "Scheduled Event" from aws.events, got source=${String(event?.source)} detail-type=${String(event?.['detail-type'])}`);
    }
    if (context) deps.logger.addContext(context);
    const now = (deps.clock ?? (() => new Date()))();
    const request = { regions: deps.config.regions, policies: deps.policies, exceptions: deps.exceptions, now };
    const tracked = deps.store
      ? await runTrackedScan(
          {
            ...request,
            scanId: context?.awsRequestId ?? `scan-${now.toISOString()}`,
            ...(deps.config.reminderHours ? { reminderHours: deps.config.reminderHours } : {}),
            ...(deps.config.alertMinSeverity ? { alertMinSeverity: deps.config.alertMinSeverity } : {}),
          },
          { ...deps, store: deps.store },
        )
      : undefined;
    const report = tracked?.report ?? (await runScan(request, deps)).report;
    const summary = summarise(report);
    deps.logger.info('scan finished', { summary });
    for (const e of report.errors) deps.logger.error('region could not be scanned', { region: e.region, reason: e.message });
    for (const e of report.expiredExceptions) deps.logger.warn('exception expired', { exception: e });
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
      deps.metrics.addMetric('StateConflicts', MetricUnit.Count, tracked.conflicts.length);
      for (const f of tracked.publishFailures) deps.logger.error('publish failed: the news stays queued for the next run', { cluster: f.outcome.key, reason: f.error });
    }
    for (const [severity, count] of Object.entries(summary.failingBySeverity)) {
      deps.metrics.addMetric(`Failed${severity[0]!.toUpperCase()}${severity.slice(1)}`, MetricUnit.Count, count);
    }
    deps.metrics.publishStoredMetrics();
    return summary;
  };
}

