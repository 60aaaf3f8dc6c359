/**
 * One message for an account/region instead of one per cluster, when a scan has news for more
 * clusters than the digest threshold (a first scan, a change rolled out everywhere): counts by
 * severity and by transition, then each cluster with its new and resolved findings (severity,
 * policy id, one line) and its number of changes, most severe cluster first. Pure.
 *
 * - Chat: an Amazon Q Developer custom notification threaded under `eksguard-<account>-<region>`;
 *   a cluster's list is shortened to DIGEST_CHAT_FINDINGS lines and says how many it left out.
 * - Email: the whole list, every finding with what to do and the command.
 * - SNS attributes as for cluster messages, with `kind` containing `digest` and `clusters` naming
 *   the clusters (String.Array). Numbered parts only where the limits force them (the chat
 *   description's 8,000 characters, the topic's message size); a cluster is never split.
 */
import type { TrackedResult } from '../drift/lifecycle.js';
import type { ClusterOutcome, News } from '../drift/track.js';
import { severityRank, type Severity } from '../severities.js';
import type { SnsMessageAttribute } from './attributes.js';
import { CHAT_CAPS, CHAT_LIMITS } from './chat-limits.js';
import type { ChatNotification } from './chat-notification.js';
import { clusterLocation } from './cluster-location.js';
import { ACTIONABLE, isLifecycleChange, KINDS, prepareItems, SEVERITY_EMOJI, TRANSITION_LABEL, TRANSITION_ORDER, transitionOf, type Kind, type PreparedItem } from './items.js';
import type { RenderOptions } from './part-context.js';
import type { RenderedPart, SnsPublish } from './render.js';
import { POLICY_IDS_ATTRIBUTE_MAX_BYTES, SNS_LIMITS } from './sns-limits.js';
import { ascii, clipAscii, clipMarkdown, code, dedupe, escapeMrkdwn, fitText, sanitizeId, utf8 } from './text.js';

/** Finding lines per cluster in the chat version (the email lists them all). */
export const DIGEST_CHAT_FINDINGS = 4;
/** One line per finding: the message is clipped to this in chat. */
const DIGEST_LINE_MAX = 180;
/** eksguard's cap on the `clusters` attribute value (a JSON array string). */
export const CLUSTERS_ATTRIBUTE_MAX_BYTES = 2_048;

export interface ClusterNews {
  outcome: ClusterOutcome;
  news: News;
}

export interface RegionDigest {
  account: string;
  region: string;
  clusters: ClusterNews[];
}

interface DigestCluster {
  name: string;
  outcome: ClusterOutcome;
  findings: TrackedResult[];
  changes: number;
  items: PreparedItem[];
  top: number;
}

export function renderDigest(digest: RegionDigest, options: RenderOptions): SnsPublish[] {
  return renderDigestParts(digest, options).map((p) => ({ subject: p.subject, message: p.message, messageStructure: 'json' as const, attributes: p.attributes }));
}

const byFinding = (a: TrackedResult, b: TrackedResult) =>
  severityRank(b.severity) - severityRank(a.severity) || TRANSITION_ORDER.indexOf(transitionOf(a)) - TRANSITION_ORDER.indexOf(transitionOf(b)) || a.policy.localeCompare(b.policy);

export function renderDigestParts(digest: RegionDigest, options: RenderOptions): RenderedPart[] {
  const clusters: DigestCluster[] = digest.clusters
    .map(({ outcome, news }) => {
      const findings = [...news.results].sort(byFinding);
      return {
        name: outcome.key.cluster,
        outcome,
        findings,
        changes: news.changes.filter((c) => !isLifecycleChange(c)).length,
        items: prepareItems(outcome, news),
        top: Math.max(0, ...findings.filter((r) => ACTIONABLE.has(transitionOf(r))).map((r) => severityRank(r.severity))),
      };
    })
    .sort((a, b) => b.top - a.top || b.findings.length - a.findings.length || a.name.localeCompare(b.name));
  if (clusters.length === 0) return [];
  const ctx = { digest, options, clusters, maxBytes: options.maxMessageBytes ?? SNS_LIMITS.messageBytes, counts: countsOf(clusters) };

  const groups: { clusters: DigestCluster[]; first: number }[] = [];
  let current: DigestCluster[] = [];
  let first = 1;
  for (const cluster of clusters) {
    if (fits(ctx, [...current, cluster])) {
      current.push(cluster);
      continue;
    }
    if (current.length === 0) throw new Error(`eksguard notify: the news of cluster ${cluster.name} does not fit an SNS message of ${ctx.maxBytes} bytes`);
    groups.push({ clusters: current, first });
    first += current.length;
    current = [cluster];
    if (!fits(ctx, current)) throw new Error(`eksguard notify: the news of cluster ${cluster.name} does not fit an SNS message of ${ctx.maxBytes} bytes`);
  }
  groups.push({ clusters: current, first });
  return groups.map((g, i) => renderPart(ctx, g.clusters, { index: i + 1, count: groups.length, first: g.first }));
}

type Ctx = { digest: RegionDigest; options: RenderOptions; clusters: DigestCluster[]; maxBytes: number; counts: Counts };
type Numbers = { index: number; count: number; first: number };

function fits(ctx: Ctx, clusters: DigestCluster[]): boolean {
  const worst = ctx.clusters.length;
  const part = renderPart(ctx, clusters, { index: worst, count: worst, first: worst });
  return part.chat.content.description.length <= CHAT_LIMITS.description && part.bytes <= ctx.maxBytes;
}

interface Counts {
  bySeverity: [Severity, number][];
  byTransition: [string, number][];
  long: string;
  short: string;
}

function countsOf(clusters: DigestCluster[]): Counts {
  const findings = clusters.flatMap((c) => c.findings);
  const needAction = findings.filter((r) => ACTIONABLE.has(transitionOf(r)));
  const severities: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
  const bySeverity = severities.map((s) => [s, needAction.filter((r) => r.severity === s).length] as [Severity, number]).filter(([, n]) => n > 0);
  const n = (t: string) => findings.filter((r) => transitionOf(r) === t).length;
  const changes = clusters.reduce((sum, c) => sum + c.changes, 0);
  const newClusters = clusters.filter((c) => c.outcome.kind === 'new').length;
  const deleted = clusters.filter((c) => c.outcome.kind === 'deleted').length;
  const byTransition = (
    [
      ['new', n('new')],
      ['exception expired', n('exception-expired')],
      ['could not check', n('error')],
      ['reminder', n('ongoing')],
      ['excepted', n('excepted')],
      ['resolved', n('resolved')],
      ['changes', changes],
      ['new clusters', newClusters],
      ['deleted clusters', deleted],
    ] as [string, number][]
  ).filter(([, count]) => count > 0);
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const long = [
    plural(clusters.length, 'cluster'),
    n('new') && plural(n('new'), 'new finding'),
    n('resolved') && `${n('resolved')} resolved`,
    n('error') && `${n('error')} could not check`,
    changes && plural(changes, 'change'),
  ]
    .filter((x): x is string => typeof x === 'string' && x !== '')
    .join(', ');
  const short = [
    plural(clusters.length, 'cluster'),
    n('new') && `${n('new')} new`,
    n('resolved') && `${n('resolved')} resolved`,
    n('error') && `${n('error')} errors`,
    changes && plural(changes, 'change'),
  ]
    .filter((x): x is string => typeof x === 'string' && x !== '')
    .join(', ');
  return { bySeverity, byTransition, long, short };
}

function clusterHeadline(c: DigestCluster): string {
  const tally = new Map<string, number>();
  for (const r of c.findings) tally.set(TRANSITION_LABEL[transitionOf(r)].toLowerCase(), (tally.get(TRANSITION_LABEL[transitionOf(r)].toLowerCase()) ?? 0) + 1);
  const parts = [...tally].map(([label, count]) => `${count} ${label}`);
  if (c.changes) parts.push(`${c.changes} change${c.changes === 1 ? '' : 's'}`);
  if (c.outcome.kind === 'new') parts.unshift('new cluster');
  if (c.outcome.kind === 'deleted') parts.unshift('deleted');
  if (c.outcome.kind === 'unreadable') parts.unshift('could not be read');
  return parts.join(', ') || 'news';
}

function chatSection(c: DigestCluster): string[] {
  const { account, region } = c.outcome.key;
  const location = clusterLocation(account, region, c.name);
  const head = `*${code(c.name)}* · ${escapeMrkdwn(clusterHeadline(c))}${location.consoleUrl ? ` · <${location.consoleUrl}|console>` : ''}`;
  const shown = c.findings.slice(0, DIGEST_CHAT_FINDINGS).map((r) => {
    const prefix = `• ${SEVERITY_EMOJI[r.severity]} *${r.severity.toUpperCase()}* · ${TRANSITION_LABEL[transitionOf(r)]} · ${code(r.policy)} — `;
    return prefix + clipMarkdown(escapeMrkdwn(r.message.split(/\r?\n/)[0]!), DIGEST_LINE_MAX, 'see the email version');
  });
  const more = c.findings.length - shown.length;
  return [head, ...shown, ...(more > 0 ? [`_… and ${more} more finding${more === 1 ? '' : 's'} on ${escapeMrkdwn(c.name)}: the email version lists them all._`] : [])];
}

function emailSection(c: DigestCluster): string[] {
  const { account, region } = c.outcome.key;
  const location = clusterLocation(account, region, c.name);
  const findings = c.items.filter((i) => i.severity !== undefined);
  const changes = c.items.filter((i) => i.severity === undefined);
  return [
    `=== ${c.name}: ${clusterHeadline(c)}`,
    `    Console: ${location.consoleUrl ?? `(no link: ${location.noConsoleReason})`}`,
    '',
    ...findings.flatMap((i) => [...i.emailLines, '']),
    ...(changes.length ? [`  CHANGES (${changes.length}, before -> after)`, ...changes.flatMap((i) => i.emailLines), ''] : []),
  ];
}

function renderPart(ctx: Ctx, clusters: DigestCluster[], numbers: Numbers): RenderedPart {
  const { account, region } = ctx.digest;
  const { scanId, generatedAt } = ctx.options;
  const split = numbers.count > 1;
  const last = numbers.first + clusters.length - 1;
  const partLabel = `part ${numbers.index} of ${numbers.count}`;
  const total = ctx.clusters.length;
  const findings = clusters.flatMap((c) => c.findings);
  const severities = dedupe(findings.map((r) => r.severity)).sort((a, b) => severityRank(b) - severityRank(a));
  const urgent = findings.some((r) => (transitionOf(r) === 'new' || transitionOf(r) === 'exception-expired') && severityRank(r.severity) >= severityRank('high'));
  const emoji = urgent ? ':rotating_light:' : findings.some((r) => ACTIONABLE.has(transitionOf(r))) ? ':warning:' : ':information_source:';

  // ---- attributes (the clusters and policyIds lists are shortened to their byte caps, and say so)
  const names = clusters.map((c) => c.name);
  let listedClusters = names.length;
  while (listedClusters > 0 && utf8(JSON.stringify(names.slice(0, listedClusters))) > CLUSTERS_ATTRIBUTE_MAX_BYTES) listedClusters--;
  const policies = dedupe(findings.map((r) => r.policy));
  let listedPolicies = policies.length;
  while (listedPolicies > 0 && utf8(JSON.stringify(policies.slice(0, listedPolicies))) > POLICY_IDS_ATTRIBUTE_MAX_BYTES) listedPolicies--;
  const kinds = new Set<Kind>(clusters.flatMap((c) => c.items.map((i) => i.kind)));
  for (const c of clusters) {
    if (c.outcome.kind === 'new') kinds.add('cluster-new');
    if (c.outcome.kind === 'deleted') kinds.add('cluster-deleted');
  }
  const attributes: Record<string, SnsMessageAttribute> = {};
  const put = (name: string, DataType: SnsMessageAttribute['DataType'], StringValue: string) => {
    if (StringValue !== '' && StringValue !== '[]') attributes[name] = { DataType, StringValue };
  };
  const actionable = findings.filter((r) => ACTIONABLE.has(transitionOf(r)));
  put('severity', 'String', severities[0] ?? 'none');
  put('actionSeverity', 'String', dedupe(actionable.map((r) => r.severity)).sort((a, b) => severityRank(b) - severityRank(a))[0] ?? 'none');
  put('severities', 'String.Array', JSON.stringify(severities));
  put('kind', 'String.Array', JSON.stringify(['digest', ...KINDS.filter((k) => kinds.has(k))]));
  put('clusters', 'String.Array', JSON.stringify(names.slice(0, listedClusters)));
  put('account', 'String', account);
  put('region', 'String', region);
  put('scanId', 'String', scanId);
  put('policyIds', 'String.Array', JSON.stringify(policies.slice(0, listedPolicies)));
  const notes = [
    ...(listedClusters < names.length ? [`The clusters message attribute lists ${listedClusters} of the ${names.length} clusters in this message.`] : []),
    ...(listedPolicies < policies.length ? [`The policyIds message attribute lists ${listedPolicies} of the ${policies.length} policies in this message.`] : []),
  ];

  // ---- chat
  const counts = ctx.counts;
  const where = `${account}, ${region}`;
  const title = fitText(`${emoji} eksguard digest: ${counts.long} (${where})`, CHAT_LIMITS.title, split ? ` (${partLabel})` : '');
  const header = [
    `*${total} clusters* with news in account ${code(account)} · region ${code(region)}`,
    ...(counts.bySeverity.length ? [`*Need action, by severity*: ${counts.bySeverity.map(([s, n]) => `${SEVERITY_EMOJI[s]} ${n} ${s}`).join(' · ')}`] : []),
    `*By transition*: ${counts.byTransition.map(([t, n]) => `${n} ${t}`).join(' · ')}`,
    `Scan ${code(scanId)} at ${escapeMrkdwn(generatedAt)}${split ? ` · *${partLabel}* (clusters ${numbers.first}–${last} of ${total}, most severe first; the other parts carry the rest)` : ' · most severe cluster first'}`,
  ];
  const description = [...header, ...clusters.flatMap((c) => ['', ...chatSection(c)]), ...(notes.length ? ['', ...notes.map((n) => `_${escapeMrkdwn(n)}_`)] : [])].join('\n');
  const steps = dedupe(clusters.flatMap((c) => c.items.flatMap((i) => (i.nextStep ? [i.nextStep] : []))));
  const nextSteps =
    steps.length <= CHAT_CAPS.nextSteps
      ? steps
      : [...steps.slice(0, CHAT_CAPS.nextSteps - 1), `… and ${steps.length - (CHAT_CAPS.nextSteps - 1)} more remediations: the email version of this digest lists every command.`];
  const arns = clusters.flatMap((c) => clusterLocation(account, region, c.name).clusterArn ?? []);
  const relatedResources =
    arns.length <= CHAT_CAPS.relatedResources ? arns : [...arns.slice(0, CHAT_CAPS.relatedResources), `… and ${arns.length - CHAT_CAPS.relatedResources} more`];
  const chat: ChatNotification = {
    version: '1.0',
    source: 'custom',
    id: sanitizeId(`eksguard-digest-${scanId}-${account}-${region}-${numbers.index}-of-${numbers.count}`),
    content: {
      textType: 'client-markdown',
      title,
      description,
      ...(nextSteps.length ? { nextSteps } : {}),
      keywords: dedupe([...severities, region, 'digest', 'eksguard']).slice(0, CHAT_CAPS.keywords),
    },
    metadata: {
      threadId: sanitizeId(`eksguard-${account}-${region}`),
      summary: fitText(`eksguard digest: ${counts.long} (${where})`, CHAT_CAPS.summary, split ? ` (${partLabel})` : ''),
      eventType: 'eksguard-digest',
      relatedResources,
      additionalContext: { account, region, scanId, generatedAt, part: `${numbers.index}/${numbers.count}`, clusters: `${numbers.first}-${last} of ${total}` },
      enableCustomActions: true,
    },
  };

  // ---- email
  const email = [
    `eksguard digest: ${counts.long} (${where})`,
    ...(split ? [`This is ${partLabel}: clusters ${numbers.first}-${last} of ${total}. The other parts carry the rest.`] : []),
    '',
    `Account:  ${account}`,
    `Region:   ${region}`,
    `Scan:     ${scanId} at ${generatedAt}`,
    ...(counts.bySeverity.length ? [`Need action, by severity: ${counts.bySeverity.map(([s, n]) => `${n} ${s}`).join(', ')}`] : []),
    `By transition: ${counts.byTransition.map(([t, n]) => `${n} ${t}`).join(', ')}`,
    '',
    `CLUSTERS (${clusters.length}${split ? ` of ${total}` : ''}, most severe first)`,
    '',
    ...clusters.flatMap(emailSection),
    ...notes,
    '--',
    'Sent by eksguard. Review each command before running it.',
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');

  // ---- SNS
  const chatJson = JSON.stringify(chat);
  const message = JSON.stringify({ default: chatJson, https: chatJson, email });
  const tail = split ? ` [${numbers.index}/${numbers.count}]` : '';
  const subjectHead = ascii(`eksguard digest: ${counts.short}`);
  const subjectWhere = ascii(` (${account} ${region})`);
  const room = SNS_LIMITS.subjectChars - tail.length - subjectWhere.length;
  // The account and region are never cut: a mailbox that gets several accounts sorts by them.
  const subject = `${clipAscii(subjectHead, room)}${subjectWhere}${tail}`;
  const bytes = utf8(message) + utf8(subject) + Object.entries(attributes).reduce((sum, [name, a]) => sum + utf8(name) + utf8(a.DataType) + utf8(a.StringValue), 0);
  return { subject, chat, email, attributes, message, bytes };
}
