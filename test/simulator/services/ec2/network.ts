/**
 * EC2 reads of the network path: DescribeNetworkAcls, DescribeVpcEndpoints,
 * DescribeManagedPrefixLists and GetManagedPrefixListEntries (ec2Query, XML element names as
 * in the EC2 API reference: networkAclSet/entrySet/associationSet, vpcEndpointSet,
 * prefixListSet, entrySet of {cidr, description}).
 */
import { arn, isoTimestamp } from '../../derive.js';
import { pageSize, paginate } from '../../pagination.js';
import { ApiError, type OpContext } from '../../protocols/protocol.js';
import type { QueryOperation } from '../../protocols/query.js';
import type { XmlObject } from '../../xml.js';
import type { ManagedPrefixList, NetworkAcl, NetworkAclEntry, VpcEndpoint } from '../../world.js';
import { describe, invalidValue, missingParameter, notFound, owner } from './describe.js';
import { shortHash, tagSet } from './render.js';

const PROTOCOL_NUMBERS: Record<string, string> = { all: '-1', tcp: '6', udp: '17', icmp: '1', icmpv6: '58' };

interface ResolvedAcl extends NetworkAcl {
  /** Explicit subnet ids, or for the default ACL every other subnet of the VPC. */
  associated: string[];
}

/** The region's ACLs as EC2 reports them: a default ACL per VPC, every subnet associated with one ACL. */
function resolvedAcls(ctx: OpContext): ResolvedAcl[] {
  const region = ctx.regionData;
  const acls: NetworkAcl[] = [...region.networkAcls];
  for (const vpc of region.vpcs) {
    if (!acls.some((a) => a.vpcId === vpc.id && a.isDefault)) {
      const allowAll = (egress: boolean): NetworkAclEntry => ({ ruleNumber: 100, egress, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0' });
      acls.push({ id: `acl-${shortHash(vpc.id)}`, vpcId: vpc.id, isDefault: true, subnetIds: [], entries: [allowAll(false), allowAll(true)], tags: {} });
    }
  }
  return acls.map((acl) => {
    if (!acl.isDefault) return { ...acl, associated: acl.subnetIds };
    const elsewhere = new Set(acls.filter((a) => a.vpcId === acl.vpcId && !a.isDefault).flatMap((a) => a.subnetIds));
    const implicit = region.subnets.filter((s) => s.vpcId === acl.vpcId && !elsewhere.has(s.id)).map((s) => s.id);
    return { ...acl, associated: [...new Set([...acl.subnetIds, ...implicit])] };
  });
}

function aclEntryXml(e: NetworkAclEntry): XmlObject {
  const protocol = PROTOCOL_NUMBERS[e.protocol.toLowerCase()] ?? e.protocol;
  const ported = protocol === '6' || protocol === '17';
  return {
    cidrBlock: e.cidr,
    egress: e.egress,
    icmpTypeCode: protocol === '1' || protocol === '58' ? { code: -1, type: -1 } : undefined,
    ipv6CidrBlock: e.ipv6Cidr,
    portRange: ported ? { from: e.fromPort ?? 0, to: e.toPort ?? 65535 } : undefined,
    protocol,
    ruleAction: e.action,
    ruleNumber: e.ruleNumber,
  };
}

function networkAclXml(acl: ResolvedAcl, ctx: OpContext): XmlObject {
  const finalDeny = (egress: boolean): NetworkAclEntry => ({ ruleNumber: 32767, egress, protocol: '-1', action: 'deny', cidr: '0.0.0.0/0' });
  return {
    associationSet: acl.associated.map((subnetId) => ({
      networkAclAssociationId: `aclassoc-${shortHash(acl.id, subnetId)}`,
      networkAclId: acl.id,
      subnetId,
    })),
    entrySet: [...acl.entries, finalDeny(false), finalDeny(true)].map(aclEntryXml),
    default: acl.isDefault,
    networkAclId: acl.id,
    tagSet: tagSet(acl.tags),
    vpcId: acl.vpcId,
    ownerId: ctx.world.account,
  };
}

const describeNetworkAcls: QueryOperation = (p, ctx) => {
  const entries = (a: ResolvedAcl) => a.entries;
  const page = describe(p, {
    items: resolvedAcls(ctx),
    ids: { param: 'NetworkAclId', of: (a) => a.id, notFound: notFound('InvalidNetworkAclID.NotFound', 'network ACL ID') },
    filters: {
      'network-acl-id': (a) => a.id,
      'vpc-id': (a) => a.vpcId,
      default: (a) => a.isDefault,
      'association.subnet-id': (a) => a.associated,
      'association.network-acl-id': (a) => (a.associated.length ? a.id : undefined),
      'entry.rule-number': (a) => entries(a).map((e) => e.ruleNumber),
      'entry.rule-action': (a) => entries(a).map((e) => e.action),
      'entry.egress': (a) => entries(a).map((e) => e.egress),
      'entry.cidr': (a) => entries(a).map((e) => e.cidr),
      'entry.ipv6-cidr': (a) => entries(a).map((e) => e.ipv6Cidr),
      'owner-id': owner(ctx),
    },
    maxResults: [5, 1000],
    scope: 'DescribeNetworkAcls',
  });
  return { networkAclSet: page.items.map((a) => networkAclXml(a, ctx)), nextToken: page.nextToken };
};

function vpcEndpointXml(e: VpcEndpoint, ctx: OpContext): XmlObject {
  const groups = ctx.regionData.securityGroups;
  const isInterface = e.type === 'Interface';
  return {
    vpcEndpointId: e.id,
    vpcEndpointType: e.type,
    vpcId: e.vpcId,
    serviceName: e.serviceName,
    state: e.state,
    routeTableIdSet: e.type === 'Gateway' ? e.routeTableIds : [],
    subnetIdSet: e.type === 'Gateway' ? [] : e.subnetIds,
    groupSet: isInterface ? e.securityGroupIds.map((groupId) => ({ groupId, groupName: groups.find((g) => g.id === groupId)?.name })) : [],
    ipAddressType: 'ipv4',
    privateDnsEnabled: isInterface ? (e.privateDnsEnabled ?? true) : false,
    requesterManaged: false,
    networkInterfaceIdSet: e.type === 'Gateway' ? [] : e.subnetIds.map((s) => `eni-${shortHash(e.id, s)}`),
    creationTimestamp: isoTimestamp('2024-01-01T00:00:00Z'),
    tagSet: tagSet(e.tags),
    ownerId: ctx.world.account,
  };
}

const describeVpcEndpoints: QueryOperation = (p, ctx) => {
  const page = describe(p, {
    items: ctx.regionData.vpcEndpoints,
    ids: { param: 'VpcEndpointId', of: (e) => e.id, notFound: notFound('InvalidVpcEndpointId.NotFound', 'VPC endpoint ID') },
    filters: {
      'vpc-endpoint-id': (e) => e.id,
      'vpc-id': (e) => e.vpcId,
      'service-name': (e) => e.serviceName,
      'vpc-endpoint-state': (e) => e.state,
      'vpc-endpoint-type': (e) => e.type,
      'ip-address-type': () => 'ipv4',
    },
    maxResults: [1, 1000],
    scope: 'DescribeVpcEndpoints',
  });
  return { vpcEndpointSet: page.items.map((e) => vpcEndpointXml(e, ctx)), nextToken: page.nextToken };
};

const listOwner = (l: ManagedPrefixList, ctx: OpContext) => l.ownerId ?? ctx.world.account;

function prefixListXml(l: ManagedPrefixList, ctx: OpContext): XmlObject {
  return {
    prefixListId: l.id,
    addressFamily: l.addressFamily,
    state: 'create-complete',
    prefixListArn: arn('ec2', ctx.region, listOwner(l, ctx) === 'AWS' ? 'aws' : listOwner(l, ctx), `prefix-list/${l.id}`),
    prefixListName: l.name,
    maxEntries: l.maxEntries ?? Math.max(l.cidrs.length, 1),
    version: 1,
    tagSet: tagSet(l.tags),
    ownerId: listOwner(l, ctx),
  };
}

const prefixListNotFound = notFound('InvalidPrefixListID.NotFound', 'prefix list ID');

const describeManagedPrefixLists: QueryOperation = (p, ctx) => {
  const page = describe(p, {
    items: ctx.regionData.managedPrefixLists,
    ids: { param: 'PrefixListId', of: (l) => l.id, notFound: prefixListNotFound },
    filters: {
      'prefix-list-id': (l) => l.id,
      'prefix-list-name': (l) => l.name,
      'owner-id': (l) => listOwner(l, ctx),
    },
    maxResults: [1, 100],
    scope: 'DescribeManagedPrefixLists',
  });
  return { prefixListSet: page.items.map((l) => prefixListXml(l, ctx)), nextToken: page.nextToken };
};

const getManagedPrefixListEntries: QueryOperation = (p, ctx) => {
  const id = p.require('PrefixListId', missingParameter);
  const list = ctx.regionData.managedPrefixLists.find((l) => l.id === id);
  if (!list) throw prefixListNotFound([id]);
  const limit = pageSize(p.get('MaxResults'), [1, 100], (v) => invalidValue(`Value ( ${v} ) for parameter maxResults is invalid. Expecting a value between 1 and 100.`));
  const page = paginate(list.cidrs, {
    scope: `GetManagedPrefixListEntries:${id}`,
    limit,
    token: p.get('NextToken'),
    invalidToken: () => new ApiError('InvalidPaginationToken', 'The pagination token is invalid or expired.'),
  });
  return { entrySet: page.items.map((cidr) => ({ cidr })), nextToken: page.nextToken };
};

export const networkOperations: Record<string, QueryOperation> = {
  DescribeNetworkAcls: describeNetworkAcls,
  DescribeVpcEndpoints: describeVpcEndpoints,
  DescribeManagedPrefixLists: describeManagedPrefixLists,
  GetManagedPrefixListEntries: getManagedPrefixListEntries,
};
