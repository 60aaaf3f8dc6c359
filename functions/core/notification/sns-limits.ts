/** The size limits a notification must fit: SNS's own, and eksguard's caps on one item's text. */
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
export const CHAT_ITEM_MAX = 700;
export const EMAIL_TEXT_MAX = 10_000;
