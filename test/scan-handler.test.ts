/** The scheduled handler: same scan as the CLI, structured summary logged, counts emitted as metrics. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context, ScheduledEvent, SQSEvent } from 'aws-lambda';
import { DynamoDbStateStore } from '../functions/state/dynamodb-state-store.js';
import type { LocalDynamo } from './support/dynalite.js';
import { startSimulatedAws, type SimulatedAws } from './support/simulated-aws.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readHandlerConfig } from '../functions/app/environment.js';
import { createScanHandler, type summarise } from '../functions/app/scan-handler.js';
import { awsCollector } from '../functions/wiring.js';
import { DEFAULT_POLICY_DIR, PACKAGE_ROOT } from '../functions/cli/paths.js';
import { loadPolicies } from '../functions/policy-files/load-policies.js';
import { DEMO_FAILURES } from './demo/demo-failures.js';
import { loadDemoWorld } from './demo/run-demo.js';
import type { Simulator } from './simulator/server.js';

const scheduledEvent: ScheduledEvent = {
  version: '0',
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '111122223333',
  time: '2026-11-25T08:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:111122223333:rule/eksguard-dev-scan'],
  detail: {},
};

let simulator: Simulator;
let dynamo: LocalDynamo;
let aws: SimulatedAws;
beforeAll(async () => {
  aws = await startSimulatedAws(await loadDemoWorld(new Date('2026-11-25T08:00:00Z')));
  ({ simulator, dynamo } = aws);
});
afterAll(() => aws.close());

function quietMetrics(): Metrics {
  const metrics = new Metrics({ namespace: 'eksguard', serviceName: 'test' });
  vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
  return metrics;
}

function handlerWith(metrics: Metrics, logger: Logger) {
  const config = readHandlerConfig({ EKSGUARD_REGIONS: 'us-east-1', EKSGUARD_POLICY_DIR: DEFAULT_POLICY_DIR });
  return createScanHandler({
    config,
    policies: loadPolicies(config.policyDir),
    collector: awsCollector('us-east-1'),
    logger,
    metrics,
    clock: () => new Date('2026-11-25T08:00:00Z'),
  });
}

describe('scan handler', () => {
  it('scans the configured regions, logs a summary and emits counts', async () => {
    const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
    const metrics = new Metrics({ namespace: 'eksguard', serviceName: 'test' });
    const info = vi.spyOn(logger, 'info');
    const added = vi.spyOn(metrics, 'addMetric');
    vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);

    const summary = (await handlerWith(metrics, logger)(scheduledEvent)) as ReturnType<typeof summarise>;

    expect(summary).toMatchObject({ account: '111122223333', regions: ['us-east-1'], clusters: 13, fail: 23, error: 0 });
    expect(summary.failingBySeverity).toEqual({ critical: 1, high: 12, medium: 8, low: 2 });
    expect(info).toHaveBeenCalledWith('scan finished', { summary });
    const emitted = Object.fromEntries(added.mock.calls.map(([name, , value]) => [name, value]));
    expect(emitted).toEqual({ ClustersScanned: 13, FailedResults: 23, ErrorResults: 0, RegionErrors: 0, FailedCritical: 1, FailedHigh: 12, FailedMedium: 8, FailedLow: 2 });
  });

  it('scans only the clusters a burst of CloudTrail change events can affect, once each', async () => {
    const store = new DynamoDbStateStore(dynamo.client, await dynamo.createStateTable());
    const config = readHandlerConfig({ EKSGUARD_REGIONS: 'us-east-1', EKSGUARD_POLICY_DIR: DEFAULT_POLICY_DIR });
    const metrics = quietMetrics();
    const handler = createScanHandler({
      config,
      policies: loadPolicies(config.policyDir),
      collector: awsCollector('us-east-1'),
      store,
      logger: new Logger({ logLevel: 'SILENT' }),
      metrics,
    });
    await handler(scheduledEvent);
    const added = vi.spyOn(metrics, 'addMetric');
    simulator.clearLog();
    const sample = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'test/events/cloudtrail-ec2-authorize-security-group-ingress.json'), 'utf8')) as SQSEvent;
    const template = sample.Records[0]!;
    const body = JSON.parse(template.body) as { region: string; detail: { awsRegion: string; requestParameters: { groupId: string } } };
    const burst = Array.from({ length: 50 }, (_, i) => {
      const b = structuredClone(body);
      b.region = b.detail.awsRegion = 'us-east-1';
      b.detail.requestParameters.groupId = 'sg-0payments-cluster';
      return { ...template, messageId: `m-${i}`, body: JSON.stringify(b), awsRegion: 'us-east-1' };
    });
    const result = (await handler({
      Records: [
        ...burst,
        { ...template, messageId: 'bad', body: '{not json' },
        { ...template, messageId: 'foreign', body: JSON.stringify({ ...body, 'detail-type': 'Object Created' }) },
      ],
    })) as { batchItemFailures: unknown[]; targets: unknown[] };
    // The unparseable records fail alone: SQS retries them, then moves them to the dead-letter queue.
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }, { itemIdentifier: 'foreign' }]);
    expect(added.mock.calls.filter(([name]) => name === 'RejectedChangeEvents').map(([, , value]) => value)).toEqual([2]);
    expect(result.targets).toEqual([{ region: 'us-east-1', clusterNames: ['payments-prod'] }]);
    expect(simulator.log.filter((l) => l.operation === 'DescribeCluster').map((l) => l.params.name)).toEqual(['payments-prod']);
    expect(simulator.log.filter((l) => l.operation === 'ListClusters')).toEqual([]);
  });

  it('rejects an event that is not a scheduled event, naming what it got', async () => {
    const handler = handlerWith(quietMetrics(), new Logger({ logLevel: 'SILENT' }));
    const cloudTrailEvent = { ...scheduledEvent, source: 'aws.ec2', 'detail-type': 'AWS API Call via CloudTrail' } as unknown as ScheduledEvent;
    await expect(handler(cloudTrailEvent)).rejects.toThrow(
      'expected an EventBridge "Scheduled Event" from aws.events or an SQS batch of change events, got source=aws.ec2 detail-type=AWS API Call via CloudTrail',
    );
  });

  it('writes the HTML wiring report of every full scan to the report store, and never of a targeted one', async () => {
    const written: { html: string; scanId: string }[] = [];
    const config = readHandlerConfig({ EKSGUARD_REGIONS: 'us-east-1', EKSGUARD_POLICY_DIR: DEFAULT_POLICY_DIR, EKSGUARD_REPORT_BUCKET: 'eksguard-reports-111122223333' });
    expect(config.reportBucket).toBe('eksguard-reports-111122223333');
    const store = new DynamoDbStateStore(dynamo.client, await dynamo.createStateTable());
    const logger = new Logger({ logLevel: 'SILENT' });
    const handler = createScanHandler({
      config,
      policies: loadPolicies(config.policyDir),
      collector: awsCollector('us-east-1'),
      store,
      reportStore: {
        putLatest: async (html, scan) => {
          written.push({ html, scanId: scan.scanId });
          return 's3://eksguard-reports-111122223333/reports/latest.html';
        },
      },
      logger,
      metrics: quietMetrics(),
    });
    await handler(scheduledEvent, { awsRequestId: 'req-1' } as Context);
    expect(written.map((w) => w.scanId)).toEqual(['req-1']);
    expect(written[0]!.html.match(/<section class="cluster"/g)).toHaveLength(Object.keys(DEMO_FAILURES).length);
    expect(written[0]!.html).toContain('data-cluster="batch-jobs"');
    const sample = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'test/events/cloudtrail-ec2-authorize-security-group-ingress.json'), 'utf8')) as SQSEvent;
    const body = JSON.parse(sample.Records[0]!.body) as { region: string; detail: { awsRegion: string; requestParameters: { groupId: string } } };
    body.region = body.detail.awsRegion = 'us-east-1';
    body.detail.requestParameters.groupId = 'sg-0payments-cluster';
    const targeted = (await handler({ Records: [{ ...sample.Records[0]!, body: JSON.stringify(body), awsRegion: 'us-east-1' }] })) as { targets: unknown[] };
    expect(targeted.targets).toEqual([{ region: 'us-east-1', clusterNames: ['payments-prod'] }]);
    expect(written).toHaveLength(1);
  });

  it('logs and counts a report that cannot be written, and the scan stands', async () => {
    const config = readHandlerConfig({ EKSGUARD_REGIONS: 'us-east-1', EKSGUARD_POLICY_DIR: DEFAULT_POLICY_DIR });
    const logger = new Logger({ logLevel: 'SILENT' });
    const failed = vi.spyOn(logger, 'error');
    const metrics = quietMetrics();
    const added = vi.spyOn(metrics, 'addMetric');
    const handler = createScanHandler({
      config,
      policies: loadPolicies(config.policyDir),
      collector: awsCollector('us-east-1'),
      reportStore: { putLatest: async () => Promise.reject(new Error('could not write s3://b/reports/latest.html: AccessDenied: denied')) },
      logger,
      metrics,
    });
    expect(await handler(scheduledEvent)).toMatchObject({ clusters: Object.keys(DEMO_FAILURES).length, fail: Object.values(DEMO_FAILURES).flat().length });
    expect(failed).toHaveBeenCalledWith('report could not be written', { reason: 'could not write s3://b/reports/latest.html: AccessDenied: denied' });
    expect(added.mock.calls.filter(([name]) => name === 'ReportWriteFailures').map(([, , v]) => v)).toEqual([1]);
  });

  it('refuses a report bucket that is not a bucket name', () => {
    expect(() => readHandlerConfig({ EKSGUARD_REGIONS: 'us-east-1', EKSGUARD_REPORT_BUCKET: 'Reports_Bucket' })).toThrow(
      'EKSGUARD_REPORT_BUCKET: "Reports_Bucket" is not an S3 bucket name',
    );
  });

  it('refuses a configuration without a valid region', () => {
    expect(() => readHandlerConfig({})).toThrow('EKSGUARD_REGIONS (or AWS_REGION) must name at least one region');
    expect(() => readHandlerConfig({ EKSGUARD_REGIONS: 'us-east-1,europe' })).toThrow('"europe" is not an AWS region name');
  });
});
