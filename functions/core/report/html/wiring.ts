/**
 * What the wiring diagram of one cluster shows, read from its snapshot: the control plane and
 * its endpoints, the subnets by Availability Zone with what runs in them and where their
 * default route goes, the gateways those routes reach, and the security-group paths between
 * nodes and the control plane. No geometry here (layout.ts places it); pure.
 */
import { cidrContains, isIpOrCidr } from '../../policy/cidr.js';
import type { ClusterSnapshot, RouteTarget, Section } from '../../snapshot/schema.js';

export interface SubnetView {
  id: string;
  /** false: referenced by the cluster, a node group, a Fargate profile or a node, but not found. */
  exists: boolean;
  availabilityZone: string;
  availabilityZoneId: string;
  cidrBlock: string;
  freeIps: number;
  controlPlane: boolean;
  nodegroups: string[];
  fargateProfiles: string[];
  /** Instances in the subnet that belong to no listed managed node group. */
  selfManagedNodes: string[];
  mapsPublicIps: boolean;
  defaultRoute: RouteTarget;
  /** Where internet-bound traffic ends up after firewall endpoints (`via`); the connector goes there. */
  egress: RouteTarget;
  via: string[];
  routeTableId: string;
  routeTableAssociation: string;
  networkAcl?: AclView;
}

export interface AclView {
  id: string;
  isDefault: boolean;
}

export interface ZoneColumn {
  /** "" for the column of subnets that were not found. */
  zone: string;
  zoneId: string;
  subnets: SubnetView[];
}

export interface EgressAddress {
  ip: string;
  /** For a public-only endpoint: whether the address is inside the allowlist; undefined otherwise. */
  allowed?: boolean;
}

export interface GatewayView {
  id: string;
  type: RouteTarget['type'];
  /** NAT gateways: state and connectivity as collected; "" when the gateway was not collected. */
  state: string;
  connectivityType: string;
  addresses: EgressAddress[];
  /** Subnets (ids) whose default route goes here. */
  routedFrom: string[];
  /** NAT gateways: the network ACL of the subnet the gateway sits in. */
  networkAcl?: AclView;
}

export interface EndpointView {
  id: string;
  /** The service without its "com.amazonaws.<region>." prefix, e.g. "ecr.api". */
  service: string;
  type: string;
  state: string;
  privateDns: boolean;
}

export interface SecurityGroupView {
  id: string;
  name: string;
  role: string;
  exists: boolean;
}

/** A set of nodes that the security-group paths are judged for (as cluster-node-sg-connectivity does). */
export interface NodeUnitView {
  /** The label policies use for it, e.g. "node group etl" or "self-managed node i-0abc". */
  label: string;
  securityGroups: SecurityGroupView[];
  /** The unit carries the cluster security group: it must allow traffic from itself. */
  carriesClusterSg: boolean;
}

export interface ClusterWiring {
  name: string;
  region: string;
  /** Why there is no snapshot (the cluster could not be read), else undefined. */
  unreadable?: string;
  settings: {
    version: string;
    support: string;
    authenticationMode: string;
    logTypes: string[];
    secretsKey: string;
    deletionProtection: boolean;
    role: string;
    roleExists: boolean;
    rolePolicies: number;
    autoMode: boolean;
  };
  endpoint: { publicAccess: boolean; privateAccess: boolean; allowlist: string[]; publicOnly: boolean };
  vpc: {
    id: string;
    cidrBlocks: string[];
    dnsSupport: boolean;
    dnsHostnames: boolean;
    dhcpOptionsId: string;
    resolvers: string[];
    domainName: string;
  };
  controlPlaneZones: string[];
  columns: ZoneColumn[];
  gateways: GatewayView[];
  vpcEndpoints: EndpointView[];
  remoteNetworks: { nodes: string[]; pods: string[] };
  controlPlaneSecurityGroups: SecurityGroupView[];
  units: NodeUnitView[];
  fargateOnly: boolean;
  sectionErrors: { section: Section; reason: string }[];
}

const GATEWAY_ORDER: RouteTarget['type'][] = [
  'nat-gateway',
  'internet-gateway',
  'egress-only-internet-gateway',
  'transit-gateway',
  'vpc-peering',
  'vpc-endpoint',
  'network-interface',
  'instance',
  'other',
];

const compareZones = (a: string, b: string) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b));

export function unreadableWiring(name: string, region: string, reason: string): ClusterWiring {
  return {
    name,
    region,
    unreadable: reason,
    settings: {
      version: '',
      support: '',
      authenticationMode: '',
      logTypes: [],
      secretsKey: '',
      deletionProtection: false,
      role: '',
      roleExists: false,
      rolePolicies: 0,
      autoMode: false,
    },
    endpoint: { publicAccess: false, privateAccess: false, allowlist: [], publicOnly: false },
    vpc: { id: '', cidrBlocks: [], dnsSupport: false, dnsHostnames: false, dhcpOptionsId: '', resolvers: [], domainName: '' },
    controlPlaneZones: [],
    columns: [],
    gateways: [],
    vpcEndpoints: [],
    remoteNetworks: { nodes: [], pods: [] },
    controlPlaneSecurityGroups: [],
    units: [],
    fargateOnly: false,
    sectionErrors: [],
  };
}

export function wiringOf(snapshot: ClusterSnapshot): ClusterWiring {
  const { cluster, vpc } = snapshot;
  const managed = new Set(snapshot.nodegroups.map((g) => g.name));
  const acls = Object.values(snapshot.networkAcls ?? {});
  const aclOf = (subnetId: string): AclView | undefined => {
    const acl = acls.find((a) => a.subnetIds.includes(subnetId));
    return acl ? { id: acl.id, isDefault: acl.isDefault } : undefined;
  };
  const selfManaged = snapshot.nodes.filter((n) => !managed.has(n.nodegroup));

  const views = new Map<string, SubnetView>();
  const view = (id: string): SubnetView => {
    let v = views.get(id);
    if (!v) {
      const s = snapshot.subnets[id];
      v = {
        id,
        exists: s !== undefined,
        availabilityZone: s?.availabilityZone ?? '',
        availabilityZoneId: s?.availabilityZoneId ?? '',
        cidrBlock: s?.cidrBlock ?? '',
        freeIps: s?.availableIpAddressCount ?? 0,
        controlPlane: false,
        nodegroups: [],
        fargateProfiles: [],
        selfManagedNodes: [],
        mapsPublicIps: s?.mapPublicIpOnLaunch ?? false,
        defaultRoute: s?.defaultRoute ?? { type: 'none', id: '' },
        egress: s?.internetRoute && s.internetRoute.type !== 'none' ? s.internetRoute : (s?.defaultRoute ?? { type: 'none', id: '' }),
        via: s?.internetRouteVia ?? [],
        ...(s && aclOf(id) ? { networkAcl: aclOf(id)! } : {}),
        routeTableId: s?.routeTableId ?? '',
        routeTableAssociation: s?.routeTableAssociation ?? 'none',
      };
      views.set(id, v);
    }
    return v;
  };
  for (const id of cluster.subnetIds) view(id).controlPlane = true;
  for (const g of snapshot.nodegroups) for (const id of g.subnetIds) pushOnce(view(id).nodegroups, g.name);
  for (const f of snapshot.fargateProfiles) for (const id of f.subnetIds) pushOnce(view(id).fargateProfiles, f.name);
  for (const n of selfManaged) pushOnce(view(n.subnetId).selfManagedNodes, n.instanceId);

  const byZone = new Map<string, ZoneColumn>();
  for (const v of views.values()) {
    const zone = v.exists ? v.availabilityZone : '';
    if (!byZone.has(zone)) byZone.set(zone, { zone, zoneId: v.availabilityZoneId, subnets: [] });
    byZone.get(zone)!.subnets.push(v);
  }
  const columns = [...byZone.values()].sort((a, b) => compareZones(a.zone, b.zone));
  // Control-plane subnets first in each column, then by id: stable from scan to scan.
  for (const c of columns) c.subnets.sort((a, b) => Number(b.controlPlane) - Number(a.controlPlane) || a.id.localeCompare(b.id));

  const publicOnly = cluster.endpoint.publicAccess && !cluster.endpoint.privateAccess;
  const allowlist = cluster.endpoint.publicAccessCidrs.length ? cluster.endpoint.publicAccessCidrs : ['0.0.0.0/0'];
  const allowed = (ip: string) => (publicOnly ? allowlist.some((c) => isIpOrCidr(c) && isIpOrCidr(ip) && cidrContains(c, ip)) : undefined);

  const gateways = new Map<string, GatewayView>();
  for (const v of views.values()) {
    if (!v.exists || v.egress.type === 'none' || v.egress.type === 'local') continue;
    const key = `${v.egress.type}:${v.egress.id}`;
    let g = gateways.get(key);
    if (!g) {
      const nat = v.egress.type === 'nat-gateway' ? snapshot.natGateways[v.egress.id] : undefined;
      const natAcl = nat ? aclOf(nat.subnetId) : undefined;
      g = {
        id: v.egress.id,
        type: v.egress.type,
        ...(natAcl ? { networkAcl: natAcl } : {}),
        state: nat?.state ?? '',
        connectivityType: nat?.connectivityType ?? '',
        addresses: (nat?.publicIps ?? []).map((ip) => ({ ip, allowed: allowed(ip) })),
        routedFrom: [],
      };
      gateways.set(key, g);
    }
    g.routedFrom.push(v.id);
  }

  const sgView = (id: string, role: string): SecurityGroupView => ({ id, role, name: snapshot.securityGroups[id]?.name ?? '', exists: id in snapshot.securityGroups });
  const clusterSg = cluster.clusterSecurityGroupId;
  const controlPlaneSecurityGroups = [
    ...(clusterSg ? [sgView(clusterSg, 'cluster SG')] : []),
    ...cluster.securityGroupIds.filter((id) => id !== clusterSg).map((id) => sgView(id, 'additional SG')),
  ];
  const unitOf = (label: string, sgs: readonly string[]): NodeUnitView => ({
    label,
    securityGroups: sgs.map((id) => sgView(id, id === clusterSg ? 'cluster SG' : 'node SG')),
    carriesClusterSg: clusterSg !== '' && sgs.includes(clusterSg),
  });
  const units = [
    ...snapshot.nodegroups.map((g) =>
      unitOf(`node group ${g.name}`, g.usesClusterSecurityGroup && clusterSg && !g.securityGroupIds.includes(clusterSg) ? [...g.securityGroupIds, clusterSg] : g.securityGroupIds),
    ),
    ...selfManaged.map((n) =>
      unitOf(n.nodegroup === '' ? `self-managed node ${n.instanceId}` : `node ${n.instanceId} (node group ${n.nodegroup} is not a listed managed node group)`, n.securityGroupIds),
    ),
  ];

  const support = snapshot.versionSupport;
  const secrets = cluster.encryptionConfig.find((e) => e.resources.includes('secrets'));
  return {
    name: cluster.name,
    region: snapshot.region,
    settings: {
      version: cluster.version,
      support: support.known
        ? `${support.status.toLowerCase().replace(/_/g, ' ')}${support.endOfStandardSupport ? ` to ${support.endOfStandardSupport}` : ''}`
        : 'support dates unknown',
      authenticationMode: cluster.authenticationMode || 'CONFIG_MAP (none reported)',
      logTypes: cluster.enabledLogTypes,
      secretsKey: secrets ? secrets.keyArn : '',
      deletionProtection: cluster.deletionProtection,
      role: snapshot.clusterRole.name || cluster.roleArn,
      roleExists: snapshot.clusterRole.exists ?? true,
      rolePolicies: snapshot.clusterRole.attachedPolicyArns.length,
      autoMode: cluster.autoMode ?? false,
    },
    endpoint: { publicAccess: cluster.endpoint.publicAccess, privateAccess: cluster.endpoint.privateAccess, allowlist: cluster.endpoint.publicAccessCidrs, publicOnly },
    vpc: {
      id: vpc.id || cluster.vpcId,
      cidrBlocks: vpc.cidrBlocks.length ? vpc.cidrBlocks : [vpc.cidrBlock].filter(Boolean),
      dnsSupport: vpc.enableDnsSupport,
      dnsHostnames: vpc.enableDnsHostnames,
      dhcpOptionsId: vpc.dhcpOptions.id,
      resolvers: vpc.dhcpOptions.domainNameServers,
      domainName: vpc.dhcpOptions.domainName,
    },
    controlPlaneZones: [...new Set(cluster.subnetIds.map((id) => snapshot.subnets[id]?.availabilityZone).filter((z): z is string => Boolean(z)))].sort(),
    columns,
    gateways: [...gateways.values()].sort((a, b) => GATEWAY_ORDER.indexOf(a.type) - GATEWAY_ORDER.indexOf(b.type) || a.id.localeCompare(b.id)),
    vpcEndpoints: Object.values(snapshot.vpcEndpoints ?? {})
      .map((e) => ({ id: e.id, service: e.serviceName.replace(/^com\.amazonaws\.(vpce\.)?[a-z0-9-]+\./, ''), type: e.type, state: e.state, privateDns: e.privateDnsEnabled }))
      .sort((a, b) => a.service.localeCompare(b.service) || a.id.localeCompare(b.id)),
    remoteNetworks: { nodes: cluster.remoteNodeNetworks ?? [], pods: cluster.remotePodNetworks ?? [] },
    controlPlaneSecurityGroups,
    units,
    fargateOnly: units.length === 0 && snapshot.fargateProfiles.length > 0,
    sectionErrors: Object.entries(snapshot.errors).map(([section, reason]) => ({ section: section as Section, reason: reason ?? '' })),
  };
}

function pushOnce(list: string[], item: string): void {
  if (!list.includes(item)) list.push(item);
}
