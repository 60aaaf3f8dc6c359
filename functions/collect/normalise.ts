/** Pure conversions from SDK response shapes to the snapshot's types. No I/O. */
import type * as EC2 from '@aws-sdk/client-ec2';
import type * as EKS from '@aws-sdk/client-eks';
import { PROTOCOL_NUMBERS } from '../core/snapshot/protocols.js';
import type {
  Cluster,
  DhcpOptions,
  FargateProfile,
  NatGateway,
  NetworkAcl,
  NetworkAclEntry,
  Node,
  Nodegroup,
  PrefixList,
  Route,
  RouteTable,
  RouteTarget,
  SecurityGroup,
  SecurityGroupRule,
  Subnet,
  VersionSupport,
  VpcEndpoint,
} from '../core/snapshot/schema.js';

const sorted = (values: Iterable<string | undefined> | undefined): string[] => [...new Set([...(values ?? [])].filter((v): v is string => Boolean(v)))].sort();
const iso = (date: Date | undefined): string => (date ? date.toISOString() : '');
const isoDay = (date: Date | undefined): string => (date ? date.toISOString().slice(0, 10) : '');

export function normaliseCluster(c: EKS.Cluster): Cluster {
  const vpc = c.resourcesVpcConfig ?? {};
  return {
    name: c.name ?? '',
    arn: c.arn ?? '',
    status: c.status ?? '',
    version: c.version ?? '',
    platformVersion: c.platformVersion ?? '',
    createdAt: iso(c.createdAt),
    roleArn: c.roleArn ?? '',
    tags: Object.fromEntries(Object.entries(c.tags ?? {}).sort(([a], [b]) => a.localeCompare(b))),
    endpoint: {
      // AWS defaults: public on, private off, public CIDRs 0.0.0.0/0.
      publicAccess: vpc.endpointPublicAccess ?? true,
      privateAccess: vpc.endpointPrivateAccess ?? false,
      publicAccessCidrs: sorted(vpc.publicAccessCidrs),
    },
    vpcId: vpc.vpcId ?? '',
    subnetIds: sorted(vpc.subnetIds),
    securityGroupIds: sorted(vpc.securityGroupIds),
    clusterSecurityGroupId: vpc.clusterSecurityGroupId ?? '',
    encryptionConfig: (c.encryptionConfig ?? []).map((e) => ({ resources: sorted(e.resources), keyArn: e.provider?.keyArn ?? '' })),
    // Every logging entry counts: AWS may split enabled and disabled types across entries.
    enabledLogTypes: sorted((c.logging?.clusterLogging ?? []).filter((l) => l.enabled).flatMap((l) => l.types ?? [])),
    authenticationMode: c.accessConfig?.authenticationMode ?? 'CONFIG_MAP',
    deletionProtection: c.deletionProtection ?? false,
    serviceIpv4Cidr: c.kubernetesNetworkConfig?.serviceIpv4Cidr ?? '',
    ipFamily: c.kubernetesNetworkConfig?.ipFamily ?? 'ipv4',
    autoMode: c.computeConfig?.enabled ?? false,
    remoteNodeNetworks: sorted((c.remoteNetworkConfig?.remoteNodeNetworks ?? []).flatMap((n) => n.cidrs ?? [])),
    remotePodNetworks: sorted((c.remoteNetworkConfig?.remotePodNetworks ?? []).flatMap((n) => n.cidrs ?? [])),
  };
}

export function normaliseNodegroup(n: EKS.Nodegroup, clusterSecurityGroupId: string, template: { securityGroupIds: string[]; associatePublicIp: boolean } | undefined): Nodegroup {
  const templateGroups = template?.securityGroupIds ?? [];
  const usesClusterSecurityGroup = templateGroups.length === 0;
  return {
    name: n.nodegroupName ?? '',
    status: n.status ?? '',
    subnetIds: sorted(n.subnets),
    nodeRole: n.nodeRole ?? '',
    amiType: n.amiType ?? '',
    capacityType: n.capacityType ?? '',
    instanceTypes: sorted(n.instanceTypes),
    ec2SshKey: n.remoteAccess?.ec2SshKey ?? '',
    sshSourceSecurityGroups: sorted(n.remoteAccess?.sourceSecurityGroups),
    remoteAccessSecurityGroupId: n.resources?.remoteAccessSecurityGroup ?? '',
    launchTemplateId: n.launchTemplate?.id ?? '',
    launchTemplateVersion: n.launchTemplate?.version ?? '',
    securityGroupIds: usesClusterSecurityGroup ? sorted([clusterSecurityGroupId]) : templateGroups,
    usesClusterSecurityGroup,
    assignsPublicIp: template?.associatePublicIp ?? false,
    desiredSize: n.scalingConfig?.desiredSize ?? 0,
  };
}

export function normaliseFargateProfile(f: EKS.FargateProfile): FargateProfile {
  return { name: f.fargateProfileName ?? '', status: f.status ?? '', subnetIds: sorted(f.subnets), podExecutionRoleArn: f.podExecutionRoleArn ?? '' };
}

export function normaliseVersionSupport(version: string, versions: readonly EKS.ClusterVersionInformation[]): VersionSupport {
  const info = versions.find((v) => v.clusterVersion === version);
  return {
    known: info !== undefined,
    status: info?.versionStatus ?? info?.status ?? '',
    endOfStandardSupport: isoDay(info?.endOfStandardSupportDate),
    endOfExtendedSupport: isoDay(info?.endOfExtendedSupportDate),
  };
}

export function normaliseDhcpOptions(id: string, options: EC2.DhcpOptions | undefined): DhcpOptions {
  // A VPC associated with "default" (no DHCP option set) gets the Amazon resolver.
  if (id === 'default') return { id, domainNameServers: ['AmazonProvidedDNS'], domainName: '' };
  const values = (key: string) => (options?.DhcpConfigurations ?? []).filter((c) => c.Key === key).flatMap((c) => (c.Values ?? []).map((v) => v.Value ?? ''));
  return { id, domainNameServers: values('domain-name-servers').filter(Boolean), domainName: values('domain-name')[0] ?? '' };
}

export function routeTargetOf(route: EC2.Route): RouteTarget {
  const gateway = route.GatewayId ?? '';
  if (gateway === 'local') return { type: 'local', id: 'local' };
  if (gateway.startsWith('igw-')) return { type: 'internet-gateway', id: gateway };
  if (gateway.startsWith('vpce-')) return { type: 'vpc-endpoint', id: gateway };
  if (gateway.startsWith('vgw-')) return { type: 'virtual-private-gateway', id: gateway };
  if (route.NatGatewayId) return { type: 'nat-gateway', id: route.NatGatewayId };
  if (route.EgressOnlyInternetGatewayId) return { type: 'egress-only-internet-gateway', id: route.EgressOnlyInternetGatewayId };
  if (route.TransitGatewayId) return { type: 'transit-gateway', id: route.TransitGatewayId };
  if (route.VpcPeeringConnectionId) return { type: 'vpc-peering', id: route.VpcPeeringConnectionId };
  if (route.InstanceId) return { type: 'instance', id: route.InstanceId };
  if (route.NetworkInterfaceId) return { type: 'network-interface', id: route.NetworkInterfaceId };
  const other = gateway || route.CarrierGatewayId || route.LocalGatewayId || route.CoreNetworkArn || '';
  return { type: 'other', id: other };
}

export const NO_ROUTE: RouteTarget = { type: 'none', id: '' };

function defaultRouteTarget(routes: readonly Route[], destination: string): RouteTarget {
  const route = routes.find((r) => r.destination === destination && r.state !== 'blackhole');
  return route ? route.target : NO_ROUTE;
}

export function normaliseRouteTable(t: EC2.RouteTable): RouteTable {
  const routes: Route[] = (t.Routes ?? []).map((r) => ({
    destination: r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock ?? r.DestinationPrefixListId ?? '',
    target: routeTargetOf(r),
    state: r.State ?? 'active',
  }));
  return {
    id: t.RouteTableId ?? '',
    vpcId: t.VpcId ?? '',
    main: (t.Associations ?? []).some((a) => a.Main),
    routes,
    defaultRoute: defaultRouteTarget(routes, '0.0.0.0/0'),
    defaultIpv6Route: defaultRouteTarget(routes, '::/0'),
  };
}

/** The subnet's effective route table: its explicit association, else the VPC's main table. */
export function effectiveRouteTable(subnetId: string, vpcTables: readonly EC2.RouteTable[]): { table?: EC2.RouteTable; association: Subnet['routeTableAssociation'] } {
  const explicit = vpcTables.find((t) => (t.Associations ?? []).some((a) => a.SubnetId === subnetId));
  if (explicit) return { table: explicit, association: 'explicit' };
  const main = vpcTables.find((t) => (t.Associations ?? []).some((a) => a.Main));
  return main ? { table: main, association: 'main' } : { association: 'none' };
}

export interface SubnetRouting {
  table?: RouteTable;
  association: Subnet['routeTableAssociation'];
  /** The default route followed through Gateway Load Balancer endpoints (see followInternetRoute). */
  internet: { target: RouteTarget; via: string[] };
}

export function normaliseSubnet(s: EC2.Subnet, route: SubnetRouting): Subnet {
  return {
    id: s.SubnetId ?? '',
    vpcId: s.VpcId ?? '',
    availabilityZone: s.AvailabilityZone ?? '',
    availabilityZoneId: s.AvailabilityZoneId ?? '',
    cidrBlock: s.CidrBlock ?? '',
    ipv6CidrBlocks: sorted((s.Ipv6CidrBlockAssociationSet ?? []).map((a) => a.Ipv6CidrBlock)),
    availableIpAddressCount: s.AvailableIpAddressCount ?? 0,
    mapPublicIpOnLaunch: s.MapPublicIpOnLaunch ?? false,
    routeTableId: route.table?.id ?? '',
    routeTableAssociation: route.association,
    defaultRoute: route.table?.defaultRoute ?? NO_ROUTE,
    defaultIpv6Route: route.table?.defaultIpv6Route ?? NO_ROUTE,
    internetRoute: route.internet.target,
    internetRouteVia: route.internet.via,
  };
}

/**
 * Follows an IPv4 default route that points at a Gateway Load Balancer endpoint (AWS Network
 * Firewall endpoints are of this kind) to the default route of the endpoint's subnet, i.e. the
 * NAT or internet gateway behind the inspection appliance. Stops at anything else, at an
 * endpoint it cannot see, and after a few hops (a routing loop).
 */
export function followInternetRoute(start: RouteTarget, vpcTables: readonly EC2.RouteTable[], endpoints: readonly EC2.VpcEndpoint[]): { target: RouteTarget; via: string[] } {
  let target = start;
  const via: string[] = [];
  while (target.type === 'vpc-endpoint' && via.length < 4) {
    const endpoint = endpoints.find((e) => e.VpcEndpointId === target.id);
    const subnetId = endpoint?.SubnetIds?.length === 1 ? endpoint.SubnetIds[0] : undefined;
    if (endpoint?.VpcEndpointType !== 'GatewayLoadBalancer' || !subnetId || via.includes(target.id)) break;
    via.push(target.id);
    const { table } = effectiveRouteTable(subnetId, vpcTables);
    target = table ? normaliseRouteTable(table).defaultRoute : NO_ROUTE;
  }
  return { target, via };
}

export function normaliseNetworkAcl(a: EC2.NetworkAcl): NetworkAcl {
  const entries: NetworkAclEntry[] = (a.Entries ?? []).map((e) => {
    const protocol = PROTOCOL_NUMBERS[(e.Protocol ?? '-1').toLowerCase()] ?? e.Protocol ?? '-1';
    const ported = e.PortRange?.From !== undefined && (protocol === '6' || protocol === '17');
    return {
      ruleNumber: e.RuleNumber ?? 32767,
      egress: e.Egress ?? false,
      protocol,
      action: e.RuleAction === 'allow' ? 'allow' : 'deny',
      cidr: e.CidrBlock ?? e.Ipv6CidrBlock ?? '',
      fromPort: ported ? e.PortRange!.From! : 0,
      toPort: ported ? (e.PortRange!.To ?? e.PortRange!.From!) : 65535,
    };
  });
  const key = (e: NetworkAclEntry) => `${e.egress ? 1 : 0}|${String(e.ruleNumber).padStart(5, '0')}|${e.cidr.includes(':') ? 1 : 0}`;
  return {
    id: a.NetworkAclId ?? '',
    vpcId: a.VpcId ?? '',
    isDefault: a.IsDefault ?? false,
    subnetIds: sorted((a.Associations ?? []).map((x) => x.SubnetId)),
    entries: entries.sort((x, y) => key(x).localeCompare(key(y))),
  };
}

export function normaliseVpcEndpoint(e: EC2.VpcEndpoint): VpcEndpoint {
  return {
    id: e.VpcEndpointId ?? '',
    vpcId: e.VpcId ?? '',
    serviceName: e.ServiceName ?? '',
    type: e.VpcEndpointType ?? '',
    state: (e.State ?? '').toLowerCase(),
    privateDnsEnabled: e.PrivateDnsEnabled ?? false,
    subnetIds: sorted(e.SubnetIds),
    routeTableIds: sorted(e.RouteTableIds),
    securityGroupIds: sorted((e.Groups ?? []).map((g) => g.GroupId)),
  };
}

export function normalisePrefixList(l: EC2.ManagedPrefixList, cidrs: readonly string[]): PrefixList {
  return { id: l.PrefixListId ?? '', name: l.PrefixListName ?? '', addressFamily: l.AddressFamily ?? '', cidrs: sorted(cidrs) };
}

export function normaliseNatGateway(n: EC2.NatGateway): NatGateway {
  return {
    id: n.NatGatewayId ?? '',
    subnetId: n.SubnetId ?? '',
    state: n.State ?? '',
    connectivityType: n.ConnectivityType ?? 'public',
    publicIps: sorted((n.NatGatewayAddresses ?? []).map((a) => a.PublicIp)),
  };
}

function permissionRules(permissions: readonly EC2.IpPermission[] | undefined): SecurityGroupRule[] {
  const rules: SecurityGroupRule[] = [];
  for (const p of permissions ?? []) {
    const protocol = p.IpProtocol ?? '-1';
    const hasPorts = protocol !== '-1' && p.FromPort !== undefined && p.FromPort !== -1;
    const base = { protocol, fromPort: hasPorts ? p.FromPort! : 0, toPort: hasPorts ? (p.ToPort ?? p.FromPort!) : 65535 };
    for (const r of p.IpRanges ?? []) rules.push({ ...base, sourceKind: 'cidr', source: r.CidrIp ?? '', description: r.Description ?? '' });
    for (const r of p.Ipv6Ranges ?? []) rules.push({ ...base, sourceKind: 'cidr', source: r.CidrIpv6 ?? '', description: r.Description ?? '' });
    for (const r of p.UserIdGroupPairs ?? []) rules.push({ ...base, sourceKind: 'security-group', source: r.GroupId ?? '', description: r.Description ?? '' });
    for (const r of p.PrefixListIds ?? []) rules.push({ ...base, sourceKind: 'prefix-list', source: r.PrefixListId ?? '', description: r.Description ?? '' });
  }
  const key = (r: SecurityGroupRule) => `${r.protocol}|${String(r.fromPort).padStart(5, '0')}|${String(r.toPort).padStart(5, '0')}|${r.sourceKind}|${r.source}`;
  return rules.sort((a, b) => key(a).localeCompare(key(b)));
}

export function normaliseSecurityGroup(g: EC2.SecurityGroup): SecurityGroup {
  return {
    id: g.GroupId ?? '',
    name: g.GroupName ?? '',
    vpcId: g.VpcId ?? '',
    ingress: permissionRules(g.IpPermissions),
    egress: permissionRules(g.IpPermissionsEgress),
  };
}

export function normaliseNode(i: EC2.Instance): Node {
  const groups = i.SecurityGroups?.length ? i.SecurityGroups.map((g) => g.GroupId) : (i.NetworkInterfaces ?? []).flatMap((n) => (n.Groups ?? []).map((g) => g.GroupId));
  return {
    instanceId: i.InstanceId ?? '',
    subnetId: i.SubnetId ?? '',
    privateIp: i.PrivateIpAddress ?? '',
    publicIp: i.PublicIpAddress ?? '',
    securityGroupIds: sorted(groups),
    nodegroup: (i.Tags ?? []).find((t) => t.Key === 'eks:nodegroup-name')?.Value ?? '',
  };
}
