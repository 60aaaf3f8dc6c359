/** The field limits of a chat custom notification (chat-notification.ts), without its zod schema. */
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
