/** The size limits a notification must fit: SNS's own, and eksguard's caps on one item's text. */
/** SNS's limits (functions/core/README.md, "SNS messages"); eksguard also counts the subject, to keep a margin. */
export const SNS_LIMITS = {
  messageBytes: 262_144,
  subjectChars: 99,
  messageAttributes: 10,
} as const;

/** eksguard's cap on the policyIds attribute value (a JSON array string), to keep attributes small. */
export const POLICY_IDS_ATTRIBUTE_MAX_BYTES = 2_048;
/** eksguard's caps on one item's text: a line in the chat description, a message in the email. */
export const CHAT_ITEM_MAX = 700;
export const EMAIL_TEXT_MAX = 10_000;
