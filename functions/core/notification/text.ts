/** Text helpers of the renderers: byte counts, escaping, clipping that says what it left out. */

export const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');
export const dedupe = <T>(list: readonly T[]): T[] => [...new Set(list)];
export const sanitizeId = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '-');
export const indent = (text: string, prefix: string) => text.split(/\r?\n/).map((line) => `${prefix}${line}`);

/** Slack mrkdwn control characters: https://api.slack.com/reference/surfaces/formatting#escaping */
export const escapeMrkdwn = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Inline code: backticks inside would end the span. */
export const code = (s: string) => `\`${escapeMrkdwn(s.replace(/`/g, "'").replace(/\r?\n/g, ' '))}\``;

/** Printable ASCII only (SNS subjects): other characters become "?", whitespace runs one space. */
export const ascii = (s: string) => s.replace(/\s+/g, ' ').replace(/[^\x20-\x7e]/g, '?');
export const clipAscii = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, Math.max(0, max - 3))}...`);

/** Shorten to `max` (suffix included) with an ellipsis: for titles and tags that repeat the body. */
export function fitText(text: string, max: number, suffix = ''): string {
  if (text.length + suffix.length <= max) return text + suffix;
  return `${dropDangling(text.slice(0, Math.max(0, max - suffix.length - 1)))}…${suffix}`;
}

/** Clip escaped markdown, saying how much was left out and where to find it. */
export function clipMarkdown(text: string, max: number, where: string): string {
  if (text.length <= max) return text;
  const marker = (omitted: number) => ` … _[${omitted} more characters: ${where}]_`;
  const keep = Math.max(0, max - marker(text.length).length);
  const kept = dropDangling(text.slice(0, keep).replace(/&[a-z]*$/, ''));
  return kept + marker(text.length - kept.length);
}

export function clipPlain(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = (omitted: number) => ` ... [${omitted} more characters not shown]`;
  const kept = dropDangling(text.slice(0, Math.max(0, max - marker(text.length).length)));
  return kept + marker(text.length - kept.length);
}

/** Never leave half of a surrogate pair at the end of a cut. */
export const dropDangling = (s: string) => (/[\ud800-\udbff]$/.test(s) ? s.slice(0, -1) : s);
