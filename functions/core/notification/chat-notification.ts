/**
 * The custom notification format of Amazon Q Developer in chat applications (formerly AWS Chatbot),
 * which renders an SNS message in Slack / Microsoft Teams when the message body is this JSON.
 *
 * Event schema and parameter details:
 *   https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html
 *   - `version` must be "1.0", `source` must be "custom", `id` optional (unique event identifier).
 *   - `content.textType`: only "client-markdown" is supported (rendered with the chat client's markdown:
 *     Slack mrkdwn - *bold*, `code`, <url|text> links).
 *   - `content.description` is required; `title`, `nextSteps` (rendered as a bulleted list) and
 *     `keywords` (rendered as inline tags) are optional.
 *   - `metadata.threadId` groups notifications into one thread; `summary` is shown on the top-level
 *     message when threaded; `eventType`; `relatedResources` (strings); `additionalContext`
 *     (string-to-string map); `enableCustomActions` (default true: custom action buttons allowed).
 *
 * Length limits (as documented for the parameters above: title 250 characters, description 8,000
 * characters, each next step 350 characters, each keyword 75 characters). The stored copy of the AWS
 * page available while writing this only showed the top of the page; the numbers were cross-checked
 * against a public client that quotes the same parameter table. zod's `.max()` counts UTF-16 code
 * units, which is never fewer than characters, so it errs on the safe side.
 *
 * `eventType`: a custom action button is attached by matching a notification type against
 * `[a-zA-Z0-9-]+`, at most 100 characters
 * (https://docs.aws.amazon.com/chatbot/latest/APIReference/API_CustomActionAttachment.html), so
 * eksguard keeps its event type inside that pattern. Custom action variables extracted from a
 * notification are at most 1,024 printable ASCII characters (same page), which is why
 * `additionalContext` values stay short and ASCII.
 */
import { z } from 'zod';

/** Limits documented by AWS for the custom notification fields. */
export const CHAT_LIMITS = {
  title: 250,
  description: 8_000,
  nextStep: 350,
  keyword: 75,
  eventType: 100,
} as const;

/**
 * eksguard's own caps, for fields AWS documents no limit for: they keep a Slack message readable
 * and bounded. When a list has to be cut to fit one, its last entry says how many were left out.
 */
export const CHAT_CAPS = {
  nextSteps: 10,
  keywords: 10,
  relatedResources: 20,
  summary: 250,
  additionalContextValue: 1_024,
} as const;

export const ChatNotificationContent = z
  .object({
    textType: z.literal('client-markdown').optional(),
    title: z.string().min(1).max(CHAT_LIMITS.title).optional(),
    description: z.string().min(1).max(CHAT_LIMITS.description),
    nextSteps: z.array(z.string().min(1).max(CHAT_LIMITS.nextStep)).max(CHAT_CAPS.nextSteps).optional(),
    keywords: z.array(z.string().min(1).max(CHAT_LIMITS.keyword)).max(CHAT_CAPS.keywords).optional(),
  })
  .strict();

export const ChatNotificationMetadata = z
  .object({
    threadId: z.string().min(1).optional(),
    summary: z.string().min(1).max(CHAT_CAPS.summary).optional(),
    eventType: z.string().regex(/^[a-zA-Z0-9-]+$/).max(CHAT_LIMITS.eventType).optional(),
    relatedResources: z.array(z.string().min(1)).max(CHAT_CAPS.relatedResources + 1).optional(),
    additionalContext: z.record(z.string().min(1), z.string().max(CHAT_CAPS.additionalContextValue)).optional(),
    enableCustomActions: z.boolean().optional(),
  })
  .strict();

export const ChatNotification = z
  .object({
    version: z.literal('1.0'),
    source: z.literal('custom'),
    id: z.string().min(1).optional(),
    content: ChatNotificationContent,
    metadata: ChatNotificationMetadata.optional(),
  })
  .strict();

export type ChatNotification = z.infer<typeof ChatNotification>;
