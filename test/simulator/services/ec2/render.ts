/** World resources -> EC2 XML structures (element names as in the EC2 API / SDK schemas). */
import { arn, hashHex, isoTimestamp } from '../../derive.js';
import type { OpContext } from '../../protocols/protocol.js';
import { list, type XmlObject } from '../../xml.js';
import {
  type INSTANCE_STATES,
  ROUTE_TARGETS,
  type DhcpOptions,
  type Instance,
  type InternetGateway,
  type LaunchTemplate,
  type LaunchTemplateData,
  type NatGateway,
  type RouteTable,
  type SecurityGroup,
  type SecurityGroupRule,
  type Subnet,
  type Vpc,
} from '../../world.js';

export const shortHash = (...parts: string[]) => hashHex(...parts).slice(0, 17);

export function tagSet(tags: Record<string, string>) {
  const entries = Object.entries(tags);
  return entries.length ? entries.map(([key, value]) => ({ key, value })) : undefined;
}

function availableAddresses(cidr: string): number {
  const prefix = Number(cidr.split('/')[1]);
  return Math.max(0, 2 ** (32 - prefix) - 5);
}

export function subnetXml(s: Subnet, ctx: OpContext): XmlObject {
  return {
    subnetId: s.id,
    subnetArn: arn('ec2', ctx.region, ctx.world.account, `subnet/${s.id}`),
    state: s.state,
    ownerId: ctx.world.account,
    vpcId: s.vpcId,
    cidrBlock: s.cidrBlock,
    ipv6CidrBlockAssociationSet: [],
    availableIpAddressCount: s.availableIpAddressCount ?? availableAddresses(s.cidrBlock),
    availabilityZone: s.availabilityZone,
    availabilityZoneId: s.availabilityZoneId,
    defaultForAz: s.defaultForAz,
    mapPublicIpOnLaunch: s.mapPublicIpOnLaunch,
    assignIpv6AddressOnCreation: false,
    tagSet: tagSet(s.tags),
  };
}

export function vpcXml(v: Vpc, ctx: OpContext): XmlObject {
  return {
    vpcId: v.id,
    ownerId: ctx.world.account,
    state: v.state,
    cidrBlock: v.cidrBlock,
    cidrBlockAssociationSet: [
      {
        cidrBlock: v.cidrBlock,
        associationId: `vpc-cidr-assoc-${shortHash(v.id)}`,
        cidrBlockState: { state: 'associated' },
      },
    ],
    dhcpOptionsId: v.dhcpOptionsId,
    instanceTenancy: 'default',
    isDefault: v.isDefault,
    tagSet: tagSet(v.tags),
  };
}

export function dhcpOptionsXml(d: DhcpOptions, ctx: OpContext): XmlObject {
  const config = (key: string, values: readonly string[]) => (values.length ? [{ key, valueSet: values.map((value) => ({ value })) }] : []);
  return {
    dhcpOptionsId: d.id,
    ownerId: ctx.world.account,
    dhcpConfigurationSet: [
      ...config('domain-name', d.domainName === undefined ? [] : [d.domainName]),
      ...config('domain-name-servers', d.domainNameServers),
      ...config('ntp-servers', d.ntpServers),
    ],
    tagSet: tagSet(d.tags),
  };
}

function destination(dest: string): XmlObject {
  if (dest.startsWith('pl-')) return { destinationPrefixListId: dest };
  return dest.includes(':') ? { destinationIpv6CidrBlock: dest } : { destinationCidrBlock: dest };
}

export function routeTableXml(rt: RouteTable, ctx: OpContext): XmlObject {
  const vpc = ctx.regionData.vpcs.find((v) => v.id === rt.vpcId);
  const association = (key: string) => ({
    routeTableAssociationId: `rtbassoc-${shortHash(rt.id, key)}`,
    routeTableId: rt.id,
    associationState: { state: 'associated' },
  });
  return {
    routeTableId: rt.id,
    vpcId: rt.vpcId,
    ownerId: ctx.world.account,
    routeSet: [
      ...(vpc ? [{ destinationCidrBlock: vpc.cidrBlock, gatewayId: 'local', state: 'active', origin: 'CreateRouteTable' }] : []),
      ...rt.routes.map((r) => {
        const target = ROUTE_TARGETS.find((t) => r[t] !== undefined);
        return {
          ...destination(r.destination),
          ...(target && { [target]: r[target] }),
          state: r.state,
          origin: 'CreateRoute',
        };
      }),
    ],
    associationSet: [...(rt.main ? [{ main: true, ...association('main') }] : []), ...rt.subnetIds.map((subnetId) => ({ main: false, subnetId, ...association(subnetId) }))],
    propagatingVgwSet: [],
    tagSet: tagSet(rt.tags),
  };
}

export function natGatewayXml(n: NatGateway): XmlObject {
  const count = Math.max(n.publicIps.length, n.privateIps.length);
  return {
    natGatewayId: n.id,
    vpcId: n.vpcId,
    subnetId: n.subnetId,
    state: n.state,
    connectivityType: n.connectivityType,
    createTime: isoTimestamp(n.createdAt),
    natGatewayAddressSet: Array.from({ length: count }, (_, i) => ({
      allocationId: n.publicIps[i] === undefined ? undefined : `eipalloc-${shortHash(n.id, String(i))}`,
      networkInterfaceId: `eni-${shortHash(n.id, 'eni', String(i))}`,
      privateIp: n.privateIps[i],
      publicIp: n.publicIps[i],
      isPrimary: i === 0,
      status: 'succeeded',
    })),
    tagSet: tagSet(n.tags),
  };
}

export function internetGatewayXml(g: InternetGateway, ctx: OpContext): XmlObject {
  return {
    internetGatewayId: g.id,
    ownerId: ctx.world.account,
    attachmentSet: g.vpcId === undefined ? [] : [{ vpcId: g.vpcId, state: 'available' }],
    tagSet: tagSet(g.tags),
  };
}

const PROTOCOL_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6', all: '-1' };

/** EC2's spelling of a rule protocol: names for tcp/udp/icmp/icmpv6, "-1" for all. */
export function normalizeProtocol(protocol: string): string {
  const p = protocol.toLowerCase();
  return PROTOCOL_NAMES[p] ?? p;
}

function permissionXml(rule: SecurityGroupRule, ctx: OpContext): XmlObject {
  const protocol = normalizeProtocol(rule.protocol);
  const icmp = protocol === 'icmp' || protocol === 'icmpv6';
  const all = protocol === '-1';
  const description = rule.description;
  return {
    ipProtocol: protocol,
    fromPort: all ? undefined : (rule.fromPort ?? (icmp ? -1 : 0)),
    toPort: all ? undefined : (rule.toPort ?? (icmp ? -1 : 65535)),
    groups: rule.fromSecurityGroups.map((groupId) => ({ userId: ctx.world.account, groupId, description })),
    ipRanges: rule.cidrs.map((cidrIp) => ({ cidrIp, description })),
    ipv6Ranges: rule.ipv6Cidrs.map((cidrIpv6) => ({ cidrIpv6, description })),
    prefixListIds: rule.prefixListIds.map((prefixListId) => ({ prefixListId, description })),
  };
}

export function securityGroupXml(sg: SecurityGroup, ctx: OpContext): XmlObject {
  return {
    ownerId: ctx.world.account,
    groupId: sg.id,
    groupName: sg.name,
    groupDescription: sg.description ?? sg.name,
    vpcId: sg.vpcId,
    securityGroupArn: arn('ec2', ctx.region, ctx.world.account, `security-group/${sg.id}`),
    ipPermissions: sg.ingress.map((r) => permissionXml(r, ctx)),
    ipPermissionsEgress: sg.egress.map((r) => permissionXml(r, ctx)),
    tagSet: tagSet(sg.tags),
  };
}

function launchTemplateDataXml(d: LaunchTemplateData): XmlObject {
  return {
    imageId: d.imageId,
    instanceType: d.instanceType,
    keyName: d.keyName,
    userData: d.userData,
    securityGroupIdSet: d.securityGroupIds,
    iamInstanceProfile: d.iamInstanceProfile,
    metadataOptions: d.metadataOptions && { state: 'applied', ...d.metadataOptions },
    networkInterfaceSet: d.networkInterfaces?.map((ni) => ({
      deviceIndex: ni.deviceIndex,
      associatePublicIpAddress: ni.associatePublicIpAddress,
      subnetId: ni.subnetId,
      groupSet: list('groupId', ni.groups),
    })),
  };
}

export function launchTemplateVersionXml(lt: LaunchTemplate, version: string, ctx: OpContext): XmlObject {
  return {
    launchTemplateId: lt.id,
    launchTemplateName: lt.name,
    versionNumber: Number(version),
    createTime: isoTimestamp(lt.createdAt),
    createdBy: `arn:aws:iam::${ctx.world.account}:root`,
    defaultVersion: version === defaultVersion(lt),
    launchTemplateData: launchTemplateDataXml(lt.versions[version] ?? {}),
  };
}

export function versionNumbers(lt: LaunchTemplate): string[] {
  return Object.keys(lt.versions).sort((a, b) => Number(a) - Number(b));
}

export function defaultVersion(lt: LaunchTemplate): string {
  return lt.defaultVersion ?? ('1' in lt.versions ? '1' : (versionNumbers(lt)[0] ?? '1'));
}

export function latestVersion(lt: LaunchTemplate): string {
  return lt.latestVersion ?? versionNumbers(lt).at(-1) ?? '1';
}

const STATE_CODES: Record<(typeof INSTANCE_STATES)[number], number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export function instanceVpcId(i: Instance, ctx: OpContext): string | undefined {
  return i.vpcId ?? ctx.regionData.subnets.find((s) => s.id === i.subnetId)?.vpcId;
}

export function instanceXml(i: Instance, ctx: OpContext): XmlObject {
  const subnet = ctx.regionData.subnets.find((s) => s.id === i.subnetId);
  const groups = ctx.regionData.securityGroups;
  return {
    instanceId: i.id,
    imageId: i.imageId,
    instanceState: { code: STATE_CODES[i.state], name: i.state },
    privateDnsName: i.privateIp && `ip-${i.privateIp.replaceAll('.', '-')}.ec2.internal`,
    dnsName: i.publicIp && `ec2-${i.publicIp.replaceAll('.', '-')}.compute-1.amazonaws.com`,
    keyName: i.keyName,
    amiLaunchIndex: 0,
    instanceType: i.instanceType,
    launchTime: isoTimestamp(i.launchTime),
    placement: { availabilityZone: subnet?.availabilityZone, tenancy: 'default' },
    monitoring: { state: 'disabled' },
    subnetId: i.subnetId,
    vpcId: instanceVpcId(i, ctx),
    privateIpAddress: i.privateIp,
    ipAddress: i.publicIp,
    groupSet: i.securityGroupIds.map((groupId) => ({
      groupId,
      groupName: groups.find((g) => g.id === groupId)?.name,
    })),
    architecture: 'x86_64',
    rootDeviceType: 'ebs',
    rootDeviceName: '/dev/xvda',
    iamInstanceProfile: i.iamInstanceProfileArn && {
      arn: i.iamInstanceProfileArn,
      id: `AIPA${shortHash(i.iamInstanceProfileArn).toUpperCase()}`,
    },
    metadataOptions: { state: 'applied', ...i.metadataOptions },
    tagSet: tagSet(i.tags),
  };
}
