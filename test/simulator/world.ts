/**
 * Declarative description of a simulated AWS account ("world") and its loader.
 *
 * Every object is strict (unknown keys are rejected, so typos surface as errors) and
 * most fields have defaults, so a world file only states what a test cares about.
 * Cross references (a subnet's VPC, a cluster's subnets...) are deliberately NOT
 * enforced: dangling references are how drift scenarios are expressed.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const Tags = z.record(z.string(), z.string()).default({});
const DateString = z.union([z.iso.datetime({ offset: true }), z.iso.date()], {
  error: 'expected a date (YYYY-MM-DD) or an ISO-8601 timestamp',
});
const Ipv4Cidr = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'expected an IPv4 CIDR such as 10.0.0.0/16');
const Ipv6Cidr = z.string().regex(/^[0-9a-fA-F:]+\/\d{1,3}$/, 'expected an IPv6 CIDR such as ::/0');
const Port = z.number().int().min(-1).max(65535);
/** YAML reads 1.30 as the number 1.3, hence the hint. */
const KubernetesVersion = z.string({
  error: (issue) => (issue.input === undefined ? undefined : 'expected a string; quote versions in YAML, e.g. "1.30"'),
});

// ---------------------------------------------------------------- EKS

export const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

const ClusterVersion = z.strictObject({
  version: KubernetesVersion,
  status: z.enum(['STANDARD_SUPPORT', 'EXTENDED_SUPPORT', 'UNSUPPORTED']),
  releaseDate: DateString.optional(),
  endOfStandardSupportDate: DateString.optional(),
  endOfExtendedSupportDate: DateString.optional(),
  defaultVersion: z.boolean().default(false),
  defaultPlatformVersion: z.string().optional(),
  kubernetesPatchVersion: z.string().optional(),
});

const HealthIssue = z.strictObject({
  code: z.string(),
  message: z.string().default(''),
  resourceIds: z.array(z.string()).default([]),
});

const Nodegroup = z.strictObject({
  name: z.string().min(1),
  status: z.enum(['CREATING', 'ACTIVE', 'UPDATING', 'DELETING', 'CREATE_FAILED', 'DELETE_FAILED', 'DEGRADED']).default('ACTIVE'),
  /** Kubernetes version; defaults to the cluster's. */
  version: KubernetesVersion.optional(),
  releaseVersion: z.string().optional(),
  capacityType: z.enum(['ON_DEMAND', 'SPOT', 'CAPACITY_BLOCK']).default('ON_DEMAND'),
  amiType: z.string().default('AL2023_x86_64_STANDARD'),
  instanceTypes: z.array(z.string()).default(['m5.large']),
  subnets: z.array(z.string()).min(1),
  nodeRole: z.string(),
  /** When set, `resources.remoteAccessSecurityGroup` is reported (EKS creates one). */
  remoteAccess: z
    .strictObject({
      ec2SshKey: z.string(),
      sourceSecurityGroups: z.array(z.string()).default([]),
      /** Id reported as `resources.remoteAccessSecurityGroup`; derived when omitted. */
      securityGroupId: z.string().optional(),
    })
    .optional(),
  launchTemplate: z.strictObject({ id: z.string(), version: z.string().default('1') }).optional(),
  scaling: z
    .strictObject({
      min: z.number().int().min(0).default(1),
      max: z.number().int().min(1).default(3),
      desired: z.number().int().min(0).default(2),
    })
    .prefault({}),
  /** Reported only for node groups without a launch template (as EKS does). */
  diskSize: z.number().int().default(20),
  labels: Tags,
  taints: z
    .array(
      z.strictObject({
        key: z.string(),
        value: z.string().optional(),
        effect: z.enum(['NO_SCHEDULE', 'NO_EXECUTE', 'PREFER_NO_SCHEDULE']),
      }),
    )
    .default([]),
  autoScalingGroupName: z.string().optional(),
  healthIssues: z.array(HealthIssue).default([]),
  createdAt: DateString.default('2024-01-01T00:00:00Z'),
  tags: Tags,
});

const FargateProfile = z.strictObject({
  name: z.string().min(1),
  podExecutionRoleArn: z.string(),
  subnets: z.array(z.string()).default([]),
  selectors: z.array(z.strictObject({ namespace: z.string(), labels: Tags })).default([{ namespace: 'default', labels: {} }]),
  status: z.enum(['CREATING', 'ACTIVE', 'DELETING', 'CREATE_FAILED', 'DELETE_FAILED']).default('ACTIVE'),
  createdAt: DateString.default('2024-01-01T00:00:00Z'),
  tags: Tags,
});

const Cluster = z.strictObject({
  name: z.string().min(1),
  version: KubernetesVersion,
  roleArn: z.string(),
  status: z.enum(['CREATING', 'ACTIVE', 'DELETING', 'FAILED', 'UPDATING', 'PENDING']).default('ACTIVE'),
  platformVersion: z.string().default('eks.1'),
  createdAt: DateString.default('2024-01-01T00:00:00Z'),
  endpointPublicAccess: z.boolean().default(true),
  endpointPrivateAccess: z.boolean().default(false),
  publicAccessCidrs: z.array(Ipv4Cidr).default(['0.0.0.0/0']),
  vpcId: z.string(),
  subnetIds: z.array(z.string()).default([]),
  /** Additional security groups (resourcesVpcConfig.securityGroupIds). */
  securityGroupIds: z.array(z.string()).default([]),
  clusterSecurityGroupId: z.string().optional(),
  encryptionConfig: z.array(z.strictObject({ resources: z.array(z.string()).default(['secrets']), keyArn: z.string() })).default([]),
  /** Entries listing enabled types; types not enabled anywhere are reported as disabled. */
  logging: z.array(z.strictObject({ types: z.array(z.enum(LOG_TYPES)), enabled: z.boolean() })).default([]),
  authenticationMode: z.enum(['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API']).default('CONFIG_MAP'),
  deletionProtection: z.boolean().default(false),
  supportType: z.enum(['STANDARD', 'EXTENDED']).default('EXTENDED'),
  serviceIpv4Cidr: Ipv4Cidr.default('172.20.0.0/16'),
  ipFamily: z.enum(['ipv4', 'ipv6']).default('ipv4'),
  /** EKS Auto Mode (computeConfig.enabled). */
  autoMode: z.boolean().default(false),
  /** Hybrid nodes: remoteNetworkConfig.remoteNodeNetworks / remotePodNetworks CIDRs. */
  remoteNodeNetworks: z.array(Ipv4Cidr).default([]),
  remotePodNetworks: z.array(Ipv4Cidr).default([]),
  healthIssues: z.array(HealthIssue).default([]),
  tags: Tags,
  nodegroups: z.array(Nodegroup).default([]),
  fargateProfiles: z.array(FargateProfile).default([]),
});

// ---------------------------------------------------------------- EC2

const Vpc = z.strictObject({
  id: z.string().min(1),
  cidrBlock: Ipv4Cidr,
  /** "default" is what EC2 reports for a VPC without a custom option set. */
  dhcpOptionsId: z.string().default('default'),
  enableDnsSupport: z.boolean().default(true),
  enableDnsHostnames: z.boolean().default(false),
  isDefault: z.boolean().default(false),
  state: z.enum(['pending', 'available']).default('available'),
  tags: Tags,
});

const DhcpOptions = z.strictObject({
  id: z.string().min(1),
  domainName: z.string().optional(),
  domainNameServers: z.array(z.string()).default(['AmazonProvidedDNS']),
  ntpServers: z.array(z.string()).default([]),
  tags: Tags,
});

const Subnet = z.strictObject({
  id: z.string().min(1),
  vpcId: z.string(),
  availabilityZone: z.string(),
  availabilityZoneId: z.string().optional(),
  cidrBlock: Ipv4Cidr,
  /** Defaults to the CIDR size minus the 5 addresses AWS reserves. */
  availableIpAddressCount: z.number().int().min(0).optional(),
  mapPublicIpOnLaunch: z.boolean().default(false),
  defaultForAz: z.boolean().default(false),
  state: z.enum(['pending', 'available']).default('available'),
  tags: Tags,
});

const InternetGateway = z.strictObject({
  id: z.string().min(1),
  /** Attached VPC; omit for a detached gateway. */
  vpcId: z.string().optional(),
  tags: Tags,
});

const NatGateway = z.strictObject({
  id: z.string().min(1),
  vpcId: z.string(),
  subnetId: z.string(),
  state: z.enum(['pending', 'failed', 'available', 'deleting', 'deleted']).default('available'),
  connectivityType: z.enum(['public', 'private']).default('public'),
  publicIps: z.array(z.string()).default([]),
  privateIps: z.array(z.string()).default([]),
  createdAt: DateString.default('2024-01-01T00:00:00Z'),
  tags: Tags,
});

export const ROUTE_TARGETS = [
  'gatewayId',
  'natGatewayId',
  'transitGatewayId',
  'vpcPeeringConnectionId',
  'networkInterfaceId',
  'instanceId',
  'egressOnlyInternetGatewayId',
] as const;

const Route = z
  .strictObject({
    /** IPv4 CIDR, IPv6 CIDR or prefix-list id (pl-...). */
    destination: z.union([Ipv4Cidr, Ipv6Cidr, z.string().regex(/^pl-/)], {
      error: 'expected an IPv4/IPv6 CIDR or a prefix list id (pl-...)',
    }),
    gatewayId: z.string().optional(),
    natGatewayId: z.string().optional(),
    transitGatewayId: z.string().optional(),
    vpcPeeringConnectionId: z.string().optional(),
    networkInterfaceId: z.string().optional(),
    instanceId: z.string().optional(),
    egressOnlyInternetGatewayId: z.string().optional(),
    state: z.enum(['active', 'blackhole']).default('active'),
  })
  .refine((r) => ROUTE_TARGETS.filter((t) => r[t] !== undefined).length === 1, {
    error: `a route needs exactly one target (${ROUTE_TARGETS.join(', ')})`,
  });

const RouteTable = z.strictObject({
  id: z.string().min(1),
  vpcId: z.string(),
  main: z.boolean().default(false),
  subnetIds: z.array(z.string()).default([]),
  /** The local route for the VPC CIDR is added automatically. */
  routes: z.array(Route).default([]),
  tags: Tags,
});

const SecurityGroupRule = z.strictObject({
  /** "-1" (all), tcp, udp, icmp, icmpv6 or a protocol number. Quote "-1" in YAML. */
  protocol: z.union([z.string(), z.number().int()]).transform(String),
  /** Default to the whole range (0-65535, or -1 for ICMP); ignored for protocol -1. */
  fromPort: Port.optional(),
  toPort: Port.optional(),
  cidrs: z.array(Ipv4Cidr).default([]),
  ipv6Cidrs: z.array(Ipv6Cidr).default([]),
  /** Referenced security groups (sources for ingress, destinations for egress). */
  fromSecurityGroups: z.array(z.string()).default([]),
  prefixListIds: z.array(z.string()).default([]),
  description: z.string().optional(),
});

const SecurityGroup = z.strictObject({
  id: z.string().min(1),
  name: z.string(),
  /** Defaults to the name. */
  description: z.string().optional(),
  vpcId: z.string(),
  ingress: z.array(SecurityGroupRule).default([]),
  /** Defaults to EC2's allow-all egress rule; use [] for none. */
  egress: z.array(SecurityGroupRule).default([{ protocol: '-1', cidrs: ['0.0.0.0/0'], ipv6Cidrs: [], fromSecurityGroups: [], prefixListIds: [] }]),
  tags: Tags,
});

const NetworkAclEntry = z
  .strictObject({
    /** 1..32766; the final * rule (32767, deny) is added for every ACL. */
    ruleNumber: z.number().int().min(1).max(32766),
    egress: z.boolean().default(false),
    /** "-1" (all), tcp, udp, icmp or a protocol number. */
    protocol: z.union([z.string(), z.number().int()]).transform(String).default('-1'),
    action: z.enum(['allow', 'deny']),
    cidr: Ipv4Cidr.optional(),
    ipv6Cidr: Ipv6Cidr.optional(),
    /** TCP/UDP only; default the whole range. */
    fromPort: Port.optional(),
    toPort: Port.optional(),
  })
  .refine((e) => (e.cidr === undefined) !== (e.ipv6Cidr === undefined), { error: 'an entry needs exactly one of cidr, ipv6Cidr' });

/**
 * A VPC without a default ACL gets EC2's default one (allow all in and out); subnets not
 * associated with another ACL of their VPC belong to its default ACL.
 */
const NetworkAcl = z.strictObject({
  id: z.string().min(1),
  vpcId: z.string(),
  isDefault: z.boolean().default(false),
  subnetIds: z.array(z.string()).default([]),
  entries: z.array(NetworkAclEntry).default([]),
  tags: Tags,
});

const VpcEndpoint = z.strictObject({
  id: z.string().min(1),
  vpcId: z.string(),
  /** e.g. com.amazonaws.us-east-1.ecr.api */
  serviceName: z.string(),
  type: z.enum(['Interface', 'Gateway', 'GatewayLoadBalancer']).default('Interface'),
  state: z.enum(['pendingAcceptance', 'pending', 'available', 'deleting', 'deleted', 'rejected', 'failed']).default('available'),
  /** Defaults to true for interface endpoints. */
  privateDnsEnabled: z.boolean().optional(),
  subnetIds: z.array(z.string()).default([]),
  routeTableIds: z.array(z.string()).default([]),
  securityGroupIds: z.array(z.string()).default([]),
  tags: Tags,
});

const ManagedPrefixList = z.strictObject({
  id: z.string().regex(/^pl-/, 'a prefix list id starts with pl-'),
  name: z.string(),
  addressFamily: z.enum(['IPv4', 'IPv6']).default('IPv4'),
  cidrs: z.array(z.string()).default([]),
  /** "AWS" for AWS-managed lists; defaults to the world's account. */
  ownerId: z.string().optional(),
  maxEntries: z.number().int().min(1).optional(),
  tags: Tags,
});

const MetadataOptions = z.strictObject({
  httpTokens: z.enum(['optional', 'required']).default('required'),
  httpPutResponseHopLimit: z.number().int().min(1).max(64).default(2),
  httpEndpoint: z.enum(['enabled', 'disabled']).default('enabled'),
});

/** Only the fields that were set on a launch template version are reported. */
const LaunchTemplateData = z.strictObject({
  securityGroupIds: z.array(z.string()).optional(),
  imageId: z.string().optional(),
  instanceType: z.string().optional(),
  keyName: z.string().optional(),
  userData: z.string().optional(),
  iamInstanceProfile: z.strictObject({ arn: z.string().optional(), name: z.string().optional() }).optional(),
  metadataOptions: MetadataOptions.optional(),
  networkInterfaces: z
    .array(
      z.strictObject({
        deviceIndex: z.number().int().min(0).default(0),
        associatePublicIpAddress: z.boolean().optional(),
        subnetId: z.string().optional(),
        groups: z.array(z.string()).default([]),
      }),
    )
    .optional(),
});

const LaunchTemplate = z
  .strictObject({
    id: z.string().min(1),
    name: z.string(),
    versions: z.record(z.string().regex(/^[1-9]\d*$/, 'version keys must be "1", "2", ...'), LaunchTemplateData),
    /** Defaults to "1" (or the lowest version). */
    defaultVersion: z.string().optional(),
    /** Defaults to the highest version. */
    latestVersion: z.string().optional(),
    createdAt: DateString.default('2024-01-01T00:00:00Z'),
    tags: Tags,
  })
  .superRefine((lt, ctx) => {
    for (const key of ['defaultVersion', 'latestVersion'] as const) {
      const v = lt[key];
      if (v !== undefined && !(v in lt.versions)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `version "${v}" is not in versions` });
      }
    }
    if (Object.keys(lt.versions).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['versions'], message: 'a launch template needs at least one version' });
    }
  });

export const INSTANCE_STATES = ['pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped'] as const;

const Instance = z.strictObject({
  id: z.string().min(1),
  subnetId: z.string(),
  /** Defaults to the subnet's VPC. */
  vpcId: z.string().optional(),
  state: z.enum(INSTANCE_STATES).default('running'),
  instanceType: z.string().default('m5.large'),
  imageId: z.string().default('ami-0123456789abcdef0'),
  privateIp: z.string().optional(),
  publicIp: z.string().optional(),
  securityGroupIds: z.array(z.string()).default([]),
  keyName: z.string().optional(),
  iamInstanceProfileArn: z.string().optional(),
  metadataOptions: MetadataOptions.prefault({}),
  /** Instances sharing a reservation id are reported in one reservation. */
  reservationId: z.string().optional(),
  launchTime: DateString.default('2024-01-01T00:00:00Z'),
  tags: Tags,
});

// ---------------------------------------------------------------- region, IAM, faults

type Identified = { id: string } | { name: string };
const keyOf = (x: Identified) => ('id' in x ? x.id : x.name);

/** Reports duplicate ids/names inside each listed collection. */
function checkUnique(collections: Record<string, readonly Identified[]>, ctx: z.RefinementCtx, pathPrefix: (string | number)[] = []) {
  for (const [field, items] of Object.entries(collections)) {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      const key = keyOf(item);
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', path: [...pathPrefix, field, i], message: `duplicate "${key}"` });
      }
      seen.add(key);
    });
  }
}

export const RegionSchema = z
  .strictObject({
    clusterVersions: z.array(ClusterVersion).default([]),
    vpcs: z.array(Vpc).default([]),
    dhcpOptions: z.array(DhcpOptions).default([]),
    subnets: z.array(Subnet).default([]),
    internetGateways: z.array(InternetGateway).default([]),
    natGateways: z.array(NatGateway).default([]),
    routeTables: z.array(RouteTable).default([]),
    securityGroups: z.array(SecurityGroup).default([]),
    networkAcls: z.array(NetworkAcl).default([]),
    vpcEndpoints: z.array(VpcEndpoint).default([]),
    managedPrefixLists: z.array(ManagedPrefixList).default([]),
    launchTemplates: z.array(LaunchTemplate).default([]),
    instances: z.array(Instance).default([]),
    clusters: z.array(Cluster).default([]),
  })
  .superRefine((r, ctx) => {
    const { clusterVersions, clusters, ...ec2 } = r;
    checkUnique({ ...ec2, clusters }, ctx);
    const versions = new Set<string>();
    clusterVersions.forEach((v, i) => {
      if (versions.has(v.version)) {
        ctx.addIssue({ code: 'custom', path: ['clusterVersions', i], message: `duplicate "${v.version}"` });
      }
      versions.add(v.version);
    });
    clusters.forEach((c, i) => {
      checkUnique({ nodegroups: c.nodegroups, fargateProfiles: c.fargateProfiles }, ctx, ['clusters', i]);
    });
  });

const Role = z.strictObject({
  name: z.string().min(1),
  path: z
    .string()
    .regex(/^\/(.*\/)?$/, 'a path starts and ends with "/"')
    .default('/'),
  /** Derived from the name when omitted. */
  roleId: z.string().optional(),
  description: z.string().optional(),
  /** JSON document (object or string); defaults to a trust policy for eks.amazonaws.com. */
  assumeRolePolicyDocument: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  maxSessionDuration: z.number().int().default(3600),
  attachedPolicies: z.array(z.string().startsWith('arn:', 'expected a policy ARN')).default([]),
  createDate: DateString.default('2024-01-01T00:00:00Z'),
  tags: Tags,
});

const Latency = z.union([z.number().min(0), z.strictObject({ min: z.number().min(0), max: z.number().min(0) }).refine((l) => l.max >= l.min, { error: 'max must be >= min' })]);

export const SERVICES = ['eks', 'ec2', 'iam', 'sts', 'sns', 'config', 'securityhub'] as const;

const FaultRule = z.strictObject({
  service: z.enum(SERVICES),
  /** Any operation when omitted. */
  operation: z.string().optional(),
  region: z.string().optional(),
  /** Request parameters that must all match (query/form/JSON parameters, EKS path labels). */
  match: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /**
   * AccessDenied | Throttling | InternalError | ServiceUnavailable (mapped to the
   * service's real error), or any literal error code (answered with `status`).
   */
  error: z.string().min(1),
  status: z.number().int().min(400).max(599).optional(),
  message: z.string().optional(),
  /** Only the first N matching calls fail. */
  times: z.number().int().min(1).optional(),
});

export const FaultsSchema = z.strictObject({
  seed: z.number().int().default(1),
  throttleRate: z.number().min(0).max(1).default(0),
  serverErrorRate: z.number().min(0).max(1).default(0),
  latencyMs: Latency.default(0),
  rules: z.array(FaultRule).default([]),
});

export const WorldSchema = z.strictObject({
  account: z
    .string({ error: (issue) => (issue.input === undefined ? undefined : 'expected a string; quote the account id in YAML') })
    .regex(/^\d{12}$/, 'expected a 12-digit account id'),
  /** Who GetCallerIdentity says we are; derived from the account when omitted. */
  callerIdentity: z.strictObject({ arn: z.string().optional(), userId: z.string().optional() }).prefault({}),
  iam: z
    .strictObject({ roles: z.array(Role).default([]) })
    .prefault({})
    .superRefine((iam, ctx) => checkUnique({ roles: iam.roles }, ctx)),
  regions: z.record(z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/, 'expected a region name such as us-east-1'), RegionSchema).default({}),
  faults: FaultsSchema.optional(),
});

export type World = z.output<typeof WorldSchema>;
export type WorldInput = z.input<typeof WorldSchema>;
export type Region = z.output<typeof RegionSchema>;
export type Faults = z.output<typeof FaultsSchema>;
export type FaultsInput = z.input<typeof FaultsSchema>;
export type FaultRule = Faults['rules'][number];
export type ServiceName = (typeof SERVICES)[number];
export type Cluster = Region['clusters'][number];
export type Nodegroup = Cluster['nodegroups'][number];
export type FargateProfile = Cluster['fargateProfiles'][number];
export type ClusterVersion = Region['clusterVersions'][number];
export type Vpc = Region['vpcs'][number];
export type Subnet = Region['subnets'][number];
export type DhcpOptions = Region['dhcpOptions'][number];
export type RouteTable = Region['routeTables'][number];
export type NatGateway = Region['natGateways'][number];
export type InternetGateway = Region['internetGateways'][number];
export type SecurityGroup = Region['securityGroups'][number];
export type SecurityGroupRule = SecurityGroup['ingress'][number];
export type NetworkAcl = Region['networkAcls'][number];
export type NetworkAclEntry = NetworkAcl['entries'][number];
export type VpcEndpoint = Region['vpcEndpoints'][number];
export type ManagedPrefixList = Region['managedPrefixLists'][number];
export type LaunchTemplate = Region['launchTemplates'][number];
export type LaunchTemplateData = LaunchTemplate['versions'][string];
export type Instance = Region['instances'][number];
export type Role = World['iam']['roles'][number];

/** A region the world does not mention: exists, but holds nothing. */
export const EMPTY_REGION: Region = RegionSchema.parse({});

export class WorldError extends Error {
  override name = 'WorldError';
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  }
  return out || '(root)';
}

function validate<T extends z.ZodType>(schema: T, input: unknown, source: string): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  - ${formatPath(i.path)}: ${i.message}`);
  throw new WorldError(`Invalid ${source}:\n${lines.join('\n')}`);
}

/** Validates an in-memory world, filling defaults. `source` names it in error messages. */
export function parseWorld(input: unknown, source = 'world'): World {
  return validate(WorldSchema, input, source);
}

export function parseFaults(input: unknown, source = 'faults'): Faults {
  return validate(FaultsSchema, input, source);
}

/** Loads a world from a YAML or JSON file (chosen by extension; YAML otherwise). */
export async function loadWorld(file: string): Promise<World> {
  const text = await readFile(file, 'utf8');
  let data: unknown;
  try {
    data = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new WorldError(`Cannot parse world file ${file}: ${(e as Error).message}`);
  }
  return parseWorld(data, `world file ${file}`);
}
