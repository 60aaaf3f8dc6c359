/** Offset pagination with opaque tokens bound to the listing they came from. */
import type { ApiError } from './protocols/protocol.js';

export interface Page<T> {
  items: T[];
  /** Present when more items follow. */
  nextToken?: string;
}

interface TokenBody {
  s: string;
  o: number;
}

/**
 * Returns `limit` items starting where `token` left off. `scope` identifies the listing
 * (operation plus anything that changes its contents); a token from another scope or a
 * malformed one makes `invalidToken` be thrown.
 */
export function paginate<T>(items: readonly T[], opts: { scope: string; limit: number | undefined; token: string | undefined; invalidToken: () => ApiError }): Page<T> {
  const offset = opts.token === undefined ? 0 : decodeToken(opts.token, opts.scope, opts.invalidToken);
  const end = opts.limit === undefined ? items.length : offset + opts.limit;
  const page: Page<T> = { items: items.slice(offset, end) };
  if (end < items.length) page.nextToken = encodeToken({ s: opts.scope, o: end });
  return page;
}

function encodeToken(body: TokenBody): string {
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

function decodeToken(token: string, scope: string, invalidToken: () => ApiError): number {
  let body: Partial<TokenBody>;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TokenBody>;
  } catch {
    throw invalidToken();
  }
  if (body.s !== scope || !Number.isInteger(body.o) || (body.o ?? -1) < 0) throw invalidToken();
  return body.o as number;
}

/** Parses an optional integer page size and checks it against the API's allowed range. */
export function pageSize(raw: string | undefined, range: readonly [min: number, max: number], invalid: (value: string) => ApiError): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < range[0] || n > range[1]) throw invalid(raw);
  return n;
}
