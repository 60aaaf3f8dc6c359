/**
 * Renders one cluster's news (new / resolved / excepted findings, expired exceptions, collection
 * errors, reminders, field-level drift) into SNS publish requests. Pure: no AWS SDK, no clock.
 *
 * One cluster per message. Each message is published with `MessageStructure: 'json'`
 * (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html): the Message is a JSON object whose
 * keys are protocols, `default` is required, and each value must be a string.
 *   - `default` and `https`: the Amazon Q Developer in chat applications (AWS Chatbot) custom
 *     notification JSON (./chat-notification.ts). Chatbot's subscription is an HTTPS endpoint, so it
 *     reads the `https` entry when present and `default` otherwise; both carry the same text, so
 *     either way it gets a valid notification. SQS, Lambda and email-json subscribers get `default`.
 *   - `email`: plain text for email subscribers, remediation commands on their own lines.
 *
 * When the news does not fit one message (SNS size limit, or the chat description limit), it is
 * split into numbered parts ("part 2 of 5" in the title, subject and additionalContext), each
 * complete on its own: cluster, account, region and console link repeated, items never split.
 * Nothing is cut silently: a clipped text or a shortened list says so in the message.
 */
import type { TrackedResult, Transition } from '../drift/lifecycle.js';
import type { ClusterChange, ClusterOutcome, News } from '../drift/track.js';
import { severityRank, type Severity } from '../severity.js';
import { CHAT_CAPS, CHAT_LIMITS, type ChatNotification } from './chat-notification.js';
import { REGION_NAME } from '../aws-names.js';

// ---------------------------------------------------------------------------------------------
// Limits

/**
 * SNS limits.
 * - Message size: "By default, a message can be at most 256 KiB in size (262,144 bytes, not 262,144
 *   characters)"; SNS validates the combined size of the message body and the message attributes
 *   (name, type and value all count) against the topic's MaximumMessageSize.
 *   https://docs.aws.amazon.com/sns/latest/api/API_Publish.html and
 *   https://docs.aws.amazon.com/sns/latest/api/API_MessageAttributeValue.html
 *   eksguard also counts the subject, to keep a margin.
 * - Subject: "UTF-8 text with no line breaks or control characters, and less than 100 characters
 *   long" (Publish API); the older wording also asked for ASCII beginning with a letter, number or
 *   punctuation mark. eksguard emits printable ASCII only, at most 99 characters.
 * - Message attributes: at most 10 reach an SQS subscription with raw message delivery (more and
 *   the message is discarded); names use A-Z a-z 0-9 _ - . up to 256 characters; values must be
 *   non-empty, and valid JSON strings when used for filtering; String.Array values are a JSON array
 *   formatted as a string. https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html
 *   Attribute-based filter policies compare String and String.Array attributes; a String.Array
 *   attribute matches when any element matches.
 *   https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html
 */
export const SNS_LIMITS = {
  messageBytes: 262_144,
  subjectChars: 99,
  messageAttributes: 10,
} as const;

/** eksguard's cap on the policyIds attribute value (a JSON array string), to keep attributes small. */
export const POLICY_IDS_ATTRIBUTE_MAX_BYTES = 2_048;
/** eksguard's caps on one item's text: a line in the chat description, a message in the email. */
const CHAT_ITEM_MAX = 700;
const EMAIL_TEXT_MAX = 10_000;

// ---------------------------------------------------------------------------------------------
// Public API

export interface SnsMessageAttribute {
  DataType: 'String' | 'String.Array' | 'Number';
  StringValue: string;
}

/** Exactly what the publisher passes to PublishCommand (Subject, Message, MessageStructure, MessageAttributes). */
export interface SnsPublish {
  subject: string;
  message: string;
  messageStructure: 'json';
  attributes: Record<string, SnsMessageAttribute>;
}

export interface RenderOptions {
  scanId: string;
  /** ISO timestamp of the scan. */
  generatedAt: string;
  /** The topic's MaximumMessageSize in bytes (default 262,144, the SNS default). */
  maxMessageBytes?: number;
}

/** One rendered part, for previews and demos: the same content that goes into the SNS message. */
export interface RenderedPart {
  subject: string;
  chat: ChatNotification;
  email: string;
  attributes: Record<string, SnsMessageAttribute>;
  /** The SNS Message (MessageStructure json): {"default", "https", "email"}. */
  message: string;
  /** Message + attributes + subject, in UTF-8 bytes. */
  bytes: number;
}

/** What a message is about, for the `kind` attribute (SNS filter policies route on it). */
export const KINDS = ['cluster-new', 'cluster-deleted', 'new', 'exception-expired', 'error', 'ongoing', 'excepted', 'resolved', 'drift'] as const;
export type Kind = (typeof KINDS)[number];

/** The SNS publish requests for one cluster's news, in order (empty when there is no news). */
export function renderClusterNews(outcome: ClusterOutcome, news: News, options: RenderOptions): SnsPublish[] {
  return renderClusterNewsParts(outcome, news, options).map((part) => ({
    subject: part.subject,
    message: part.message,
    messageStructure: 'json' as const,
    attributes: part.attributes,
  }));
}

/** The chat (Slack) custom notification of each part. */
export function renderChatNotification(outcome: ClusterOutcome, news: News, options: RenderOptions): ChatNotification[] {
  return renderClusterNewsParts(outcome, news, options).map((part) => part.chat);
}

/** The plain-text email of each part. */
export function renderEmailText(outcome: ClusterOutcome, news: News, options: RenderOptions): string[] {
  return renderClusterNewsParts(outcome, news, options).map((part) => part.email);
}

/** Every part with its chat notification, email text, attributes, SNS message and size. */
export function renderClusterNewsParts(outcome: ClusterOutcome, news: News, options: RenderOptions): RenderedPart[] {
  const items = prepareItems(outcome, news);
  if (items.length === 0) return [];
  const ctx = context(outcome, news, options, items.length);

  // Greedy packing in order: an item joins the current part while the part, rendered with the
  // widest possible part numbers, stays within every limit.
  const groups: { items: PreparedItem[]; first: number }[] = [];
  let current: PreparedItem[] = [];
  let first = 1;
  for (const item of items) {
    const candidate = [...current, item];
    if (fits(ctx, candidate)) {
      current = candidate;
      continue;
    }
    if (current.length === 0) throw new Error(`eksguard notify: one item does not fit an SNS message of ${ctx.maxBytes} bytes`);
    groups.push({ items: current, first });
    first += current.length;
    current = [item];
    if (!fits(ctx, current)) throw new Error(`eksguard notify: one item does not fit an SNS message of ${ctx.maxBytes} bytes`);
  }
  groups.push({ items: current, first });

  return groups.map((group, i) => renderPart(ctx, group.items, { index: i + 1, count: groups.length, first: group.first }));
}

// ---------------------------------------------------------------------------------------------
// Partitions, ARNs, console links

export interface ClusterLocation {
  partition: string | undefined;
  clusterArn: string | undefined;
  consoleUrl: string | undefined;
  /** Why there is no console link, when there is none. */
  noConsoleReason?: string;
}

const PARTITION_PREFIXES: [RegExp, string][] = [
  [/^cn-/, 'aws-cn'],
  [/^us-gov-/, 'aws-us-gov'],
  [/^us-iso-/, 'aws-iso'],
  [/^us-isob-/, 'aws-iso-b'],
  [/^eu-isoe-/, 'aws-iso-e'],
  [/^us-isof-/, 'aws-iso-f'],
  [/^eusc-/, 'aws-eusc'],
];

/** The partition a region belongs to, from its name; undefined for a name that is not a region. */
export function partitionOf(region: string): string | undefined {
  if (!REGION_NAME.test(region)) return undefined;
  for (const [prefix, partition] of PARTITION_PREFIXES) if (prefix.test(region)) return partition;
  return 'aws';
}

/**
 * The cluster ARN (arn:${Partition}:eks:${Region}:${Account}:cluster/${ClusterName}, per
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelastickubernetesservice.html)
 * and the EKS console link. Console hosts: aws -> <region>.console.aws.amazon.com, aws-us-gov ->
 * console.amazonaws-us-gov.com, aws-cn -> console.amazonaws.cn. Other partitions (ISO, European
 * Sovereign Cloud) get no link rather than a wrong one, and the message says why.
 */
export function clusterLocation(account: string, region: string, cluster: string): ClusterLocation {
  const partition = partitionOf(region);
  const clusterArn = partition && /^\d{12}$/.test(account) ? `arn:${partition}:eks:${region}:${account}:cluster/${cluster}` : undefined;
  const path = `/eks/home?region=${region}#/clusters/${encodeURIComponent(cluster)}`;
  switch (partition) {
    case 'aws':
      return { partition, clusterArn, consoleUrl: `https://${region}.console.aws.amazon.com${path}` };
    case 'aws-us-gov':
      return { partition, clusterArn, consoleUrl: `https://console.amazonaws-us-gov.com${path}` };
    case 'aws-cn':
      return { partition, clusterArn, consoleUrl: `https://console.amazonaws.cn${path}` };
    case undefined:
      return { partition, clusterArn, consoleUrl: undefined, noConsoleReason: `"${region}" is not a recognised AWS region name` };
    default:
      return { partition, clusterArn, consoleUrl: undefined, noConsoleReason: `eksguard has no console address for partition ${partition}` };
  }
}

// ---------------------------------------------------------------------------------------------
// Items

const TRANSITION_ORDER: Transition[] = ['new', 'exception-expired', 'error', 'ongoing', 'excepted', 'resolved'];
const ACTIONABLE = new Set<Transition>(['new', 'exception-expired', 'error', 'ongoing']);
const REMEDIATE = new Set<Transition>(['new', 'exception-expired']);

const TRANSITION_LABEL: Record<Transition, string> = {
  new: 'NEW',
  'exception-expired': 'EXCEPTION EXPIRED',
  error: 'COULD NOT CHECK',
  ongoing: 'REMINDER: still failing',
  excepted: 'EXCEPTED',
  resolved: 'RESOLVED',
};
const SEVERITY_EMOJI: Record<Severity, string> = {
  critical: ':red_circle:',
  high: ':large_orange_circle:',
  medium: ':large_yellow_circle:',
  low: ':large_blue_circle:',
  info: ':white_circle:',
};

interface PreparedItem {
  kind: Kind;
  severity?: Severity;
  policy?: string;
  actionable: boolean;
  /** The bullet line in the chat description (client-markdown). */
  chatLine: string;
  /** The lines of this item in the email. */
  emailLines: string[];
  /** The chat next step (remediation), for new findings and expired exceptions. */
  nextStep?: string;
  /** Resource ids and ARNs the item names. */
  related: string[];
}

/** A result's transition; News only holds results with one, the fallback only keeps a stray one visible. */
const transitionOf = (r: TrackedResult): Transition =>
  r.transition ?? (r.status === 'error' ? 'error' : r.status === 'fail' ? 'ongoing' : r.status === 'excepted' ? 'excepted' : 'resolved');

const isLifecycleChange = (c: ClusterChange) => c.path === 'cluster' && (c.before === null || c.after === null);

function prepareItems(outcome: ClusterOutcome, news: News): PreparedItem[] {
  const findings = [...news.results].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      TRANSITION_ORDER.indexOf(transitionOf(a)) - TRANSITION_ORDER.indexOf(transitionOf(b)) ||
      a.policy.localeCompare(b.policy),
  );
  return [...findings.map(prepareFinding), ...news.changes.map((c) => prepareChange(outcome, c))];
}

function prepareFinding(r: TrackedResult): PreparedItem {
  const transition = transitionOf(r);
  const label = TRANSITION_LABEL[transition];
  const expired = transition === 'exception-expired' && r.exceptionExpired ? ` (exception expired ${r.exceptionExpired})` : '';
  const prefix = `• ${SEVERITY_EMOJI[r.severity]} *${r.severity.toUpperCase()}* · *${label}* · ${code(r.policy)} — `;
  const chatLine = prefix + clipMarkdown(escapeMrkdwn(r.message + expired), CHAT_ITEM_MAX - prefix.length, 'see the email version for the full text');

  const emailLines = [`[${r.severity.toUpperCase()}] ${label}  ${r.policy}`, ...indent(clipPlain(r.message, EMAIL_TEXT_MAX), '    ')];
  if (r.exceptionExpired) emailLines.push(`    Exception expired: ${r.exceptionExpired}`);
  let nextStep: string | undefined;
  if (REMEDIATE.has(transition) && r.remediation) {
    const { description, command } = splitRemediation(r.remediation);
    if (description) emailLines.push(...indent(`What to do: ${clipPlain(description, EMAIL_TEXT_MAX)}`, '    '));
    if (command) emailLines.push('    Command:', ...indent(clipPlain(command, EMAIL_TEXT_MAX), '      '));
    nextStep = chatNextStep(r.policy, description, command);
  }
  return {
    kind: transition,
    severity: r.severity,
    policy: r.policy,
    actionable: ACTIONABLE.has(transition),
    chatLine,
    emailLines,
    ...(nextStep ? { nextStep } : {}),
    related: resourceIds(r.message),
  };
}

function prepareChange(outcome: ClusterOutcome, c: ClusterChange): PreparedItem {
  const lifecycle = isLifecycleChange(c);
  const kind: Kind = lifecycle ? (c.after === null || outcome.kind === 'deleted' ? 'cluster-deleted' : 'cluster-new') : 'drift';
  const summary = c.summary.replace(/ -> /g, ' → ');
  const prefix = lifecycle ? '• :information_source: ' : '• :pencil2: ';
  const values = [c.before, c.after].flatMap((v) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.map(String) : []));
  return {
    kind,
    actionable: false,
    chatLine: prefix + clipMarkdown(escapeMrkdwn(summary), CHAT_ITEM_MAX - prefix.length, 'see the email version for the full text'),
    emailLines: clipPlain(summary, EMAIL_TEXT_MAX)
      .split(/\r?\n/)
      .map((line, i) => `${i === 0 ? '  ~ ' : '    '}${line}`),
    related: [...resourceIds(c.path.replace(/\./g, ' ')), ...resourceIds(summary), ...values.flatMap(resourceIds)],
  };
}

/** Remediation texts are "<sentence> Run: <aws CLI command>" (see remediationText in policy/evaluate.ts). */
function splitRemediation(text: string): { description: string; command?: string } {
  const at = text.indexOf(' Run: ');
  if (at < 0) return text.startsWith('Run: ') ? { description: '', command: text.slice(5).trim() } : { description: text.trim() };
  return { description: text.slice(0, at).trim(), command: text.slice(at + 6).trim() };
}

/**
 * A next step within the 350-character limit. A CLI command is never cut (a cut command is
 * dangerous to paste): when it does not fit, the step says the command is in the email version.
 */
function chatNextStep(policy: string, description: string, command: string | undefined): string {
  const head = `${code(policy)}: `;
  const desc = escapeMrkdwn(description);
  if (command) {
    const cmd = code(command);
    const full = `${head}${desc ? `${desc} ` : ''}${cmd}`;
    if (full.length <= CHAT_LIMITS.nextStep) return full;
    const commandOnly = `${head}${cmd}`;
    if (commandOnly.length <= CHAT_LIMITS.nextStep) return commandOnly;
    const note = ' (the aws CLI command is too long for a chat message: it is in the email version of this alert)';
    return head + clipMarkdown(desc || 'Run the aws CLI command.', CHAT_LIMITS.nextStep - head.length - note.length, 'see the email version') + note;
  }
  return head + clipMarkdown(desc, CHAT_LIMITS.nextStep - head.length, 'see the email version');
}

const RESOURCE_ID = /\b(?:sg|subnet|vpc|nat|rtb|igw|eigw|eni|dopt|lt|tgw|pcx|vpce|acl)-[0-9a-f]{8,17}\b|\barn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:[^\s,;'"()<>`]+/g;
const resourceIds = (text: string): string[] => text.match(RESOURCE_ID) ?? [];

// ---------------------------------------------------------------------------------------------
// Rendering a part

interface Context {
  outcome: ClusterOutcome;
  options: RenderOptions;
  maxBytes: number;
  location: ClusterLocation;
  totalItems: number;
  /** "3 new findings, 1 resolved, 2 changes" for the whole news. */
  longCounts: string;
  shortCounts: string[];
  emoji: string;
  threadId: string;
}

interface PartNumbers {
  index: number;
  count: number;
  /** 1-based number of the part's first item among all items. */
  first: number;
}

function context(outcome: ClusterOutcome, news: News, options: RenderOptions, totalItems: number): Context {
  const { account, region, cluster } = outcome.key;
  const tally = new Map<Kind, number>();
  for (const r of news.results) tally.set(transitionOf(r), (tally.get(transitionOf(r)) ?? 0) + 1);
  for (const c of news.changes) if (!isLifecycleChange(c)) tally.set('drift', (tally.get('drift') ?? 0) + 1);
  const n = (k: Kind) => tally.get(k) ?? 0;
  const s = (count: number, word: string, plural = `${word}s`) => `${count} ${count === 1 ? word : plural}`;
  const lifecycleLong = outcome.kind === 'new' ? ['new cluster'] : outcome.kind === 'deleted' ? ['cluster deleted'] : outcome.kind === 'unreadable' ? ['cluster unreadable'] : [];
  const lifecycleShort = outcome.kind === 'new' ? ['new cluster'] : outcome.kind === 'deleted' ? ['deleted'] : outcome.kind === 'unreadable' ? ['unreadable'] : [];
  const long = [
    ...lifecycleLong,
    n('new') && s(n('new'), 'new finding'),
    n('exception-expired') && s(n('exception-expired'), 'expired exception'),
    n('error') && s(n('error'), 'check that could not run', 'checks that could not run'),
    n('ongoing') && s(n('ongoing'), 'reminder'),
    n('excepted') && `${n('excepted')} excepted`,
    n('resolved') && `${n('resolved')} resolved`,
    n('drift') && s(n('drift'), 'change'),
  ].filter((x): x is string => typeof x === 'string' && x !== '');
  const short = [
    ...lifecycleShort,
    n('new') && `${n('new')} new`,
    n('exception-expired') && `${n('exception-expired')} expired`,
    n('error') && s(n('error'), 'error'),
    n('ongoing') && s(n('ongoing'), 'reminder'),
    n('excepted') && `${n('excepted')} excepted`,
    n('resolved') && `${n('resolved')} resolved`,
    n('drift') && s(n('drift'), 'change'),
  ].filter((x): x is string => typeof x === 'string' && x !== '');

  const urgent = news.results.some((r) => (transitionOf(r) === 'new' || transitionOf(r) === 'exception-expired') && severityRank(r.severity) >= severityRank('high'));
  const emoji =
    outcome.kind === 'deleted'
      ? ':wastebasket:'
      : urgent
        ? ':rotating_light:'
        : n('new') + n('exception-expired') + n('ongoing') > 0
          ? ':warning:'
          : n('error') > 0 || outcome.kind === 'unreadable'
            ? ':x:'
            : outcome.kind === 'new'
              ? ':new:'
              : n('drift') > 0
                ? ':mag:'
                : n('resolved') > 0
                  ? ':white_check_mark:'
                  : ':information_source:';
  return {
    outcome,
    options,
    maxBytes: options.maxMessageBytes ?? SNS_LIMITS.messageBytes,
    location: clusterLocation(account, region, cluster),
    totalItems,
    longCounts: long.join(', ') || 'news',
    shortCounts: short.length ? short : ['news'],
    emoji,
    threadId: sanitizeId(`eksguard-${account}-${region}-${cluster}`),
  };
}

/** Rendered with the widest possible part numbers: the final rendering is never larger. */
function fits(ctx: Context, items: PreparedItem[]): boolean {
  const worst = ctx.totalItems;
  const part = renderPart(ctx, items, { index: worst, count: worst, first: worst });
  return part.chat.content.description.length <= CHAT_LIMITS.description && part.bytes <= ctx.maxBytes;
}

function renderPart(ctx: Context, items: PreparedItem[], numbers: PartNumbers): RenderedPart {
  const { account, region, cluster } = ctx.outcome.key;
  const { scanId, generatedAt } = ctx.options;
  const split = numbers.count > 1;
  const last = numbers.first + items.length - 1;
  const partLabel = `part ${numbers.index} of ${numbers.count}`;
  const findings = items.filter((i) => i.severity !== undefined);
  const changes = items.filter((i) => i.severity === undefined);

  // Attributes first: the description mentions a shortened policyIds list.
  const { attributes, policyIdsListed, policyIdsTotal } = attributesFor(ctx, items);
  const severities = distinctSeverities(findings);

  // ---- chat (client-markdown, Slack mrkdwn)
  const title = fitText(`${ctx.emoji} eksguard: ${ctx.longCounts} on ${cluster} (${account}, ${region})`, CHAT_LIMITS.title, split ? ` (${partLabel})` : '');
  const header = [
    `*Cluster* ${code(cluster)} · account ${code(account)} · region ${code(region)}`,
    ctx.location.consoleUrl ? `<${ctx.location.consoleUrl}|Open ${escapeMrkdwn(cluster)} in the EKS console>` : `_No console link: ${escapeMrkdwn(ctx.location.noConsoleReason ?? '')}._`,
    `Scan ${code(scanId)} at ${escapeMrkdwn(generatedAt)}${split ? ` · *${partLabel}* (items ${numbers.first}–${last} of ${ctx.totalItems}; the other parts carry the rest)` : ''}`,
    ...lifecycleNote(ctx.outcome).map((l) => `_${escapeMrkdwn(l)}_`),
  ];
  const body: string[] = [];
  if (findings.length) body.push('', '*Findings* (most severe first)', ...findings.map((i) => i.chatLine));
  if (changes.length) body.push('', '*Changes* (before → after)', ...changes.map((i) => i.chatLine));
  const notes: string[] = [];
  if (policyIdsListed < policyIdsTotal) notes.push(`The policyIds message attribute lists ${policyIdsListed} of the ${policyIdsTotal} policies in this message.`);
  const description = [...header, ...body, ...(notes.length ? ['', ...notes.map((n) => `_${escapeMrkdwn(n)}_`)] : [])].join('\n');

  const steps = dedupe(items.flatMap((i) => (i.nextStep ? [i.nextStep] : [])));
  const nextSteps =
    steps.length <= CHAT_CAPS.nextSteps
      ? steps
      : [...steps.slice(0, CHAT_CAPS.nextSteps - 1), `… and ${steps.length - (CHAT_CAPS.nextSteps - 1)} more remediations: the email version of this alert lists every command.`];
  const keywords = dedupe([...severities, cluster, region, 'eksguard'].map((k) => fitText(k, CHAT_LIMITS.keyword))).slice(0, CHAT_CAPS.keywords);
  const related = dedupe([...(ctx.location.clusterArn ? [ctx.location.clusterArn] : []), ...items.flatMap((i) => i.related)]);
  const relatedResources =
    related.length <= CHAT_CAPS.relatedResources ? related : [...related.slice(0, CHAT_CAPS.relatedResources), `… and ${related.length - CHAT_CAPS.relatedResources} more`];
  const additionalContext: Record<string, string> = {
    account,
    region,
    cluster,
    scanId,
    generatedAt,
    part: `${numbers.index}/${numbers.count}`,
    items: `${numbers.first}-${last} of ${ctx.totalItems}`,
    ...(ctx.location.partition ? { partition: ctx.location.partition } : {}),
    ...(ctx.location.clusterArn ? { clusterArn: ctx.location.clusterArn } : {}),
    ...(ctx.location.consoleUrl ? { consoleUrl: ctx.location.consoleUrl } : {}),
  };
  for (const [k, v] of Object.entries(additionalContext)) additionalContext[k] = fitText(v, CHAT_CAPS.additionalContextValue);

  const chat: ChatNotification = {
    version: '1.0',
    source: 'custom',
    id: sanitizeId(`eksguard-${scanId}-${account}-${region}-${cluster}-${numbers.index}-of-${numbers.count}`),
    content: {
      textType: 'client-markdown',
      title,
      description,
      ...(nextSteps.length ? { nextSteps } : {}),
      keywords,
    },
    metadata: {
      threadId: ctx.threadId,
      summary: fitText(`eksguard: ${ctx.longCounts} on ${cluster} (${account}, ${region})`, CHAT_CAPS.summary, split ? ` (${partLabel})` : ''),
      eventType: 'eksguard-cluster-news',
      relatedResources,
      additionalContext,
      enableCustomActions: true,
    },
  };

  // ---- email (plain text)
  const email = [
    `eksguard: ${ctx.longCounts} on ${cluster} (${account}, ${region})`,
    ...(split ? [`This is ${partLabel}: items ${numbers.first}-${last} of ${ctx.totalItems}. The other parts carry the rest.`] : []),
    '',
    `Cluster:  ${cluster}`,
    `Account:  ${account}`,
    `Region:   ${region}${ctx.location.partition && ctx.location.partition !== 'aws' ? ` (partition ${ctx.location.partition})` : ''}`,
    `Console:  ${ctx.location.consoleUrl ?? `(no link: ${ctx.location.noConsoleReason})`}`,
    `Scan:     ${scanId} at ${generatedAt}`,
    ...(lifecycleNote(ctx.outcome).length ? ['', ...lifecycleNote(ctx.outcome)] : []),
    ...(findings.length ? ['', `FINDINGS (${findings.length}, most severe first)`, '', ...findings.flatMap((i) => [...i.emailLines, ''])] : []),
    ...(changes.length ? ['', `CHANGES (${changes.length}, before -> after)`, '', ...changes.flatMap((i) => i.emailLines), ''] : []),
    ...notes,
    '--',
    'Sent by eksguard. Review each command before running it.',
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');

  // ---- SNS
  const chatJson = JSON.stringify(chat);
  const message = JSON.stringify({ default: chatJson, https: chatJson, email });
  const subject = renderSubject(ctx, split ? ` [${numbers.index}/${numbers.count}]` : '');
  const bytes = utf8(message) + utf8(subject) + Object.entries(attributes).reduce((sum, [name, a]) => sum + utf8(name) + utf8(a.DataType) + utf8(a.StringValue), 0);
  return { subject, chat, email, attributes, message, bytes };
}

function lifecycleNote(outcome: ClusterOutcome): string[] {
  switch (outcome.kind) {
    case 'new':
      return ['First scan of this cluster: its findings are reported as new.'];
    case 'deleted':
      return ['The cluster no longer exists: its open findings are resolved.'];
    case 'unreadable':
      return ['The cluster could not be read: the checks below could not run, earlier findings are kept as they were.'];
    default:
      return [];
  }
}

// ---------------------------------------------------------------------------------------------
// Subject and attributes

/** Printable ASCII, no line breaks, under 100 characters; the part tag is never cut. */
function renderSubject(ctx: Context, tail: string): string {
  const { cluster, region } = ctx.outcome.key;
  const max = SNS_LIMITS.subjectChars - tail.length;
  const counts = ctx.shortCounts;
  const where = ascii(`${cluster} (${region})`);
  // As many counts as fit, "..." standing for the rest (the message body has them all).
  const heads = counts.map((_, i) => ascii(`eksguard: ${counts.slice(0, counts.length - i).join(', ')}${i > 0 ? ', ...' : ''} on `));
  const fitting = heads.find((head) => head.length + where.length <= max);
  if (fitting) return fitting + where + tail;
  const head = heads[heads.length - 1]!;
  return head + clipAscii(where, max - head.length) + tail;
}

function attributesFor(ctx: Context, items: PreparedItem[]): { attributes: Record<string, SnsMessageAttribute>; policyIdsListed: number; policyIdsTotal: number } {
  const { account, region, cluster } = ctx.outcome.key;
  const findings = items.filter((i) => i.severity !== undefined);
  const highest = (list: PreparedItem[]) => distinctSeverities(list)[0] ?? 'none';
  const kinds = new Set<Kind>(items.map((i) => i.kind));
  if (ctx.outcome.kind === 'new') kinds.add('cluster-new');
  if (ctx.outcome.kind === 'deleted') kinds.add('cluster-deleted');

  const policies = dedupe(findings.flatMap((i) => (i.policy ? [i.policy] : [])));
  let listed = policies.length;
  while (listed > 0 && utf8(JSON.stringify(policies.slice(0, listed))) > POLICY_IDS_ATTRIBUTE_MAX_BYTES) listed--;

  const attributes: Record<string, SnsMessageAttribute> = {};
  const put = (name: string, DataType: SnsMessageAttribute['DataType'], StringValue: string) => {
    if (StringValue !== '' && StringValue !== '[]') attributes[name] = { DataType, StringValue };
  };
  put('severity', 'String', highest(findings));
  put('actionSeverity', 'String', highest(findings.filter((i) => i.actionable)));
  put('severities', 'String.Array', JSON.stringify(distinctSeverities(findings)));
  put('kind', 'String.Array', JSON.stringify(KINDS.filter((k) => kinds.has(k))));
  put('cluster', 'String', cluster);
  put('account', 'String', account);
  put('region', 'String', region);
  put('scanId', 'String', ctx.options.scanId);
  put('policyIds', 'String.Array', JSON.stringify(policies.slice(0, listed)));
  return { attributes, policyIdsListed: listed, policyIdsTotal: policies.length };
}

const distinctSeverities = (items: PreparedItem[]): Severity[] =>
  dedupe(items.flatMap((i) => (i.severity ? [i.severity] : []))).sort((a, b) => severityRank(b) - severityRank(a));

// ---------------------------------------------------------------------------------------------
// Text helpers

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');
const dedupe = <T>(list: readonly T[]): T[] => [...new Set(list)];
const sanitizeId = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '-');
const indent = (text: string, prefix: string) => text.split(/\r?\n/).map((line) => `${prefix}${line}`);

/** Slack mrkdwn control characters: https://api.slack.com/reference/surfaces/formatting#escaping */
export const escapeMrkdwn = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Inline code: backticks inside would end the span. */
const code = (s: string) => `\`${escapeMrkdwn(s.replace(/`/g, "'").replace(/\r?\n/g, ' '))}\``;

/** Printable ASCII only (SNS subjects): other characters become "?", whitespace runs one space. */
const ascii = (s: string) => s.replace(/\s+/g, ' ').replace(/[^\x20-\x7e]/g, '?');
const clipAscii = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, Math.max(0, max - 3))}...`);

/** Shorten to `max` (suffix included) with an ellipsis: for titles and tags that repeat the body. */
function fitText(text: string, max: number, suffix = ''): string {
  if (text.length + suffix.length <= max) return text + suffix;
  return `${dropDangling(text.slice(0, Math.max(0, max - suffix.length - 1)))}…${suffix}`;
}

/** Clip escaped markdown, saying how much was left out and where to find it. */
function clipMarkdown(text: string, max: number, where: string): string {
  if (text.length <= max) return text;
  const marker = (omitted: number) => ` … _[${omitted} more characters: ${where}]_`;
  const keep = Math.max(0, max - marker(text.length).length);
  const kept = dropDangling(text.slice(0, keep).replace(/&[a-z]*$/, ''));
  return kept + marker(text.length - kept.length);
}

function clipPlain(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = (omitted: number) => ` ... [${omitted} more characters not shown]`;
  const kept = dropDangling(text.slice(0, Math.max(0, max - marker(text.length).length)));
  return kept + marker(text.length - kept.length);
}

/** Never leave half of a surrogate pair at the end of a cut. */
const dropDangling = (s: string) => (/[\ud800-\udbff]$/.test(s) ? s.slice(0, -1) : s);
