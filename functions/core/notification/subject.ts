/** The SNS subject of a part. */
import type { Context } from './part-context.js';
import { SNS_LIMITS } from './sns-limits.js';
import { ascii, clipAscii } from './text.js';

/** Printable ASCII, no line breaks, under 100 characters; the part tag is never cut, the account is named. */
export function renderSubject(ctx: Context, tail: string): string {
  const { account, cluster, region } = ctx.outcome.key;
  const max = SNS_LIMITS.subjectChars - tail.length;
  const counts = ctx.shortCounts;
  // The account and region are never cut: a mailbox that gets several accounts sorts by them.
  const scope = ascii(` (${account} ${region})`);
  const where = ascii(cluster) + scope;
  // As many counts as fit, "..." standing for the rest (the message body has them all).
  const heads = counts.map((_, i) => ascii(`eksguard: ${counts.slice(0, counts.length - i).join(', ')}${i > 0 ? ', ...' : ''} on `));
  const fitting = heads.find((head) => head.length + where.length <= max);
  if (fitting) return fitting + where + tail;
  const head = heads[heads.length - 1]!;
  return head + clipAscii(ascii(cluster), max - head.length - scope.length) + scope + tail;
}
