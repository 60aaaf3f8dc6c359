/** The scheduled handler: same scan as the CLI, structured summary logged, counts emitted as metrics. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { ScheduledEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readHandlerConfig } from '../functions/app/config.js';
import { createScanHandler } from '../functions/app/scan-handler.js';
import { createStsClient, regionClientCache } from '../functions/collect/aws-clients.js';
import { DEFAULT_POLICY_DIR } from '../functions/cli/paths.js';
import { loadPolicies } from '../functions/core/policy/load-policies.js';
import { loadDemoWorld } from './demo/run-demo.js';
import { startSimulator, type Simulator } from './simulator/server.js';

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
beforeAll(async () => {
  simulator = await startSimulator({ world: await loadDemoWorld(new Date('2026-11-25T08:00:00Z')) });
  process.env.AWS_ENDPOINT_URL = simulator.url;
});
afterAll(async () => {
  process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
  await simulator.close();
});

function handlerWith(metrics: Metrics, logger: Logger) {
  const config = readHandlerConfig({ EKSGUARD_REGIONS: 'us-east-1', EKSGUARD_POLICY_DIR: DEFAULT_POLICY_DIR });
  return createScanHandler({
    config,
    policies: loadPolicies(config.policyDir),
    clientsFor: regionClientCache(),
    sts: createStsClient('us-east-1'),
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

    const summary = await handlerWith(metrics, logger)(scheduledEvent);

    expect(summary).toMatchObject({ account: '111122223333', regions: ['us-east-1'], clusters: 10, fail: 20, error: 0 });
    expect(summary.failingBySeverity).toEqual({ critical: 1, high: 9, medium: 8, low: 2 });
    expect(info).toHaveBeenCalledWith('scan finished', { summary });
    const emitted = Object.fromEntries(added.mock.calls.map(([name, , value]) => [name, value]));
    expect(emitted).toEqual({ ClustersScanned: 10, FailedResults: 20, ErrorResults: 0, RegionErrors: 0, FailedCritical: 1, FailedHigh: 9, FailedMedium: 8, FailedLow: 2 });
  });

  it('rejects an event that is not a scheduled event, naming what it got', async () => {
    const handler = handlerWith(new Metrics({ namespace: 'eksguard' }), new Logger({ logLevel: 'SILENT' }));
    const cloudTrailEvent = { ...scheduledEvent, source: 'aws.ec2', 'detail-type': 'AWS API Call via CloudTrail' } as unknown as ScheduledEvent;
    await expect(handler(cloudTrailEvent)).rejects.toThrow(
      'expected an EventBridge "Scheduled Event" from aws.events, got source=aws.ec2 detail-type=AWS API Call via CloudTrail',
    );
  });

  it('refuses a configuration without a valid region', () => {
    expect(() => readHandlerConfig({})).toThrow('EKSGUARD_REGIONS (or AWS_REGION) must name at least one region');
    expect(() => readHandlerConfig({ EKSGUARD_REGIONS: 'us-east-1,europe' })).toThrow('"europe" is not an AWS region name');
  });
});
