/** Deterministic derived values: ids, ARNs and timestamps computed from world data. */
import { createHash } from 'node:crypto';

/** Hex digest of the joined parts; stable across runs. */
export function hashHex(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

/** A UUID-shaped string derived from the parts. */
export function derivedUuid(...parts: string[]): string {
  const h = hashHex(...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** An AWS-style unique id such as AROA + 17 upper-case characters. */
export function derivedAwsId(prefix: string, ...parts: string[]): string {
  return (
    prefix +
    hashHex(...parts)
      .slice(0, 17)
      .toUpperCase()
  );
}

/** Epoch seconds, as restJson/awsJson timestamps are sent. */
export function epochSeconds(date: string): number {
  return Date.parse(date) / 1000;
}

/** ISO-8601 without milliseconds, as query protocols send timestamps. */
export function isoTimestamp(date: string): string {
  return new Date(date).toISOString().replace('.000Z', 'Z');
}

export function arn(service: string, region: string, account: string, resource: string): string {
  return `arn:aws:${service}:${region}:${account}:${resource}`;
}
