/**
 * Network ACL evaluation as AWS does it: entries of one direction in ascending rule number,
 * first match wins, IPv4 and IPv6 entries apart, and nothing allowed that no entry allows (the
 * final `*` rule). Traffic is a set of (peer address, port) pairs; it is allowed only when every
 * pair is, so a deny that hides part of a peer's range or part of a port range decides.
 */
import { type AddressRange, addressRange } from './cidr.js';

export interface AclEntry {
  ruleNumber: number | bigint;
  egress: boolean;
  protocol: string;
  action: string;
  cidr: string;
  fromPort: number | bigint;
  toPort: number | bigint;
}

interface Box {
  lo: bigint;
  hi: bigint;
  from: number;
  to: number;
}

// Math.max/min do not take BigInt.
const bigMax = (a: bigint, b: bigint) => (a > b ? a : b);
const bigMin = (a: bigint, b: bigint) => (a < b ? a : b);

/** `box` without `cut`: up to four boxes (below, above in addresses; then the port remainders). */
function subtract(box: Box, cut: Box): Box[] {
  const lo = bigMax(box.lo, cut.lo);
  const hi = bigMin(box.hi, cut.hi);
  const from = Math.max(box.from, cut.from);
  const to = Math.min(box.to, cut.to);
  if (lo > hi || from > to) return [box];
  const pieces: Box[] = [];
  if (box.lo < lo) pieces.push({ ...box, hi: lo - 1n });
  if (hi < box.hi) pieces.push({ ...box, lo: hi + 1n });
  if (box.from < from) pieces.push({ lo, hi, from: box.from, to: from - 1 });
  if (to < box.to) pieces.push({ lo, hi, from: to + 1, to: box.to });
  return pieces;
}

const overlaps = (a: Box, b: Box) => a.lo <= b.hi && b.lo <= a.hi && a.from <= b.to && b.from <= a.to;

/** Which TCP traffic an entry matches: protocol -1 (all) or 6 (TCP). */
const matchesTcp = (protocol: string) => protocol === '-1' || protocol === '6' || protocol.toLowerCase() === 'tcp';

interface Rule {
  number: number;
  allow: boolean;
  all: boolean;
  cidr: string;
  box: Box;
}

// The same ACL answers many checks of one cluster: sort and parse its entries once per direction.
const rulesOf = new WeakMap<readonly AclEntry[], Map<string, Rule[]>>();

function orderedRules(entries: readonly AclEntry[], egress: boolean, family: AddressRange['family']): Rule[] {
  let byDirection = rulesOf.get(entries);
  if (!byDirection) {
    byDirection = new Map();
    rulesOf.set(entries, byDirection);
  }
  const key = `${egress}/${family}`;
  let rules = byDirection.get(key);
  if (!rules) {
    rules = entries
      .filter((e) => e.egress === egress && matchesTcp(e.protocol) && e.cidr && addressRange(e.cidr).family === family)
      .sort((a, b) => Number(a.ruleNumber) - Number(b.ruleNumber))
      .map((e) => {
        const range = addressRange(e.cidr);
        const all = e.protocol === '-1';
        const box = { lo: range.lo, hi: range.hi, from: all ? 0 : Number(e.fromPort), to: all ? 65535 : Number(e.toPort) };
        return { number: Number(e.ruleNumber), allow: e.action === 'allow', all, cidr: e.cidr, box };
      });
    byDirection.set(key, rules);
  }
  return rules;
}

const LAST_RULE = 32767;

interface Decision {
  verdict: string;
  /** The number of the entry that denies (32767 for the final * rule), 0 when allowed. */
  rule: number;
}

function decide(entries: readonly AclEntry[], egress: boolean, peers: readonly string[], from: number, to: number): Decision {
  const families = new Map<AddressRange['family'], Box[]>();
  for (const peer of peers) {
    const range = addressRange(peer);
    const boxes = families.get(range.family) ?? [];
    boxes.push({ lo: range.lo, hi: range.hi, from, to });
    families.set(range.family, boxes);
  }
  for (const [family, initial] of families) {
    let remaining = initial;
    for (const rule of orderedRules(entries, egress, family)) {
      if (remaining.length === 0) break;
      const { box } = rule;
      if (!remaining.some((r) => overlaps(r, box))) continue;
      if (!rule.allow) {
        const ports = rule.all ? 'all traffic' : `TCP ${box.from === box.to ? box.from : `${box.from}-${box.to}`}`;
        const verdict = `rule ${rule.number}${rule.number === LAST_RULE ? ' (*)' : ''} denying ${ports} ${egress ? 'to' : 'from'} ${rule.cidr}`;
        return { verdict, rule: rule.number };
      }
      remaining = remaining.flatMap((r) => subtract(r, box));
    }
    if (remaining.length) return { verdict: 'no rule allowing it (the final * rule denies)', rule: LAST_RULE };
  }
  return { verdict: '', rule: 0 };
}

/**
 * The verdict of an ACL on TCP traffic in one direction (egress: leaving the subnet) between the
 * subnet and every address of `peers`, on ports `from`-`to`: "" when all of it is allowed, else
 * the entry that denies part of it ("rule 120 denying TCP 0-1023 from 10.0.0.0/8") or
 * "no rule allowing it (the final * rule denies)".
 */
export function naclVerdict(entries: readonly AclEntry[], egress: boolean, peers: readonly string[], from: number, to: number): string {
  return decide(entries, egress, peers, from, to).verdict;
}

/**
 * A rule number that is free in that direction and decides before `before`, so that an allow
 * entry there lets the traffic through: after the last rule, the next multiple of 10; before a
 * deny, the closest free number below it. 0 when there is none.
 */
function freeRuleNumberBefore(used: ReadonlySet<number>, before: number): number {
  if (before >= LAST_RULE) {
    const highest = Math.max(0, ...[...used].filter((n) => n < LAST_RULE));
    const next = Math.min(LAST_RULE - 1, (Math.floor(highest / 10) + 1) * 10);
    if (!used.has(next)) return next;
  }
  for (let n = Math.min(before, LAST_RULE) - 1; n >= 1; n--) if (!used.has(n)) return n;
  return 0;
}

/** The CIDRs together contain every address of `cidr` (0.0.0.0/1 + 128.0.0.0/1 cover 0.0.0.0/0). */
export function cidrsCover(cidrs: readonly string[], cidr: string): boolean {
  const target = addressRange(cidr);
  const ranges = cidrs
    .map(addressRange)
    .filter((r) => r.family === target.family)
    .sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  let next = target.lo;
  for (const r of ranges) {
    if (r.lo > next) break;
    if (r.hi >= next) next = r.hi + 1n;
    if (next > target.hi) return true;
  }
  return next > target.hi;
}

export interface NetworkAclLike {
  subnetIds: readonly string[];
  entries: readonly AclEntry[];
}

// Built once per snapshot's map of ACLs; every check of the cluster looks its subnets up in it.
const aclIdsBySubnet = new WeakMap<object, Map<string, string>>();

/** The id of the network ACL associated with `subnet` (the first by id), "" when none is. */
export function networkAclOf(acls: Readonly<Record<string, NetworkAclLike>>, subnet: string): string {
  let bySubnet = aclIdsBySubnet.get(acls);
  if (!bySubnet) {
    bySubnet = new Map();
    for (const id of Object.keys(acls).sort()) {
      for (const s of acls[id]!.subnetIds) if (!bySubnet.has(s)) bySubnet.set(s, id);
    }
    aclIdsBySubnet.set(acls, bySubnet);
  }
  return bySubnet.get(subnet) ?? '';
}

const field = (check: Record<string, unknown>, index: number, name: string, type: string): unknown => {
  const value = check[name];
  const actual = typeof value;
  if (type === 'int' ? actual !== 'bigint' && actual !== 'number' : actual !== type) {
    throw new TypeError(`naclBlocked: check ${index} needs "${name}" (${type}), got ${value === undefined ? 'nothing' : actual}`);
  }
  return value;
};

/**
 * The checks ({acl, egress, peer, from, to}) that their ACL does not let through, each with its
 * `verdict` (naclVerdict's), `rule` (the deciding entry's number) and `freeRule`: a free rule
 * number where an allow entry would let it through (distinct for each blocked check of one ACL
 * and direction; 0 when none is free). A check blocked twice (the same ACL, direction, peer and
 * ports) is marked `repeat`. A check whose `acl` is "" is skipped: no ACL is known for it, and
 * the policy reports those itself.
 */
export function naclBlocked(acls: Readonly<Record<string, NetworkAclLike>>, checks: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const blocked: Record<string, unknown>[] = [];
  const taken = new Map<string, Set<number>>();
  const seen = new Map<string, number>();
  checks.forEach((check, i) => {
    const acl = field(check, i, 'acl', 'string') as string;
    if (acl === '') return;
    const found = Object.hasOwn(acls, acl) ? acls[acl] : undefined;
    if (!found) throw new RangeError(`naclBlocked: check ${i} names network ACL "${acl}", which is not in networkAcls`);
    const peer = field(check, i, 'peer', 'string') as string;
    const egress = field(check, i, 'egress', 'boolean') as boolean;
    const from = Number(field(check, i, 'from', 'int'));
    const to = Number(field(check, i, 'to', 'int'));
    const { verdict, rule } = decide(found.entries, egress, [peer], from, to);
    if (!verdict) return;
    const key = `${acl}/${egress}/${peer}/${from}-${to}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      blocked.push({ ...check, verdict, rule: BigInt(rule), freeRule: BigInt(earlier), repeat: true });
      return;
    }
    const direction = `${acl}/${egress}`;
    let used = taken.get(direction);
    if (!used) {
      used = new Set(found.entries.filter((e) => e.egress === egress).map((e) => Number(e.ruleNumber)));
      taken.set(direction, used);
    }
    const freeRule = freeRuleNumberBefore(used, rule);
    if (freeRule) used.add(freeRule);
    seen.set(key, freeRule);
    blocked.push({ ...check, verdict, rule: BigInt(rule), freeRule: BigInt(freeRule), repeat: false });
  });
  return blocked;
}
