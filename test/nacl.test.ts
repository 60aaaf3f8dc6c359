/** Network ACL evaluation and CIDR coverage behind the CEL functions naclVerdict and cidrsCover. */
import { describe, expect, it } from 'vitest';
import { cidrContains, cidrHost, cidrOverlaps, cidrPrefixLength, isIpOrCidr } from '../functions/core/policy/cidr.js';
import { snapshotEnvironment } from '../functions/core/policy/cel-environment.js';
import { cidrsCover, naclBlocked, naclVerdict, networkAclOf, type AclEntry } from '../functions/core/policy/nacl.js';

const entry = (ruleNumber: number, action: 'allow' | 'deny', cidr: string, fromPort = 0, toPort = 65535, protocol = '6', egress = false): AclEntry => ({
  ruleNumber,
  egress,
  protocol,
  action,
  cidr,
  fromPort,
  toPort,
});

describe('naclVerdict', () => {
  it('lets traffic through only when every address of the peer and every port is allowed', () => {
    const entries = [entry(100, 'allow', '10.0.1.0/25'), entry(110, 'allow', '10.0.1.128/25', 0, 1023), entry(120, 'allow', '10.0.1.128/25', 1024, 65535)];
    expect(naclVerdict(entries, false, ['10.0.1.0/24'], 1024, 65535)).toBe('');
    expect(naclVerdict(entries.slice(0, 2), false, ['10.0.1.0/24'], 1024, 65535)).toBe('no rule allowing it (the final * rule denies)');
  });

  it('names the first deny that matches part of the traffic, in rule number order whatever the list order', () => {
    const entries = [entry(200, 'allow', '0.0.0.0/0'), entry(50, 'deny', '10.0.1.200/32', 443, 443)];
    expect(naclVerdict(entries, false, ['10.0.1.0/24'], 443, 443)).toBe('rule 50 denying TCP 443 from 10.0.1.200/32');
    expect(naclVerdict(entries, false, ['10.0.2.0/24'], 443, 443)).toBe('');
  });

  it('ignores a deny whose part of the traffic an earlier allow already let through', () => {
    expect(naclVerdict([entry(10, 'allow', '10.0.0.0/16'), entry(20, 'deny', '10.0.1.0/24')], false, ['10.0.1.0/24'], 443, 443)).toBe('');
  });

  it('keeps directions, families and protocols apart', () => {
    const entries = [
      entry(10, 'deny', '0.0.0.0/0', 0, 65535, '-1', true),
      entry(20, 'deny', '::/0', 0, 65535, '-1'),
      entry(30, 'deny', '0.0.0.0/0', 0, 65535, '17'),
      entry(40, 'allow', '0.0.0.0/0', 0, 65535, '-1'),
    ];
    expect(naclVerdict(entries, false, ['10.0.1.0/24'], 10250, 10250)).toBe('');
    expect(naclVerdict(entries, true, ['10.0.1.0/24'], 10250, 10250)).toBe('rule 10 denying all traffic to 0.0.0.0/0');
  });
});

describe('cidrsCover', () => {
  it('adds up adjacent and overlapping ranges', () => {
    expect(cidrsCover(['0.0.0.0/1', '128.0.0.0/1'], '0.0.0.0/0')).toBe(true);
    expect(cidrsCover(['0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/2'], '0.0.0.0/0')).toBe(true);
    expect(cidrsCover(['0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/3'], '0.0.0.0/0')).toBe(false);
    expect(cidrsCover(['::/1', '8000::/1', '0.0.0.0/1'], '::/0')).toBe(true);
    expect(cidrsCover(['10.0.0.0/8'], '10.1.0.0/16')).toBe(true);
    expect(cidrsCover([], '0.0.0.0/0')).toBe(false);
  });
});

describe('CIDR helpers (the fast dotted-quad path and ipaddr.js agree)', () => {
  it('contains, overlaps and prefix lengths for IPv4, IPv6 and IPv4-mapped IPv6', () => {
    expect(cidrContains('10.0.0.0/8', '10.255.1.2')).toBe(true);
    expect(cidrContains('10.0.0.0/8', '11.0.0.0/24')).toBe(false);
    expect(cidrContains('10.0.0.0/16', '10.0.0.0/8')).toBe(false);
    expect(cidrContains('10.0.0.0/8', '::ffff:10.0.0.1')).toBe(true);
    expect(cidrContains('2001:db8::/32', '2001:db8:1::/48')).toBe(true);
    expect(cidrContains('0.0.0.0/0', '::/0')).toBe(false);
    expect(cidrOverlaps('10.0.0.0/24', '10.0.0.128/25')).toBe(true);
    expect(cidrPrefixLength('10.1.2.3')).toBe(32);
    expect(cidrPrefixLength('::ffff:10.0.0.0/104')).toBe(8);
    expect(cidrHost('10.0.0.0/16', 2)).toBe('10.0.0.2');
    expect(cidrHost('10.0.1.77/24', 257 - 2)).toBe('10.0.1.255');
    expect(cidrHost('2001:db8::/64', 2)).toBe('2001:db8::2');
    expect(() => cidrHost('10.0.0.0/30', 4)).toThrow('host number 4 does not fit in 10.0.0.0/30');
  });

  it('rejects what is not an address or CIDR, and leaves unusual spellings to ipaddr.js', () => {
    for (const bad of ['', '10.0.0.0/33', '256.0.0.1', '10.0.0.0/8/8', 'sg-123', 'pl-123']) expect(isIpOrCidr(bad)).toBe(false);
    expect(isIpOrCidr('10.0.0.0/08')).toBe(isIpOrCidr('10.0.0.0/8'));
    // ipaddr.js reads leading zeros as octal: 010.0.0.1 is 8.0.0.1, not 10.0.0.1.
    expect(cidrContains('8.0.0.0/8', '010.0.0.1')).toBe(true);
    expect(() => cidrContains('10.0.0.0/8', 'not-an-ip')).toThrow('not an IP address or CIDR: "not-an-ip"');
  });
});

describe('networkAclOf and naclBlocked', () => {
  const acls = {
    'acl-b': { subnetIds: ['subnet-2'], entries: [entry(100, 'allow', '10.0.0.0/16', 443, 443), entry(100, 'allow', '0.0.0.0/0', 0, 65535, '-1', true)] },
    'acl-a': { subnetIds: ['subnet-1'], entries: [entry(100, 'allow', '0.0.0.0/0', 0, 65535, '-1'), entry(100, 'allow', '0.0.0.0/0', 0, 65535, '-1', true)] },
  };
  const check = (acl: string, egress: boolean, peer: string, from: bigint, to: bigint) => ({ acl, egress, peer, from, to, what: `${acl} ${from}` });

  it('finds the ACL of a subnet, "" for a subnet no ACL lists', () => {
    expect(networkAclOf(acls, 'subnet-1')).toBe('acl-a');
    expect(networkAclOf(acls, 'subnet-2')).toBe('acl-b');
    expect(networkAclOf(acls, 'subnet-3')).toBe('');
  });

  it('returns the blocked checks with their verdict, skipping those without an ACL', () => {
    const blocked = naclBlocked(acls, [
      check('acl-b', false, '10.0.1.0/24', 443n, 443n),
      check('acl-b', false, '10.0.1.0/24', 10250n, 10250n),
      check('', false, '10.0.1.0/24', 10250n, 10250n),
      check('acl-a', false, '10.0.1.0/24', 10250n, 10250n),
    ]);
    expect(blocked).toEqual([
      { ...check('acl-b', false, '10.0.1.0/24', 10250n, 10250n), verdict: 'no rule allowing it (the final * rule denies)', rule: 32767n, freeRule: 110n, repeat: false },
    ]);
  });

  it('gives each blocked check of one ACL and direction its own free rule number before the deciding rule', () => {
    const denying = {
      'acl-d': {
        subnetIds: ['subnet-9'],
        entries: [entry(89, 'allow', '10.9.0.0/16', 22, 22), entry(90, 'deny', '10.0.0.0/8'), entry(100, 'allow', '0.0.0.0/0'), entry(32767, 'deny', '0.0.0.0/0', 0, 65535, '-1')],
      },
    };
    const blocked = naclBlocked(denying, [
      check('acl-d', false, '10.0.1.0/24', 443n, 443n),
      check('acl-d', false, '10.0.2.0/24', 443n, 443n),
      check('acl-d', false, '10.0.1.0/24', 443n, 443n),
      check('acl-d', true, '10.0.1.0/24', 443n, 443n),
    ]);
    expect(blocked.map((b) => [b.verdict, b.rule, b.freeRule, b.repeat])).toEqual([
      ['rule 90 denying TCP 0-65535 from 10.0.0.0/8', 90n, 88n, false],
      ['rule 90 denying TCP 0-65535 from 10.0.0.0/8', 90n, 87n, false],
      ['rule 90 denying TCP 0-65535 from 10.0.0.0/8', 90n, 88n, true],
      ['no rule allowing it (the final * rule denies)', 32767n, 10n, false],
    ]);
  });

  it('names the check and field when a check is malformed or its ACL unknown', () => {
    expect(() => naclBlocked(acls, [{ acl: 'acl-a', egress: 'yes', peer: '10.0.0.0/8', from: 1n, to: 2n }])).toThrow('naclBlocked: check 0 needs "egress" (boolean), got string');
    expect(() => naclBlocked(acls, [check('acl-z', true, '10.0.0.0/8', 1n, 2n)])).toThrow('check 0 names network ACL "acl-z", which is not in networkAcls');
    expect(() => naclBlocked(acls, [check('constructor', true, '10.0.0.0/8', 1n, 2n)])).toThrow('which is not in networkAcls');
  });
});

describe('naclVerdict from CEL', () => {
  const run = (peers: string) => {
    const program = snapshotEnvironment().env.parse(`naclVerdict([], false, ${peers}, 443, 443)`) as unknown as (context: Record<string, unknown>) => unknown;
    return program({});
  };

  it('calls a peer that is not an address or CIDR an error, never allowed', () => {
    expect(run('["10.0.0.0/8"]')).toBe('no rule allowing it (the final * rule denies)');
    expect(() => run('["not-a-cidr"]')).toThrow('not an IP address or CIDR: "not-a-cidr"');
  });
});
