/** CIDR and IP helpers behind the CEL library functions (IPv4 and IPv6). */
import ipaddr from 'ipaddr.js';

/** A CIDR or bare address as its first and last address, as integers. */
export interface AddressRange {
  readonly family: 'ipv4' | 'ipv6';
  readonly bits: number;
  readonly lo: bigint;
  readonly hi: bigint;
}

const DOTTED_QUAD =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\/(3[0-2]|[12]?\d))?$/;

function toRange(family: AddressRange['family'], value: bigint, bits: number): AddressRange {
  const hostBits = BigInt((family === 'ipv4' ? 32 : 128) - bits);
  const lo = (value >> hostBits) << hostBits;
  return Object.freeze({ family, bits, lo, hi: lo + (1n << hostBits) - 1n });
}

function parseSlow(text: string): AddressRange {
  const [address, bits] = text.includes('/') ? ipaddr.parseCIDR(text) : [ipaddr.parse(text), text.includes(':') ? 128 : 32];
  const value = address.toByteArray().reduce((n, byte) => (n << 8n) | BigInt(byte), 0n);
  return toRange(address.kind() as AddressRange['family'], value, bits);
}

const MAPPED_PREFIX = 0xffffn << 32n;
const MAPPED_LAST = MAPPED_PREFIX + 0xffffffffn;

/** IPv4-mapped IPv6 addresses compare as IPv4, so "::ffff:10.0.0.1" is inside 10.0.0.0/8. */
function unmapped(range: AddressRange): AddressRange {
  if (range.family !== 'ipv6' || range.lo < MAPPED_PREFIX || range.hi > MAPPED_LAST) return range;
  return { family: 'ipv4', bits: range.bits - 96, lo: range.lo - MAPPED_PREFIX, hi: range.hi - MAPPED_PREFIX };
}

function parse(text: string): AddressRange | undefined {
  // Plain dotted quads (nearly every CIDR an account holds) skip ipaddr.js, which tries IPv6 first.
  const quad = DOTTED_QUAD.exec(text);
  if (quad) {
    const value = ((Number(quad[1]) * 256 + Number(quad[2])) * 256 + Number(quad[3])) * 256 + Number(quad[4]);
    return toRange('ipv4', BigInt(value), quad[5] === undefined ? 32 : Number(quad[5]));
  }
  try {
    return parseSlow(text);
  } catch {
    return undefined;
  }
}

// Policies ask about the same few CIDRs for every cluster, rule and peer; parse each once.
const CACHE_LIMIT = 10_000;
const cache = new Map<string, AddressRange | undefined>();

function lookup(text: string): AddressRange | undefined {
  if (cache.has(text)) return cache.get(text);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  const range = parse(text);
  cache.set(text, range);
  return range;
}

/** The range of a CIDR or bare address; throws on anything else. */
export function addressRange(text: string): AddressRange {
  const range = lookup(text);
  if (!range) throw new Error(`not an IP address or CIDR: "${text}"`);
  return range;
}

export function isIpOrCidr(text: string): boolean {
  return lookup(text) !== undefined;
}

/** True when `outer` (a CIDR) contains `inner` (an address or a CIDR) entirely. */
export function cidrContains(outer: string, inner: string): boolean {
  const o = unmapped(addressRange(outer));
  const i = unmapped(addressRange(inner));
  return o.family === i.family && o.lo <= i.lo && i.hi <= o.hi;
}

export function cidrOverlaps(a: string, b: string): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

export function cidrPrefixLength(cidr: string): number {
  return unmapped(addressRange(cidr)).bits;
}

/** The n-th address of a CIDR (Terraform's cidrhost): cidrHost("10.0.0.0/16", 2) = "10.0.0.2". */
export function cidrHost(cidr: string, n: number): string {
  const range = addressRange(cidr);
  const width = range.family === 'ipv4' ? 32 : 128;
  if (n < 0 || !Number.isInteger(n) || BigInt(n) > range.hi - range.lo) {
    throw new RangeError(`host number ${n} does not fit in ${cidr}`);
  }
  const value = range.lo + BigInt(n);
  const bytes = Array.from({ length: width / 8 }, (_, i) => Number((value >> BigInt(width - 8 - 8 * i)) & 0xffn));
  return range.family === 'ipv4' ? bytes.join('.') : ipaddr.fromByteArray(bytes).toString();
}
