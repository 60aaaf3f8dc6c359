/**
 * Reporting end to end: `eksguard scan --state --sns-topic` publishes to the simulated account's
 * SNS exactly the news of each scan, one message per cluster that has something to say.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatNotification } from '../../functions/core/notification/chat-notification.js';
import { DEMO_CHANGES, loadDemoWorld, runCli, simulatorEnv } from '../demo/run-demo.js';
import { startSimulator, type Simulator } from '../simulator/server.js';

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:eksguard-alerts';
let simulator: Simulator;
let stateFile: string;

beforeAll(async () => {
  simulator = await startSimulator({ world: await loadDemoWorld() });
  stateFile = join(mkdtempSync(join(tmpdir(), 'eksguard-e2e-')), 'state.json');
});
afterAll(() => simulator?.close());

async function scanAndPublish() {
  const before = simulator.published.length;
  const { code, stderr } = await runCli(
    ['scan', '--region', 'us-east-1', '--state', stateFile, '--sns-topic', TOPIC, '--alert-digest-threshold', '100', '--quiet', '--format', 'json'],
    simulatorEnv(simulator.url),
  );
  expect(stderr).toBe('');
  return { code, messages: simulator.published.slice(before) };
}

describe('publishing to SNS', () => {
  it('publishes one message per cluster with findings (a baseline: the clean cluster says nothing), in the chat schema, with routing attributes', async () => {
    const { messages } = await scanAndPublish();
    expect(messages.map((m) => m.messageAttributes.cluster?.StringValue).sort()).toEqual([
      'air-gapped',
      'analytics',
      'batch-jobs',
      'data-pipeline',
      'edge-gateway',
      'legacy-hybrid',
      'ml-training',
      'old-reporting',
      'sandbox',
      'store-edge',
      'stream-ingest',
      'web-frontend',
    ]);
    for (const m of messages) {
      expect(m.topicArn).toBe(TOPIC);
      expect(m.messageStructure).toBe('json');
      expect(m.subject!.length).toBeLessThanOrEqual(100);
      const body = JSON.parse(m.message) as Record<string, string>;
      expect(ChatNotification.safeParse(JSON.parse(body.default!)).success).toBe(true);
      expect(body.email).toContain(m.messageAttributes.cluster!.StringValue);
      expect(m.messageAttributes.account?.StringValue).toBe('111122223333');
      expect(m.messageAttributes.region?.StringValue).toBe('us-east-1');
    }
    const batch = messages.find((m) => m.messageAttributes.cluster?.StringValue === 'batch-jobs')!;
    expect(batch.messageAttributes.severity?.StringValue).toBe('critical');
    expect(JSON.parse(batch.messageAttributes.policyIds!.StringValue!)).toEqual(
      expect.arrayContaining(['endpoint-nodes-can-reach-api', 'endpoint-private-access-enabled', 'endpoint-public-access-disabled']),
    );
  });

  it('after a change publishes exactly the changed clusters, and nothing when nothing changed', async () => {
    for (const change of DEMO_CHANGES) change.apply(simulator.world);
    const { messages } = await scanAndPublish();
    expect(messages.map((m) => m.messageAttributes.cluster?.StringValue).sort()).toEqual(['analytics', 'ml-training', 'payments-prod']);
    const payments = messages.find((m) => m.messageAttributes.cluster?.StringValue === 'payments-prod')!;
    const email = (JSON.parse(payments.message) as { email: string }).email;
    expect(email).toContain('cluster-sg-no-public-ingress');
    expect(email).toContain('tcp 443 from 0.0.0.0/0');
    expect(JSON.parse(payments.messageAttributes.kind!.StringValue!)).toEqual(expect.arrayContaining(['new', 'drift']));
    const ml = messages.find((m) => m.messageAttributes.cluster?.StringValue === 'ml-training')!;
    expect(JSON.parse(ml.messageAttributes.kind!.StringValue!)).toEqual(expect.arrayContaining(['resolved']));

    const quiet = await scanAndPublish();
    expect(quiet.messages).toEqual([]);
  });

  it('a publish that fails is reported and published again on the next run', async () => {
    simulator.world.regions['us-east-1']!.clusters.find((c) => c.name === 'analytics')!.endpointPrivateAccess = true;
    simulator.setFaults({ rules: [{ service: 'sns', operation: 'Publish', error: 'AuthorizationError', status: 403 }] });
    const failed = await runCli(
      ['scan', '--region', 'us-east-1', '--state', stateFile, '--sns-topic', TOPIC, '--alert-digest-threshold', '100', '--quiet', '--format', 'json'],
      simulatorEnv(simulator.url),
    );
    expect(failed.stderr).toContain('could not publish the news of analytics');
    simulator.setFaults(undefined);
    const { messages } = await scanAndPublish();
    expect(messages.map((m) => m.messageAttributes.cluster?.StringValue)).toEqual(['analytics']);
    expect(JSON.parse(messages[0]!.messageAttributes.kind!.StringValue!)).toEqual(expect.arrayContaining(['resolved', 'drift']));
  });
});
