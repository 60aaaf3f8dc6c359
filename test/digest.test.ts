/** The digest of many clusters' news: counts, most severe first, shortened lists that say so, parts only where the limits force them. */
import { describe, expect, it } from 'vitest';
import type { TrackedResult } from '../functions/core/drift/lifecycle.js';
import type { ClusterOutcome } from '../functions/core/drift/track.js';
import { ChatNotification } from '../functions/core/notification/chat-notification.js';
import { DIGEST_CHAT_FINDINGS, renderDigestParts, type RegionDigest } from '../functions/core/notification/digest.js';
import { SNS_LIMITS } from '../functions/core/notification/sns-limits.js';
import type { Severity } from '../functions/core/severity.js';

const options = { scanId: 'scan-1', generatedAt: '2026-12-01T10:00:00.000Z' };
const where = (cluster: string) => ({ account: '111122223333', region: 'eu-west-1', cluster });
const finding = (cluster: string, policy: string, severity: Severity, transition: 'new' | 'resolved' = 'new'): TrackedResult => ({
  policy,
  ...where(cluster),
  status: transition === 'new' ? 'fail' : 'pass',
  severity,
  message: `${policy} failed on ${cluster}: ${'a long explanation of what is wrong '.repeat(3)}`,
  transition,
  notify: true,
  ...(transition === 'new' ? { remediation: `Fix it. Run: aws eks update-cluster-config --region eu-west-1 --name ${cluster} --x ${policy}` } : {}),
});
const cluster = (name: string, results: TrackedResult[], drift = 0): { outcome: ClusterOutcome; news: { results: TrackedResult[]; changes: ClusterOutcome['changes'] } } => {
  const changes = Array.from({ length: drift }, (_, i) => ({ ...where(name), path: `p${i}`, before: 'a', after: 'b', summary: `field ${i} changed: a -> b` }));
  const outcome: ClusterOutcome = {
    key: where(name),
    kind: 'existing',
    changes,
    results,
    record: { ...where(name), version: 1, findings: {}, scanId: 's', updatedAt: 't' },
    previousVersion: 1,
  };
  return { outcome, news: { results, changes } };
};

describe('renderDigestParts', () => {
  const digest: RegionDigest = {
    account: '111122223333',
    region: 'eu-west-1',
    clusters: [
      cluster('quiet', [finding('quiet', 'a-low', 'low')], 2),
      cluster(
        'loud',
        ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map((p) => finding('loud', p, 'high')),
      ),
      cluster('worst', [finding('worst', 'crit', 'critical'), finding('worst', 'fixed', 'medium', 'resolved')]),
    ],
  };

  it('counts by severity and transition, lists clusters most severe first, and shortens a long list saying how much it left out', () => {
    const [part, ...more] = renderDigestParts(digest, options);
    expect(more).toEqual([]);
    const chat = ChatNotification.parse(part!.chat);
    const d = chat.content.description;
    expect(d).toContain('*3 clusters* with news in account `111122223333` · region `eu-west-1`');
    expect(d).toMatch(/Need action, by severity\*: :red_circle: 1 critical · :large_orange_circle: 6 high · :large_blue_circle: 1 low/);
    expect(d).toMatch(/By transition\*: 8 new · 1 resolved · 2 changes/);
    expect(d.indexOf('`worst`')).toBeLessThan(d.indexOf('`loud`'));
    expect(d.indexOf('`loud`')).toBeLessThan(d.indexOf('`quiet`'));
    expect(d).toContain('*`quiet`* · 1 new, 2 changes');
    expect(d).toContain(`… and ${6 - DIGEST_CHAT_FINDINGS} more findings on loud: the email version lists them all.`);
    expect(chat.metadata?.threadId).toBe('eksguard-111122223333-eu-west-1');
    // The email carries the whole list.
    for (const p of ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'crit', 'fixed', 'a-low']) expect(part!.email).toContain(p);
    expect(part!.subject).toBe('eksguard digest: 3 clusters, 8 new, 1 resolved, 2 changes (111122223333 eu-west-1)');
    expect(JSON.parse(part!.attributes.kind!.StringValue)).toEqual(['digest', 'new', 'resolved', 'drift']);
    expect(JSON.parse(part!.attributes.clusters!.StringValue)).toEqual(['worst', 'loud', 'quiet']);
    expect(part!.attributes.cluster).toBeUndefined();
    expect(part!.attributes.severity!.StringValue).toBe('critical');
  });

  it('splits into numbered parts only where the limits force them, never splitting a cluster', () => {
    const many: RegionDigest = {
      ...digest,
      clusters: Array.from({ length: 60 }, (_, i) =>
        cluster(
          `c${String(i).padStart(2, '0')}`,
          ['x', 'y', 'z'].map((p) => finding(`c${i}`, p, 'high')),
        ),
      ),
    };
    const parts = renderDigestParts(many, options);
    expect(parts.length).toBeGreaterThan(1);
    const named = parts.flatMap((p) => JSON.parse(p.attributes.clusters!.StringValue) as string[]);
    expect(named.sort()).toEqual(many.clusters.map((c) => c.outcome.key.cluster).sort());
    parts.forEach((p, i) => {
      const chat = ChatNotification.parse(p.chat);
      expect(chat.content.description.length).toBeLessThanOrEqual(8000);
      expect(p.bytes).toBeLessThanOrEqual(SNS_LIMITS.messageBytes);
      expect(p.subject.endsWith(` [${i + 1}/${parts.length}]`)).toBe(true);
      expect(p.subject.length).toBeLessThan(100);
      expect(chat.content.description).toContain(`part ${i + 1} of ${parts.length}`);
    });
    // Small enough in one message: no parts.
    expect(renderDigestParts({ ...many, clusters: many.clusters.slice(0, 5) }, options)).toHaveLength(1);
  });
});
