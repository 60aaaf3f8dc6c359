/**
 * No flood: the first scan of an account/region is a baseline (clusters with nothing to say stay
 * quiet), and more clusters with news than the digest threshold make one digest for the
 * account/region instead of a message each. `eksguard scan --state --sns-topic` against the
 * simulated account's SNS.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatNotification } from '../../functions/core/notification/chat-notification.js';
import type { ScanReport } from '../../functions/core/report/report.js';
import { DEMO_CHANGES, loadDemoWorld, runCli, simulatorEnv } from '../demo/run-demo.js';
import { startSimulator, type Simulator } from '../simulator/server.js';

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:eksguard-alerts';
let simulator: Simulator;
let stateFile: string;
let clustersWithFindings: string[];

beforeAll(async () => {
  simulator = await startSimulator({ world: await loadDemoWorld() });
  stateFile = join(mkdtempSync(join(tmpdir(), 'eksguard-digest-')), 'state.json');
});
afterAll(() => simulator?.close());

/** The default threshold: the demo world's first scan has more clusters with findings than that. */
const THRESHOLD = '10';

async function scanAndPublish() {
  const before = simulator.published.length;
  const { stdout, stderr } = await runCli(
    ['scan', '--region', 'us-east-1', '--state', stateFile, '--sns-topic', TOPIC, '--quiet', '--format', 'json'],
    simulatorEnv(simulator.url),
  );
  expect(stderr).toBe('');
  const attr = (m: (typeof simulator.published)[number], name: string) => m.messageAttributes[name]?.StringValue;
  return { report: JSON.parse(stdout) as ScanReport, messages: simulator.published.slice(before), attr };
}

describe('digest and baseline', () => {
  it('first scan: one digest (or its numbered parts) naming every cluster with findings and no clean cluster', async () => {
    const { report, messages, attr } = await scanAndPublish();
    clustersWithFindings = [...new Set(report.results.filter((r) => r.status === 'fail').map((r) => r.cluster))].sort();
    expect(clustersWithFindings.length).toBeGreaterThan(Number(THRESHOLD));
    expect(messages.length).toBeGreaterThanOrEqual(1);
    const named = messages.flatMap((m) => JSON.parse(attr(m, 'clusters')!) as string[]).sort();
    expect(named).toEqual(clustersWithFindings);
    expect(named).not.toContain('payments-prod');
    for (const [i, m] of messages.entries()) {
      expect(JSON.parse(attr(m, 'kind')!)).toContain('digest');
      expect(attr(m, 'cluster')).toBeUndefined();
      expect(m.subject).toContain('111122223333');
      if (messages.length > 1) expect(m.subject).toContain(`[${i + 1}/${messages.length}]`);
      const body = JSON.parse(m.message) as Record<string, string>;
      const chat = ChatNotification.parse(JSON.parse(body.default!));
      expect(chat.metadata?.threadId).toBe('eksguard-111122223333-us-east-1');
      for (const cluster of JSON.parse(attr(m, 'clusters')!) as string[]) {
        expect(chat.content.description).toContain(`\`${cluster}\``);
        // The email carries the whole list: every failing policy of every cluster in the part.
        for (const r of report.results.filter((x) => x.cluster === cluster && x.status === 'fail')) expect(body.email).toContain(r.policy);
      }
    }
    const chat = ChatNotification.parse(JSON.parse((JSON.parse(messages[0]!.message) as Record<string, string>).default!));
    // Most severe first: batch-jobs has the only critical finding.
    expect(chat.content.description.indexOf('`batch-jobs`')).toBeLessThan(chat.content.description.indexOf('`old-reporting`'));
    expect(chat.content.description).toMatch(/critical/);
  });

  it('second, unchanged scan: nothing', async () => {
    const { messages } = await scanAndPublish();
    expect(messages).toEqual([]);
  });

  it('a change on one cluster: one message for that cluster, threaded with its own earlier news', async () => {
    DEMO_CHANGES.find((c) => c.description.startsWith('ml-training'))!.apply(simulator.world);
    const { messages, attr } = await scanAndPublish();
    expect(messages).toHaveLength(1);
    expect(attr(messages[0]!, 'cluster')).toBe('ml-training');
    expect(JSON.parse(attr(messages[0]!, 'kind')!)).not.toContain('digest');
    expect(JSON.parse(attr(messages[0]!, 'kind')!)).toContain('resolved');
  });

  it('a cluster that appears after the baseline is news, even without findings', async () => {
    const region = simulator.world.regions['us-east-1']!;
    const clean = region.clusters.find((c) => c.name === 'payments-prod')!;
    region.clusters.push({ ...structuredClone(clean), name: 'payments-canary' });
    const { messages, attr } = await scanAndPublish();
    expect(messages.map((m) => attr(m, 'cluster'))).toEqual(['payments-canary']);
    expect(JSON.parse(attr(messages[0]!, 'kind')!)).toContain('cluster-new');
  });
});
