/** A cluster's news as items: one per finding or change, with its chat line, email lines and next step. */
import type { TrackedResult, Transition } from '../drift/lifecycle.js';
import type { ClusterChange, ClusterOutcome, News } from '../drift/track.js';
import { exceptedNote } from '../results.js';
import { severityRank, type Severity } from '../severities.js';
import { CHAT_LIMITS } from './chat-limits.js';
import { CHAT_ITEM_MAX, EMAIL_TEXT_MAX } from './sns-limits.js';
import { clipMarkdown, clipPlain, code, escapeMrkdwn, indent } from './text.js';

/** What a message is about, for the `kind` attribute (SNS filter policies route on it). */
export const KINDS = ['cluster-new', 'cluster-deleted', 'new', 'exception-expired', 'error', 'ongoing', 'excepted', 'resolved', 'drift'] as const;
export type Kind = (typeof KINDS)[number];

export const TRANSITION_ORDER: Transition[] = ['new', 'exception-expired', 'error', 'ongoing', 'excepted', 'resolved'];
export const ACTIONABLE = new Set<Transition>(['new', 'exception-expired', 'error', 'ongoing']);
const REMEDIATE = new Set<Transition>(['new', 'exception-expired']);

export const TRANSITION_LABEL: Record<Transition, string> = {
  new: 'NEW',
  'exception-expired': 'EXCEPTION EXPIRED',
  error: 'COULD NOT CHECK',
  ongoing: 'REMINDER: still failing',
  excepted: 'EXCEPTED',
  resolved: 'RESOLVED',
};
export const SEVERITY_EMOJI: Record<Severity, string> = {
  critical: ':red_circle:',
  high: ':large_orange_circle:',
  medium: ':large_yellow_circle:',
  low: ':large_blue_circle:',
  info: ':white_circle:',
};

export interface PreparedItem {
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
export const transitionOf = (r: TrackedResult): Transition =>
  r.transition ?? (r.status === 'error' ? 'error' : r.status === 'fail' ? 'ongoing' : r.status === 'excepted' ? 'excepted' : 'resolved');

export const isLifecycleChange = (c: ClusterChange) => c.path === 'cluster' && (c.before === null || c.after === null);

export function prepareItems(outcome: ClusterOutcome, news: News): PreparedItem[] {
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
  const exception = r.status === 'excepted' ? r.exception : undefined;
  const excepted = exception ? ` [${exceptedNote(exception)}]` : '';
  const prefix = `• ${SEVERITY_EMOJI[r.severity]} *${r.severity.toUpperCase()}* · *${label}* · ${code(r.policy)} — `;
  const chatLine = prefix + clipMarkdown(escapeMrkdwn(r.message + excepted + expired), CHAT_ITEM_MAX - prefix.length, 'see the email version for the full text');

  const emailLines = [`[${r.severity.toUpperCase()}] ${label}  ${r.policy}`, ...indent(clipPlain(r.message, EMAIL_TEXT_MAX), '    ')];
  if (exception) {
    const note = `Excepted until ${exception.expires} by ${exception.owner}: ${exception.reason} (${exception.location})`;
    emailLines.push(...indent(clipPlain(note, EMAIL_TEXT_MAX), '    '));
  }
  if (r.exceptionExpired) emailLines.push(`    Exception expired: ${r.exceptionExpired}${r.exception ? ` (${r.exception.location})` : ''}`);
  let nextStep: string | undefined;
  if (REMEDIATE.has(transition) && r.remediation) {
    const { description, command } = splitRemediation(r.remediation);
    if (description) emailLines.push(...indent(`What to do: ${clipPlain(description, EMAIL_TEXT_MAX)}`, '    '));
    if (command) emailLines.push('    Command:', ...indent(clipPlain(command, EMAIL_TEXT_MAX), '      '));
    nextStep = chatNextStep(r.policy, description, command, r.reference);
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
 * A next step within the 350-character limit (CHAT_LIMITS.nextStep). A CLI command is never cut (a
 * cut command is dangerous to paste). When the step must be shortened, the why stays (clipped,
 * saying so) and the policy's reference is linked; a command that does not fit even then is left
 * to the email version, which the step says.
 */
function chatNextStep(policy: string, description: string, command: string | undefined, reference: string | undefined): string {
  const head = `${code(policy)}: `;
  const desc = escapeMrkdwn(description);
  const link = reference ? ` (<${reference}|why and how>)` : '';
  const why = (room: number) => clipMarkdown(desc || 'Run the aws CLI command.', room, 'see the email version');
  if (command) {
    const cmd = code(command);
    const full = `${head}${desc ? `${desc} ` : ''}${cmd}`;
    if (full.length <= CHAT_LIMITS.nextStep) return full;
    const room = CHAT_LIMITS.nextStep - head.length - link.length - 1 - cmd.length;
    if (room >= 80) return `${head}${why(room)}${link} ${cmd}`;
    const note = ' The aws CLI command is too long for a chat message: it is in the email version of this alert.';
    return `${head}${why(CHAT_LIMITS.nextStep - head.length - link.length - note.length)}${link}${note}`;
  }
  const full = `${head}${desc}`;
  if (full.length <= CHAT_LIMITS.nextStep) return full;
  return `${head}${why(CHAT_LIMITS.nextStep - head.length - link.length)}${link}`;
}

const RESOURCE_ID = /\b(?:sg|subnet|vpc|nat|rtb|igw|eigw|eni|dopt|lt|tgw|pcx|vpce|acl)-[0-9a-f]{8,17}\b|\barn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:[^\s,;'"()<>`]+/g;
const resourceIds = (text: string): string[] => text.match(RESOURCE_ID) ?? [];
