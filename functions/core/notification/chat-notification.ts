/**
 * The custom notification format of Amazon Q Developer in chat applications (formerly AWS Chatbot),
 * which renders an SNS message in Slack / Microsoft Teams when the message body is this JSON.
 *
 * Schema, limits and why `eventType` and `additionalContext` stay short and ASCII:
 * functions/core/README.md, "Chat custom notifications".
 */
import { z } from 'zod';
import { CHAT_CAPS, CHAT_LIMITS } from './chat-limits.js';

export { CHAT_CAPS, CHAT_LIMITS } from './chat-limits.js';

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
    eventType: z
      .string()
      .regex(/^[a-zA-Z0-9-]+$/)
      .max(CHAT_LIMITS.eventType)
      .optional(),
    relatedResources: z
      .array(z.string().min(1))
      .max(CHAT_CAPS.relatedResources + 1)
      .optional(),
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
