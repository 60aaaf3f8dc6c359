/** CIDR and IP helpers behind the CEL library functions (IPv4 and IPv6). */
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

function parseRange(text: string): Range {
  if (text.includes('/')) return ipaddr.parseCIDR(text);
  const address = ipaddr.parse(text);
  return [address, address.kind() === 'ipv4' ? 32 : 128];
}

/** IPv4-mapped IPv6 addresses compare as IPv4, so "::ffff:10.0.0.1" is inside 10.0.0.0/8. */
function normalise([address, bits]: Range): Range {
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    return [(address as ipaddr.IPv6).toIPv4Address(), Math.max(0, bits - 96)];
  }
  return [address, bits];
}

export function isIpOrCidr(text: string): boolean {
  try {
    parseRange(text);
    return true;
  } catch {
    return false;
  }
}

/** True when `outer` (a CIDR) contains `inner` (an address or a CIDR) entirely. */
export function cidrContains(outer: string, inner: string): boolean {
  const [oAddr, oBits] = normalise(parseRange(outer));
  const [iAddr, iBits] = normalise(parseRange(inner));
  if (oAddr.kind() !== iAddr.kind() || iBits < oBits) return false;
  return (iAddr as ipaddr.IPv4).match(oAddr as ipaddr.IPv4, oBits);
}

export function cidrOverlaps(a: string, b: string): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

export function cidrPrefixLength(cidr: string): number {
  return normalise(parseRange(cidr))[1];
}

/** The n-th address of a CIDR (Terraform's cidrhost): cidrHost("10.0.0.0/16", 2) = "10.0.0.2". */
export function cidrHost(cidr: string, n: number): string {
  const [address, bits] = parseRange(cidr);
  const network =
    address.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
  const bytes = network.toByteArray();
  const width = bytes.length * 8;
  if (n < 0 || (width - bits < 53 && n >= 2 ** (width - bits))) {
    throw new RangeError(`host number ${n} does not fit in ${cidr}`);
  }
  let carry = n;
  for (let i = bytes.length - 1; i >= 0 && carry > 0; i--) {
    const sum = (bytes[i] ?? 0) + (carry % 256);
    bytes[i] = sum % 256;
    carry = Math.floor(carry / 256) + Math.floor(sum / 256);
  }
  return ipaddr.fromByteArray(bytes).toString();
}
