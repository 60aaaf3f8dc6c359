/**
 * Renders one cluster's news (new / resolved / excepted findings, expired exceptions, collection
 * errors, reminders, field-level drift) into SNS publish requests. Pure: no AWS SDK, no clock.
 *
 * One cluster per message, published with `MessageStructure: 'json'`: `default` and `https` carry
 * the chat custom notification (./chat-notification.ts), `email` the plain text (why both, and the
 * SNS contract: functions/core/README.md, "SNS messages").
 *
 * When the news does not fit one message (SNS size limit, or the chat description limit), it is
 * split into numbered parts ("part 2 of 5" in the title, subject and additionalContext), each
 * complete on its own: cluster, account, region and console link repeated, items never split.
 * Nothing is cut silently: a clipped text or a shortened list says so in the message.
 */
import type { ClusterOutcome, News } from '../drift/track.js';
import { attributesFor, type SnsMessageAttribute } from './attributes.js';
import { CHAT_LIMITS } from './chat-limits.js';
import type { ChatNotification } from './chat-notification.js';
import { renderChat } from './chat.js';
import { renderEmail } from './email.js';
import { prepareItems, type PreparedItem } from './items.js';
import { context, type Context, type PartNumbers, type RenderOptions, type PartContent } from './part-context.js';
import { renderSubject } from './subject.js';
import { utf8 } from './text.js';

/** Exactly what the publisher passes to PublishCommand (Subject, Message, MessageStructure, MessageAttributes). */
export interface SnsPublish {
  subject: string;
  message: string;
  messageStructure: 'json';
  attributes: Record<string, SnsMessageAttribute>;
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

/** Rendered with the widest possible part numbers: the final rendering is never larger. */
function fits(ctx: Context, items: PreparedItem[]): boolean {
  const worst = ctx.totalItems;
  const part = renderPart(ctx, items, { index: worst, count: worst, first: worst });
  return part.chat.content.description.length <= CHAT_LIMITS.description && part.bytes <= ctx.maxBytes;
}

function renderPart(ctx: Context, items: PreparedItem[], numbers: PartNumbers): RenderedPart {
  // Attributes first: the description mentions a shortened policyIds list.
  const { attributes, policyIdsListed, policyIdsTotal } = attributesFor(ctx, items);
  const notes: string[] = [];
  if (policyIdsListed < policyIdsTotal) notes.push(`The policyIds message attribute lists ${policyIdsListed} of the ${policyIdsTotal} policies in this message.`);
  const content: PartContent = {
    items,
    numbers,
    split: numbers.count > 1,
    last: numbers.first + items.length - 1,
    label: `part ${numbers.index} of ${numbers.count}`,
    findings: items.filter((i) => i.severity !== undefined),
    changes: items.filter((i) => i.severity === undefined),
    notes,
  };
  const chat = renderChat(ctx, content);
  const email = renderEmail(ctx, content);

  const chatJson = JSON.stringify(chat);
  const message = JSON.stringify({ default: chatJson, https: chatJson, email });
  const subject = renderSubject(ctx, content.split ? ` [${numbers.index}/${numbers.count}]` : '');
  const bytes = utf8(message) + utf8(subject) + Object.entries(attributes).reduce((sum, [name, a]) => sum + utf8(name) + utf8(a.DataType) + utf8(a.StringValue), 0);
  return { subject, chat, email, attributes, message, bytes };
}
