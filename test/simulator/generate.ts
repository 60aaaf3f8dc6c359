/**
 * Programmatic worlds for scale and pagination tests. Every generated cluster is "clean":
 * private endpoint only, secrets encrypted, all control-plane logs on, API authentication,
 * deletion protection, a supported version, no SSH, IMDSv2-only launch templates,
 * private subnets behind a NAT gateway and no security group open to the internet.
 * Tests introduce violations by mutating the returned world (or the simulator's).
 */
import { LOG_TYPES, parseWorld, type World, type WorldInput } from './world.js';

export interface GenerateOptions {
  /** Number of clusters (default 250), spread round-robin over the regions. */
  clusters?: number;
  account?: string;
  /** Default ['us-east-1']. */
  regions?: string[];
  /** Clusters sharing one VPC (default 50). */
  clustersPerVpc?: number;
  /** Private subnets per VPC, one per availability zone (default 3, clamped to 1..6). */
  privateSubnetsPerVpc?: number;
  /** Default 1. */
  nodegroupsPerCluster?: number;
  /** Default 0. */
  fargateProfilesPerCluster?: number;
  /** EC2 instances per node group, tagged kubernetes.io/cluster/<name>=owned (default 0). */
  instancesPerNodegroup?: number;
  /** Reference time for the version support dates (default: now). */
  now?: Date;
}

type RegionInput = NonNullable<WorldInput['regions']>[string];
type Items<K extends keyof RegionInput> = NonNullable<RegionInput[K]>;

/** The version every generated cluster runs. */
export const GENERATED_CLUSTER_VERSION = '1.33';

const pad = (n: number) => String(n).padStart(4, '0');

function versionCatalogue(now: Date): Items<'clusterVersions'> {
  const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  const version = (version: string, status: 'STANDARD_SUPPORT' | 'EXTENDED_SUPPORT' | 'UNSUPPORTED', released: number) => ({
    version,
    status,
    releaseDate: day(released),
    endOfStandardSupportDate: day(released + 425),
    endOfExtendedSupportDate: day(released + 790),
  });
  return [
    { ...version(GENERATED_CLUSTER_VERSION, 'STANDARD_SUPPORT', -60), defaultVersion: true },
    version('1.32', 'STANDARD_SUPPORT', -180),
    version('1.31', 'EXTENDED_SUPPORT', -500),
    version('1.30', 'UNSUPPORTED', -800),
  ];
}

/** A VPC with private subnets (routed through a NAT gateway) and one public subnet. */
function network(id: string, octet: number, azs: string[], dhcpOptionsId: string) {
  const vpcId = `vpc-${id}`;
  const privateSubnets = azs.map((az, k) => ({
    id: `subnet-${id}-${k}`,
    vpcId,
    availabilityZone: az,
    cidrBlock: `10.${octet}.${k * 16}.0/20`,
    tags: { 'kubernetes.io/role/internal-elb': '1' },
  }));
  const publicSubnet = {
    id: `subnet-${id}-public`,
    vpcId,
    availabilityZone: azs[0] ?? '',
    cidrBlock: `10.${octet}.200.0/24`,
    tags: { 'kubernetes.io/role/elb': '1' },
  };
  return {
    vpcId,
    privateSubnetIds: privateSubnets.map((s) => s.id),
    vpc: { id: vpcId, cidrBlock: `10.${octet}.0.0/16`, dhcpOptionsId, enableDnsHostnames: true },
    subnets: [...privateSubnets, publicSubnet],
    internetGateway: { id: `igw-${id}`, vpcId },
    natGateway: { id: `nat-${id}`, vpcId, subnetId: publicSubnet.id, publicIps: [`203.0.113.${octet}`] },
    routeTables: [
      {
        id: `rtb-${id}-private`,
        vpcId,
        main: true,
        subnetIds: privateSubnets.map((s) => s.id),
        routes: [{ destination: '0.0.0.0/0', natGatewayId: `nat-${id}` }],
      },
      {
        id: `rtb-${id}-public`,
        vpcId,
        subnetIds: [publicSubnet.id],
        routes: [{ destination: '0.0.0.0/0', gatewayId: `igw-${id}` }],
      },
    ],
  };
}

const trustPolicy = (service: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
});

function iamRoles(): NonNullable<NonNullable<WorldInput['iam']>['roles']> {
  const managed = (name: string) => `arn:aws:iam::aws:policy/${name}`;
  return [
    { name: 'eks-cluster-role', attachedPolicies: [managed('AmazonEKSClusterPolicy')] },
    {
      name: 'eks-node-role',
      assumeRolePolicyDocument: trustPolicy('ec2.amazonaws.com'),
      attachedPolicies: [managed('AmazonEKSWorkerNodePolicy'), managed('AmazonEC2ContainerRegistryReadOnly'), managed('AmazonEKS_CNI_Policy')],
    },
    {
      name: 'eks-pod-execution-role',
      assumeRolePolicyDocument: trustPolicy('eks-fargate-pods.amazonaws.com'),
      attachedPolicies: [managed('AmazonEKSFargatePodExecutionRolePolicy')],
    },
  ];
}

export function generateWorld(opts: GenerateOptions = {}): World {
  const account = opts.account ?? '111122223333';
  const regionNames = opts.regions ?? ['us-east-1'];
  const clusterCount = opts.clusters ?? 250;
  const perVpc = opts.clustersPerVpc ?? 50;
  const subnetsPerVpc = Math.min(Math.max(opts.privateSubnetsPerVpc ?? 3, 1), 6);
  const roleArn = (name: string) => `arn:aws:iam::${account}:role/${name}`;

  const regions: Record<string, RegionInput> = {};
  regionNames.forEach((regionName, r) => {
    const azs = [...'abcdef'.slice(0, subnetsPerVpc)].map((zone) => `${regionName}${zone}`);
    const dhcpOptionsId = `dopt-${r}`;
    const region = {
      clusterVersions: versionCatalogue(opts.now ?? new Date()),
      dhcpOptions: [{ id: dhcpOptionsId, domainName: `${regionName}.compute.internal` }],
      vpcs: [] as Items<'vpcs'>,
      subnets: [] as Items<'subnets'>,
      internetGateways: [] as Items<'internetGateways'>,
      natGateways: [] as Items<'natGateways'>,
      routeTables: [] as Items<'routeTables'>,
      securityGroups: [] as Items<'securityGroups'>,
      // The corporate network's ranges, admitted to every cluster on 443 (kubectl from the office).
      managedPrefixLists: [{ id: `pl-${r}corp`, name: 'corp-networks', cidrs: ['10.100.0.0/16', '192.168.0.0/16'] }] as Items<'managedPrefixLists'>,
      launchTemplates: [] as Items<'launchTemplates'>,
      instances: [] as Items<'instances'>,
      clusters: [] as Items<'clusters'>,
    };
    regions[regionName] = region;

    const indexes = Array.from({ length: clusterCount }, (_, i) => i).filter((i) => i % regionNames.length === r);
    for (let v = 0; v * perVpc < indexes.length; v++) {
      const net = network(`${r}${pad(v)}`, v % 250, azs, dhcpOptionsId);
      region.vpcs.push(net.vpc);
      region.subnets.push(...net.subnets);
      region.internetGateways.push(net.internetGateway);
      region.natGateways.push(net.natGateway);
      region.routeTables.push(...net.routeTables);
      for (const i of indexes.slice(v * perVpc, (v + 1) * perVpc)) addCluster(i, net);
    }

    function addCluster(i: number, { vpcId, privateSubnetIds }: ReturnType<typeof network>) {
      const name = `cluster-${pad(i)}`;
      const clusterSg = `sg-${name}`;
      const ownedTag = { [`kubernetes.io/cluster/${name}`]: 'owned' };
      region.securityGroups.push({
        id: clusterSg,
        name: `eks-cluster-sg-${name}`,
        vpcId,
        ingress: [
          { protocol: '-1', fromSecurityGroups: [clusterSg] },
          { protocol: 'tcp', fromPort: 443, toPort: 443, prefixListIds: [`pl-${r}corp`] },
        ],
        tags: ownedTag,
      });
      region.launchTemplates.push({
        id: `lt-${name}`,
        name: `${name}-nodes`,
        versions: {
          '1': { securityGroupIds: [clusterSg], metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 } },
        },
      });
      const nodegroups = Array.from({ length: opts.nodegroupsPerCluster ?? 1 }, (_, g) => ({
        name: `${name}-ng-${g}`,
        subnets: privateSubnetIds,
        nodeRole: roleArn('eks-node-role'),
        launchTemplate: { id: `lt-${name}`, version: '1' },
      }));
      for (const ng of nodegroups) {
        for (let k = 0; k < (opts.instancesPerNodegroup ?? 0); k++) {
          region.instances.push({
            id: `i-${ng.name}-${k}`,
            subnetId: privateSubnetIds[k % privateSubnetIds.length] ?? '',
            vpcId,
            securityGroupIds: [clusterSg],
            tags: { ...ownedTag, 'eks:nodegroup-name': ng.name },
          });
        }
      }
      region.clusters.push({
        name,
        version: GENERATED_CLUSTER_VERSION,
        roleArn: roleArn('eks-cluster-role'),
        endpointPublicAccess: false,
        endpointPrivateAccess: true,
        vpcId,
        subnetIds: privateSubnetIds,
        clusterSecurityGroupId: clusterSg,
        encryptionConfig: [{ keyArn: `arn:aws:kms:${regionName}:${account}:key/${name}` }],
        logging: [{ types: [...LOG_TYPES], enabled: true }],
        authenticationMode: 'API',
        deletionProtection: true,
        tags: { owner: 'platform' },
        nodegroups,
        fargateProfiles: Array.from({ length: opts.fargateProfilesPerCluster ?? 0 }, (_, f) => ({
          name: `${name}-fp-${f}`,
          subnets: privateSubnetIds,
          podExecutionRoleArn: roleArn('eks-pod-execution-role'),
        })),
      });
    }
  });

  return parseWorld({ account, iam: { roles: iamRoles() }, regions }, 'generated world');
}
