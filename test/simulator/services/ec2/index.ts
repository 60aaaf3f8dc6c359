/** Amazon EC2 (ec2Query) read operations used by eksguard. */
import { ApiError, type ServiceDefinition } from '../../protocols/protocol.js';
import { queryProtocol, type QueryOperation } from '../../protocols/query.js';
import type { Instance, LaunchTemplate, SecurityGroup, SecurityGroupRule } from '../../world.js';
import { describe, invalidValue, missingParameter, notFound, owner } from './describe.js';
import { networkOperations } from './network.js';
import {
  defaultVersion,
  dhcpOptionsXml,
  instanceVpcId,
  instanceXml,
  internetGatewayXml,
  latestVersion,
  launchTemplateVersionXml,
  natGatewayXml,
  normalizeProtocol,
  routeTableXml,
  securityGroupXml,
  subnetXml,
  versionNumbers,
  vpcXml,
} from './render.js';

const describeSubnets: QueryOperation = (p, ctx) => {
  const page = describe(p, {
    items: ctx.regionData.subnets,
    ids: { param: 'SubnetId', of: (s) => s.id, notFound: notFound('InvalidSubnetID.NotFound', 'subnet ID') },
    filters: {
      'subnet-id': (s) => s.id,
      'vpc-id': (s) => s.vpcId,
      'availability-zone': (s) => s.availabilityZone,
      'availability-zone-id': (s) => s.availabilityZoneId,
      'cidr-block': (s) => s.cidrBlock,
      state: (s) => s.state,
      'default-for-az': (s) => s.defaultForAz,
      'map-public-ip-on-launch': (s) => s.mapPublicIpOnLaunch,
      'owner-id': owner(ctx),
    },
    maxResults: [5, 1000],
    scope: 'DescribeSubnets',
  });
  return { subnetSet: page.items.map((s) => subnetXml(s, ctx)), nextToken: page.nextToken };
};

const describeVpcs: QueryOperation = (p, ctx) => {
  const page = describe(p, {
    items: ctx.regionData.vpcs,
    ids: { param: 'VpcId', of: (v) => v.id, notFound: notFound('InvalidVpcID.NotFound', 'vpc ID') },
    filters: {
      'vpc-id': (v) => v.id,
      'cidr-block': (v) => v.cidrBlock,
      'dhcp-options-id': (v) => v.dhcpOptionsId,
      'is-default': (v) => v.isDefault,
      state: (v) => v.state,
      'owner-id': owner(ctx),
    },
    maxResults: [5, 1000],
    scope: 'DescribeVpcs',
  });
  return { vpcSet: page.items.map((v) => vpcXml(v, ctx)), nextToken: page.nextToken };
};

const VPC_ATTRIBUTES = ['enableDnsSupport', 'enableDnsHostnames', 'enableNetworkAddressUsageMetrics'] as const;

const describeVpcAttribute: QueryOperation = (p, ctx) => {
  const vpcId = p.require('VpcId', missingParameter);
  const attribute = p.require('Attribute', missingParameter);
  const vpc = ctx.regionData.vpcs.find((v) => v.id === vpcId);
  if (!vpc) throw notFound('InvalidVpcID.NotFound', 'vpc ID')([vpcId]);
  const values = {
    enableDnsSupport: vpc.enableDnsSupport,
    enableDnsHostnames: vpc.enableDnsHostnames,
    enableNetworkAddressUsageMetrics: false,
  };
  const known = VPC_ATTRIBUTES.find((a) => a === attribute);
  if (!known) throw invalidValue(`Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`);
  return { vpcId, [known]: { value: values[known] } };
};

const describeDhcpOptions: QueryOperation = (p, ctx) => {
  const page = describe(p, {
    items: ctx.regionData.dhcpOptions,
    ids: { param: 'DhcpOptionsId', of: (d) => d.id, notFound: notFound('InvalidDhcpOptionID.NotFound', 'dhcpOption ID') },
    filters: {
      'dhcp-options-id': (d) => d.id,
      key: (d) => [
        ...(d.domainName === undefined ? [] : ['domain-name']),
        ...(d.domainNameServers.length ? ['domain-name-servers'] : []),
        ...(d.ntpServers.length ? ['ntp-servers'] : []),
      ],
      value: (d) => [d.domainName, ...d.domainNameServers, ...d.ntpServers],
      'owner-id': owner(ctx),
    },
    maxResults: [5, 1000],
    scope: 'DescribeDhcpOptions',
  });
  return { dhcpOptionsSet: page.items.map((d) => dhcpOptionsXml(d, ctx)), nextToken: page.nextToken };
};

const describeRouteTables: QueryOperation = (p, ctx) => {
  const page = describe(p, {
    items: ctx.regionData.routeTables,
    ids: { param: 'RouteTableId', of: (r) => r.id, notFound: notFound('InvalidRouteTableID.NotFound', 'routeTable ID') },
    filters: {
      'route-table-id': (r) => r.id,
      'vpc-id': (r) => r.vpcId,
      'association.subnet-id': (r) => r.subnetIds,
      'association.main': (r) => [...(r.main ? [true] : []), ...r.subnetIds.map(() => false)],
      'route.destination-cidr-block': (r) => r.routes.map((x) => x.destination),
      'route.destination-ipv6-cidr-block': (r) => r.routes.map((x) => x.destination),
      'route.gateway-id': (r) => r.routes.map((x) => x.gatewayId),
      'route.nat-gateway-id': (r) => r.routes.map((x) => x.natGatewayId),
      'route.transit-gateway-id': (r) => r.routes.map((x) => x.transitGatewayId),
      'route.vpc-peering-connection-id': (r) => r.routes.map((x) => x.vpcPeeringConnectionId),
      'route.instance-id': (r) => r.routes.map((x) => x.instanceId),
      'route.state': (r) => r.routes.map((x) => x.state),
      'owner-id': owner(ctx),
    },
    maxResults: [5, 100],
    scope: 'DescribeRouteTables',
  });
  return { routeTableSet: page.items.map((r) => routeTableXml(r, ctx)), nextToken: page.nextToken };
};

const describeNatGateways: QueryOperation = (p, ctx) => {
  const page = describe(p, {
    items: ctx.regionData.natGateways,
    ids: {
      param: 'NatGatewayId',
      of: (n) => n.id,
      notFound: (missing) => new ApiError('NatGatewayNotFound', `NAT gateway ${missing.join(', ')} was not found`),
    },
    filters: {
      'nat-gateway-id': (n) => n.id,
      state: (n) => n.state,
      'subnet-id': (n) => n.subnetId,
      'vpc-id': (n) => n.vpcId,
    },
    maxResults: [5, 1000],
    scope: 'DescribeNatGateways',
  });
  return { natGatewaySet: page.items.map(natGatewayXml), nextToken: page.nextToken };
};

const describeInternetGateways: QueryOperation = (p, ctx) => {
  const page = describe(p, {
    items: ctx.regionData.internetGateways,
    ids: {
      param: 'InternetGatewayId',
      of: (g) => g.id,
      notFound: notFound('InvalidInternetGatewayID.NotFound', 'internetGateway ID'),
    },
    filters: {
      'internet-gateway-id': (g) => g.id,
      'attachment.vpc-id': (g) => g.vpcId,
      'attachment.state': (g) => (g.vpcId === undefined ? undefined : 'available'),
      'owner-id': owner(ctx),
    },
    maxResults: [5, 1000],
    scope: 'DescribeInternetGateways',
  });
  return { internetGatewaySet: page.items.map((g) => internetGatewayXml(g, ctx)), nextToken: page.nextToken };
};

const describeSecurityGroups: QueryOperation = (p, ctx) => {
  const groupNotFound = notFound('InvalidGroup.NotFound', 'security group');
  const names = p.list('GroupName');
  const missingNames = names.filter((n) => !ctx.regionData.securityGroups.some((g) => g.name === n));
  if (missingNames.length) throw groupNotFound(missingNames);
  const rules = (direction: 'ingress' | 'egress', pick: (r: SecurityGroupRule) => readonly string[]) => (g: SecurityGroup) => g[direction].flatMap(pick);
  const page = describe(p, {
    items: ctx.regionData.securityGroups.filter((g) => !names.length || names.includes(g.name)),
    ids: { param: 'GroupId', of: (g) => g.id, notFound: groupNotFound },
    filters: {
      'group-id': (g) => g.id,
      'group-name': (g) => g.name,
      description: (g) => g.description ?? g.name,
      'vpc-id': (g) => g.vpcId,
      'owner-id': owner(ctx),
      'ip-permission.cidr': rules('ingress', (r) => r.cidrs),
      'ip-permission.ipv6-cidr': rules('ingress', (r) => r.ipv6Cidrs),
      'ip-permission.group-id': rules('ingress', (r) => r.fromSecurityGroups),
      'ip-permission.protocol': rules('ingress', (r) => [normalizeProtocol(r.protocol)]),
      'egress.ip-permission.cidr': rules('egress', (r) => r.cidrs),
      'egress.ip-permission.ipv6-cidr': rules('egress', (r) => r.ipv6Cidrs),
      'egress.ip-permission.group-id': rules('egress', (r) => r.fromSecurityGroups),
    },
    maxResults: [5, 1000],
    scope: 'DescribeSecurityGroups',
  });
  return { securityGroupInfo: page.items.map((g) => securityGroupXml(g, ctx)), nextToken: page.nextToken };
};

const describeInstances: QueryOperation = (p, ctx) => {
  const page = describe<Instance>(p, {
    items: ctx.regionData.instances,
    ids: {
      param: 'InstanceId',
      of: (i) => i.id,
      notFound: notFound('InvalidInstanceID.NotFound', 'instance ID'),
      excludeMaxResults: 'instancesSet',
    },
    filters: {
      'instance-id': (i) => i.id,
      'instance-state-name': (i) => i.state,
      'instance-type': (i) => i.instanceType,
      'image-id': (i) => i.imageId,
      'vpc-id': (i) => instanceVpcId(i, ctx),
      'subnet-id': (i) => i.subnetId,
      'instance.group-id': (i) => i.securityGroupIds,
      'private-ip-address': (i) => i.privateIp,
      'ip-address': (i) => i.publicIp,
      'key-name': (i) => i.keyName,
      'iam-instance-profile.arn': (i) => i.iamInstanceProfileArn,
      'metadata-options.http-tokens': (i) => i.metadataOptions.httpTokens,
      'owner-id': owner(ctx),
    },
    maxResults: [5, 1000],
    scope: 'DescribeInstances',
  });
  // Instances sharing a reservationId are reported together; others get their own reservation.
  const reservations = new Map<string, Instance[]>();
  for (const i of page.items) {
    const id = i.reservationId ?? `r-${i.id.replace(/^i-/, '')}`;
    reservations.set(id, [...(reservations.get(id) ?? []), i]);
  }
  return {
    reservationSet: [...reservations].map(([reservationId, instances]) => ({
      reservationId,
      ownerId: ctx.world.account,
      groupSet: [],
      instancesSet: instances.map((i) => instanceXml(i, ctx)),
    })),
    nextToken: page.nextToken,
  };
};

/** Resolves LaunchTemplateVersion.N values ($Latest, $Default, numbers) for one template. */
function resolveVersions(lt: LaunchTemplate, requested: string[]): string[] {
  return requested.map((v) => {
    const resolved = v === '$Latest' ? latestVersion(lt) : v === '$Default' ? defaultVersion(lt) : v;
    if (!(resolved in lt.versions)) {
      throw new ApiError('InvalidLaunchTemplateId.VersionNotFound', `Could not find launch template version ${v} for launch template ${lt.id}`);
    }
    return resolved;
  });
}

const describeLaunchTemplateVersions: QueryOperation = (p, ctx) => {
  const templates = ctx.regionData.launchTemplates;
  const id = p.get('LaunchTemplateId');
  const name = p.get('LaunchTemplateName');
  const requested = p.list('LaunchTemplateVersion');
  let selected: Array<{ lt: LaunchTemplate; version: string }>;
  if (id !== undefined || name !== undefined) {
    const lt = templates.find((t) => (id !== undefined ? t.id === id : t.name === name));
    if (!lt) {
      throw id !== undefined
        ? new ApiError('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`)
        : new ApiError('InvalidLaunchTemplateName.NotFoundException', `The specified launch template, with template name ${name}, does not exist.`);
    }
    const min = Number(p.get('MinVersion') ?? 1);
    const max = Number(p.get('MaxVersion') ?? Infinity);
    const versions = requested.length
      ? resolveVersions(lt, requested)
      : versionNumbers(lt)
          .filter((v) => Number(v) >= min && Number(v) <= max)
          .reverse();
    selected = versions.map((version) => ({ lt, version }));
  } else {
    if (!requested.length || requested.some((v) => v !== '$Latest' && v !== '$Default')) {
      throw missingParameter('LaunchTemplateId or LaunchTemplateName');
    }
    selected = templates.flatMap((lt) => [...new Set(resolveVersions(lt, requested))].map((version) => ({ lt, version })));
  }
  const page = describe(p, {
    items: selected.map((s) => ({ ...s, tags: s.lt.tags })),
    filters: { 'is-default-version': (s) => s.version === defaultVersion(s.lt) },
    maxResults: [1, 200],
    scope: `DescribeLaunchTemplateVersions:${id ?? name ?? ''}`,
  });
  return {
    launchTemplateVersionSet: page.items.map((s) => launchTemplateVersionXml(s.lt, s.version, ctx)),
    nextToken: page.nextToken,
  };
};

export const ec2: ServiceDefinition = {
  name: 'ec2',
  protocol: queryProtocol({
    flavor: 'ec2',
    xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/',
    version: '2016-11-15',
    operations: {
      DescribeSubnets: describeSubnets,
      DescribeVpcs: describeVpcs,
      DescribeVpcAttribute: describeVpcAttribute,
      DescribeDhcpOptions: describeDhcpOptions,
      DescribeRouteTables: describeRouteTables,
      DescribeNatGateways: describeNatGateways,
      DescribeInternetGateways: describeInternetGateways,
      DescribeSecurityGroups: describeSecurityGroups,
      DescribeInstances: describeInstances,
      DescribeLaunchTemplateVersions: describeLaunchTemplateVersions,
      ...networkOperations,
    },
  }),
  faults: {
    AccessDenied: {
      code: 'UnauthorizedOperation',
      status: 403,
      message: 'You are not authorized to perform this operation.',
    },
    Throttling: { code: 'RequestLimitExceeded', status: 503, message: 'Request limit exceeded.' },
    InternalError: { code: 'InternalError', status: 500, message: 'An internal error has occurred.' },
    ServiceUnavailable: { code: 'Unavailable', status: 503, message: 'The server is overloaded.' },
  },
};
