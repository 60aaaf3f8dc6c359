/**
 * The cluster snapshot: everything eksguard knows about one EKS cluster at one moment,
 * normalised from the AWS APIs. Policies see only this shape (never SDK objects), drift
 * compares two of them, and the state store keeps the last one.
 *
 * This zod schema is the single source of truth: the TypeScript type, the published JSON
 * Schema (`npm run schema`) and the CEL type declarations that policy expressions are checked
 * against are all derived from it. Bump SNAPSHOT_SCHEMA_VERSION on any incompatible change.
 */
import { z } from 'zod';
import { SECTIONS, SNAPSHOT_SCHEMA_VERSION } from './sections.js';

export { POLICY_VARIABLES, SECTIONS, type Section, SNAPSHOT_SCHEMA_VERSION } from './sections.js';

const int = () => z.number().int();
const strings = () => z.array(z.string());

export const EndpointAccess = z
  .object({
    publicAccess: z.boolean().describe('endpointPublicAccess'),
    privateAccess: z.boolean().describe('endpointPrivateAccess'),
    publicAccessCidrs: strings().describe('publicAccessCidrs: who may reach the public endpoint'),
  })
  .meta({ id: 'EndpointAccess', description: 'How the Kubernetes API server endpoint is reached' });

export const EncryptionConfig = z
  .object({ resources: strings(), keyArn: z.string() })
  .meta({ id: 'EncryptionConfig', description: 'One envelope-encryption entry of the cluster' });

export const Cluster = z
  .object({
    name: z.string(),
    arn: z.string(),
    status: z.string(),
    version: z.string().describe('Kubernetes minor version, e.g. "1.31"'),
    platformVersion: z.string(),
    createdAt: z.string().describe('ISO 8601'),
    roleArn: z.string(),
    tags: z.record(z.string(), z.string()),
    endpoint: EndpointAccess,
    vpcId: z.string(),
    subnetIds: strings().describe('Subnets of the EKS-owned control-plane ENIs'),
    securityGroupIds: strings().describe('Additional security groups (up to 5)'),
    clusterSecurityGroupId: z.string().describe('The EKS-created cluster security group ("" if none)'),
    encryptionConfig: z.array(EncryptionConfig),
    enabledLogTypes: strings().describe('Control-plane log types enabled, across all logging entries'),
    authenticationMode: z.string().describe('API, API_AND_CONFIG_MAP or CONFIG_MAP'),
    deletionProtection: z.boolean(),
    serviceIpv4Cidr: z.string(),
    ipFamily: z.string(),
    autoMode: z.boolean().describe('computeConfig.enabled: EKS Auto Mode manages the compute'),
    remoteNodeNetworks: strings().describe('remoteNetworkConfig.remoteNodeNetworks[].cidrs (hybrid nodes); [] without hybrid nodes'),
    remotePodNetworks: strings().describe('remoteNetworkConfig.remotePodNetworks[].cidrs (pods on hybrid nodes)'),
  })
  .meta({ id: 'Cluster', description: 'DescribeCluster, normalised' });

export const DhcpOptions = z
  .object({
    id: z.string().describe('"default" when the VPC has no DHCP option set'),
    domainNameServers: strings(),
    domainName: z.string(),
  })
  .meta({ id: 'DhcpOptions' });

export const Vpc = z
  .object({
    id: z.string(),
    cidrBlock: z.string().describe('Primary IPv4 CIDR'),
    cidrBlocks: strings().describe('All associated IPv4 CIDRs'),
    ipv6CidrBlocks: strings(),
    enableDnsSupport: z.boolean(),
    enableDnsHostnames: z.boolean(),
    dhcpOptions: DhcpOptions,
  })
  .meta({ id: 'Vpc', description: 'The cluster VPC with its DNS attributes and DHCP options' });

export const RouteTargetType = z.enum([
  'local',
  'internet-gateway',
  'egress-only-internet-gateway',
  'nat-gateway',
  'transit-gateway',
  'virtual-private-gateway',
  'vpc-peering',
  'network-interface',
  'instance',
  'vpc-endpoint',
  'other',
  'none',
]);

export const RouteTarget = z
  .object({ type: RouteTargetType, id: z.string() })
  .meta({ id: 'RouteTarget', description: 'Where a route sends traffic; type "none" when there is no such route' });

export const Route = z
  .object({
    destination: z.string().describe('IPv4 or IPv6 CIDR, or a prefix list id'),
    target: RouteTarget,
    state: z.string().describe('active or blackhole'),
  })
  .meta({ id: 'Route' });

export const RouteTable = z
  .object({
    id: z.string(),
    vpcId: z.string(),
    main: z.boolean(),
    routes: z.array(Route),
    defaultRoute: RouteTarget.describe('Target of 0.0.0.0/0'),
    defaultIpv6Route: RouteTarget.describe('Target of ::/0'),
  })
  .meta({ id: 'RouteTable' });

export const Subnet = z
  .object({
    id: z.string(),
    vpcId: z.string(),
    availabilityZone: z.string(),
    availabilityZoneId: z.string(),
    cidrBlock: z.string(),
    ipv6CidrBlocks: strings(),
    availableIpAddressCount: int(),
    mapPublicIpOnLaunch: z.boolean(),
    routeTableId: z.string().describe('Effective route table: the explicit association, else the VPC main table'),
    routeTableAssociation: z.enum(['explicit', 'main', 'none']),
    defaultRoute: RouteTarget.describe("Target of 0.0.0.0/0 in the subnet's effective route table"),
    defaultIpv6Route: RouteTarget.describe("Target of ::/0 in the subnet's effective route table"),
    internetRoute: RouteTarget.describe(
      'The IPv4 default route followed through Gateway Load Balancer (and firewall) endpoints of the same VPC to the NAT or internet gateway behind them; equals defaultRoute when it goes elsewhere, type vpc-endpoint when the endpoint could not be followed',
    ),
    internetRouteVia: strings().describe('The endpoints passed on the way to internetRoute, in order'),
  })
  .meta({ id: 'Subnet' });

export const NatGateway = z
  .object({
    id: z.string(),
    subnetId: z.string(),
    state: z.string(),
    connectivityType: z.string(),
    publicIps: strings(),
  })
  .meta({ id: 'NatGateway' });

export const SecurityGroupRule = z
  .object({
    protocol: z.string().describe('"-1" (all), "tcp", "udp", "icmp", "icmpv6" or a protocol number'),
    fromPort: int().describe('0 when the protocol has no ports'),
    toPort: int().describe('65535 when the protocol has no ports'),
    sourceKind: z.enum(['cidr', 'security-group', 'prefix-list']),
    source: z.string().describe('An IPv4/IPv6 CIDR, a security group id or a prefix list id'),
    description: z.string(),
  })
  .meta({ id: 'SecurityGroupRule', description: 'One source (or destination, for egress) of one permission' });

export const SecurityGroup = z
  .object({
    id: z.string(),
    name: z.string(),
    vpcId: z.string(),
    ingress: z.array(SecurityGroupRule),
    egress: z.array(SecurityGroupRule),
  })
  .meta({ id: 'SecurityGroup' });

export const NetworkAclEntry = z
  .object({
    ruleNumber: int().describe('Evaluated in ascending order, first match wins; 32767 is the final * rule'),
    egress: z.boolean(),
    protocol: z.string().describe('"-1" (all) or a protocol number ("6" TCP, "17" UDP, "1" ICMP, "58" ICMPv6)'),
    action: z.enum(['allow', 'deny']),
    cidr: z.string().describe('IPv4 or IPv6 CIDR (IPv4 entries never match IPv6 traffic and the other way round)'),
    fromPort: int().describe('0 when the entry has no port range'),
    toPort: int().describe('65535 when the entry has no port range'),
  })
  .meta({ id: 'NetworkAclEntry' });

export const NetworkAcl = z
  .object({
    id: z.string(),
    vpcId: z.string(),
    isDefault: z.boolean(),
    subnetIds: strings().describe('Subnets associated with this ACL (every subnet has exactly one)'),
    entries: z.array(NetworkAclEntry).describe('Sorted by direction, then rule number'),
  })
  .meta({ id: 'NetworkAcl', description: 'A network ACL (stateless subnet firewall)' });

export const VpcEndpoint = z
  .object({
    id: z.string(),
    vpcId: z.string(),
    serviceName: z.string().describe('e.g. com.amazonaws.us-east-1.ecr.api'),
    type: z.string().describe('Interface, Gateway or GatewayLoadBalancer'),
    state: z.string().describe('available, pending, ...; lower case'),
    privateDnsEnabled: z.boolean(),
    subnetIds: strings(),
    routeTableIds: strings().describe('Gateway endpoints: the route tables they are associated with'),
    securityGroupIds: strings().describe('Interface endpoints: the security groups of their network interfaces'),
  })
  .meta({ id: 'VpcEndpoint' });

export const PrefixList = z
  .object({
    id: z.string(),
    name: z.string(),
    addressFamily: z.string().describe('IPv4 or IPv6'),
    cidrs: strings().describe('The entries of its current version'),
  })
  .meta({ id: 'PrefixList', description: 'A managed prefix list referenced by a security group rule, with its entries' });

export const Nodegroup = z
  .object({
    name: z.string(),
    status: z.string(),
    subnetIds: strings(),
    nodeRole: z.string(),
    amiType: z.string(),
    capacityType: z.string(),
    instanceTypes: strings(),
    ec2SshKey: z.string().describe('remoteAccess.ec2SshKey ("" when SSH is off)'),
    sshSourceSecurityGroups: strings().describe('remoteAccess.sourceSecurityGroups'),
    remoteAccessSecurityGroupId: z.string(),
    launchTemplateId: z.string(),
    launchTemplateVersion: z.string(),
    securityGroupIds: strings().describe("The nodes' security groups: the launch template's, else the cluster SG"),
    usesClusterSecurityGroup: z.boolean(),
    assignsPublicIp: z.boolean().describe("The launch template's network interface sets AssociatePublicIpAddress: nodes get a public IPv4 address whatever the subnet maps"),
    desiredSize: int(),
  })
  .meta({ id: 'Nodegroup', description: 'A managed node group with its effective network settings' });

export const FargateProfile = z.object({ name: z.string(), status: z.string(), subnetIds: strings(), podExecutionRoleArn: z.string() }).meta({ id: 'FargateProfile' });

export const Node = z
  .object({
    instanceId: z.string(),
    subnetId: z.string(),
    privateIp: z.string(),
    publicIp: z.string().describe('"" when the instance has no public IPv4 address'),
    securityGroupIds: strings(),
    nodegroup: z.string().describe('The managed node group (eks:nodegroup-name tag), "" for self-managed nodes'),
  })
  .meta({ id: 'Node', description: 'A running EC2 instance tagged kubernetes.io/cluster/<name>' });

export const ClusterRole = z
  .object({
    arn: z.string(),
    name: z.string(),
    exists: z.boolean().describe('false when IAM answered NoSuchEntity: the role was deleted'),
    attachedPolicyArns: strings(),
  })
  .meta({ id: 'ClusterRole' });

export const VersionSupport = z
  .object({
    known: z.boolean().describe('false when DescribeClusterVersions did not list the version'),
    status: z.string(),
    endOfStandardSupport: z.string().describe('ISO date, "" when unknown'),
    endOfExtendedSupport: z.string().describe('ISO date, "" when unknown'),
  })
  .meta({ id: 'VersionSupport' });

export const ClusterSnapshot = z
  .object({
    schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
    account: z.string(),
    region: z.string(),
    collectedAt: z.string().describe('ISO 8601'),
    cluster: Cluster,
    vpc: Vpc,
    subnets: z
      .record(z.string(), Subnet)
      .describe('Every subnet the cluster, its node groups, Fargate profiles or nodes use, by id. A referenced id missing here no longer exists.'),
    routeTables: z.record(z.string(), RouteTable).describe('Route tables of those subnets, by id'),
    natGateways: z.record(z.string(), NatGateway).describe('NAT gateways the route tables point at, by id'),
    securityGroups: z.record(z.string(), SecurityGroup).describe('Cluster, additional, node, launch-template and VPC endpoint security groups, by id'),
    networkAcls: z.record(z.string(), NetworkAcl).describe('Network ACLs of the subnets above and of the NAT gateways they route to, by id'),
    vpcEndpoints: z.record(z.string(), VpcEndpoint).describe('Every VPC endpoint of the cluster VPC, by id'),
    prefixLists: z.record(z.string(), PrefixList).describe('Managed prefix lists the security group rules reference, by id. A referenced id missing here no longer exists.'),
    nodegroups: z.array(Nodegroup),
    fargateProfiles: z.array(FargateProfile),
    nodes: z.array(Node),
    clusterRole: ClusterRole,
    versionSupport: VersionSupport,
    errors: z.partialRecord(z.enum(SECTIONS), z.string()).describe('Sections that could not be collected, with the reason; policies reading them yield error'),
  })
  .meta({ id: 'ClusterSnapshot', title: 'eksguard cluster snapshot' });

export type ClusterSnapshot = z.infer<typeof ClusterSnapshot>;
export type Cluster = z.infer<typeof Cluster>;
export type Vpc = z.infer<typeof Vpc>;
export type Subnet = z.infer<typeof Subnet>;
export type RouteTable = z.infer<typeof RouteTable>;
export type RouteTarget = z.infer<typeof RouteTarget>;
export type Route = z.infer<typeof Route>;
export type NatGateway = z.infer<typeof NatGateway>;
export type SecurityGroup = z.infer<typeof SecurityGroup>;
export type SecurityGroupRule = z.infer<typeof SecurityGroupRule>;
export type NetworkAcl = z.infer<typeof NetworkAcl>;
export type NetworkAclEntry = z.infer<typeof NetworkAclEntry>;
export type VpcEndpoint = z.infer<typeof VpcEndpoint>;
export type PrefixList = z.infer<typeof PrefixList>;
export type Nodegroup = z.infer<typeof Nodegroup>;
export type FargateProfile = z.infer<typeof FargateProfile>;
export type Node = z.infer<typeof Node>;
export type ClusterRole = z.infer<typeof ClusterRole>;
export type VersionSupport = z.infer<typeof VersionSupport>;
export type DhcpOptions = z.infer<typeof DhcpOptions>;
