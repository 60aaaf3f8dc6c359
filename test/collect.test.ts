import {
  DescribeDhcpOptionsCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeManagedPrefixListsCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
  GetManagedPrefixListEntriesCommand,
  type Subnet,
} from '@aws-sdk/client-ec2';
import {
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeFargateProfileCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListClustersCommand,
  ListFargateProfilesCommand,
  ListNodegroupsCommand,
  ResourceNotFoundException,
  type Cluster,
} from '@aws-sdk/client-eks';
import { IAMClient, ListAttachedRolePoliciesCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { collectRegion } from '../functions/collect/collect-region.js';
import type { ClusterSnapshot } from '../functions/core/snapshot/schema.js';
import { ClusterSnapshot as SnapshotSchema } from '../functions/core/snapshot/schema.js';

const eks = new EKSClient({ region: 'us-east-1' });
const ec2 = new EC2Client({ region: 'us-east-1' });
const iam = new IAMClient({ region: 'us-east-1' });
const eksMock = mockClient(eks);
const ec2Mock = mockClient(ec2);
const iamMock = mockClient(iam);
const clients = { region: 'us-east-1', eks, ec2, iam };
const now = new Date('2026-11-25T08:00:00Z');

function cluster(name: string, subnetIds = ['subnet-a', 'subnet-b']): Cluster {
  return {
    name,
    arn: `arn:aws:eks:us-east-1:111122223333:cluster/${name}`,
    version: '1.33',
    status: 'ACTIVE',
    roleArn: 'arn:aws:iam::111122223333:role/eks-cluster-role',
    createdAt: new Date('2025-01-01T00:00:00Z'),
    resourcesVpcConfig: {
      vpcId: 'vpc-1',
      subnetIds,
      securityGroupIds: [],
      clusterSecurityGroupId: 'sg-cluster',
      endpointPublicAccess: false,
      endpointPrivateAccess: true,
      publicAccessCidrs: [],
    },
    logging: {
      clusterLogging: [
        { types: ['api'], enabled: true },
        { types: ['audit'], enabled: true },
        { types: ['scheduler'], enabled: false },
      ],
    },
  };
}

function subnet(id: string, az: string): Subnet {
  return { SubnetId: id, VpcId: 'vpc-1', AvailabilityZone: az, CidrBlock: '10.0.1.0/24', AvailableIpAddressCount: 200, MapPublicIpOnLaunch: false };
}

function mockHealthyNetwork() {
  ec2Mock.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16', DhcpOptionsId: 'dopt-1' }] });
  ec2Mock.on(DescribeVpcAttributeCommand, { Attribute: 'enableDnsSupport' }).resolves({ EnableDnsSupport: { Value: true } });
  ec2Mock.on(DescribeVpcAttributeCommand, { Attribute: 'enableDnsHostnames' }).resolves({ EnableDnsHostnames: { Value: false } });
  ec2Mock.on(DescribeDhcpOptionsCommand).resolves({
    DhcpOptions: [{ DhcpOptionsId: 'dopt-1', DhcpConfigurations: [{ Key: 'domain-name-servers', Values: [{ Value: '10.9.9.9' }, { Value: 'AmazonProvidedDNS' }] }] }],
  });
  ec2Mock.on(DescribeSubnetsCommand).resolves({ Subnets: [subnet('subnet-a', 'us-east-1a'), subnet('subnet-b', 'us-east-1b')] });
  ec2Mock.on(DescribeRouteTablesCommand).resolves({
    RouteTables: [
      { RouteTableId: 'rtb-main', VpcId: 'vpc-1', Associations: [{ Main: true }], Routes: [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1', State: 'active' }] },
      {
        RouteTableId: 'rtb-pub',
        VpcId: 'vpc-1',
        Associations: [{ SubnetId: 'subnet-a', Main: false }],
        Routes: [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', State: 'active' }],
      },
    ],
  });
  ec2Mock
    .on(DescribeNatGatewaysCommand)
    .resolves({ NatGateways: [{ NatGatewayId: 'nat-1', VpcId: 'vpc-1', State: 'available', NatGatewayAddresses: [{ PublicIp: '203.0.113.10' }] }] });
  ec2Mock.on(DescribeSecurityGroupsCommand).resolves({
    SecurityGroups: [
      {
        GroupId: 'sg-cluster',
        GroupName: 'eks-cluster-sg',
        VpcId: 'vpc-1',
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }], UserIdGroupPairs: [{ GroupId: 'sg-cluster' }] }],
        IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      },
    ],
  });
  ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [] });
  ec2Mock.on(DescribeNetworkAclsCommand).resolves({
    NetworkAcls: [
      {
        NetworkAclId: 'acl-1',
        VpcId: 'vpc-1',
        IsDefault: true,
        Associations: [{ SubnetId: 'subnet-a' }, { SubnetId: 'subnet-b' }, { SubnetId: 'subnet-other' }],
        Entries: [
          { RuleNumber: 32767, Egress: false, Protocol: '-1', RuleAction: 'deny', CidrBlock: '0.0.0.0/0' },
          { RuleNumber: 100, Egress: false, Protocol: '6', RuleAction: 'allow', CidrBlock: '10.0.0.0/16', PortRange: { From: 443, To: 443 } },
          { RuleNumber: 100, Egress: true, Protocol: '-1', RuleAction: 'allow', CidrBlock: '0.0.0.0/0' },
        ],
      },
      { NetworkAclId: 'acl-unused', VpcId: 'vpc-1', IsDefault: false, Associations: [{ SubnetId: 'subnet-other-2' }], Entries: [] },
    ],
  });
  ec2Mock.on(DescribeVpcEndpointsCommand).resolves({
    VpcEndpoints: [
      {
        VpcEndpointId: 'vpce-ecr',
        VpcId: 'vpc-1',
        ServiceName: 'com.amazonaws.us-east-1.ecr.api',
        VpcEndpointType: 'Interface',
        State: 'Available',
        PrivateDnsEnabled: true,
        SubnetIds: ['subnet-a'],
        Groups: [{ GroupId: 'sg-endpoints' }],
      },
    ],
  });
  ec2Mock.on(DescribeManagedPrefixListsCommand).resolves({ PrefixLists: [] });
  ec2Mock.on(GetManagedPrefixListEntriesCommand).resolves({ Entries: [] });
  ec2Mock.on(DescribeLaunchTemplateVersionsCommand).resolves({ LaunchTemplateVersions: [] });
  iamMock.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' }] });
  eksMock.on(DescribeClusterVersionsCommand).resolves({
    clusterVersions: [{ clusterVersion: '1.33', versionStatus: 'STANDARD_SUPPORT', endOfStandardSupportDate: new Date('2026-07-29T00:00:00Z') }],
  });
  eksMock.on(ListNodegroupsCommand).resolves({ nodegroups: [] });
  eksMock.on(ListFargateProfilesCommand).resolves({ fargateProfileNames: [] });
}

function snapshots(targets: Awaited<ReturnType<typeof collectRegion>>['targets']): ClusterSnapshot[] {
  return targets.flatMap((t) => (t.kind === 'snapshot' ? [t.snapshot] : []));
}

beforeEach(() => {
  eksMock.reset();
  ec2Mock.reset();
  iamMock.reset();
  mockHealthyNetwork();
});

describe('collectRegion', () => {
  it('follows every ListClusters page and normalises a valid snapshot', async () => {
    const pages: Record<string, { clusters: string[]; nextToken?: string }> = {
      start: { clusters: ['a', 'b'], nextToken: 't1' },
      t1: { clusters: ['c'], nextToken: 't2' },
      t2: { clusters: ['d'] },
    };
    const tokensSent: (string | undefined)[] = [];
    eksMock.on(ListClustersCommand).callsFake((input) => {
      tokensSent.push(input.nextToken);
      return pages[input.nextToken ?? 'start'];
    });
    eksMock.on(DescribeClusterCommand).callsFake(({ name }) => ({ cluster: cluster(name) }));

    const result = await collectRegion(clients, { account: '111122223333', now });

    expect(tokensSent).toEqual([undefined, 't1', 't2']);
    const collected = snapshots(result.targets);
    expect(collected.map((s) => s.cluster.name).sort()).toEqual(['a', 'b', 'c', 'd']);
    const snap = collected[0]!;
    expect(SnapshotSchema.safeParse(snap).success).toBe(true);
    expect(snap.errors).toEqual({});
    expect(snap.cluster.enabledLogTypes).toEqual(['api', 'audit']);
    expect(snap.vpc).toMatchObject({ enableDnsSupport: true, enableDnsHostnames: false, dhcpOptions: { id: 'dopt-1', domainNameServers: ['10.9.9.9', 'AmazonProvidedDNS'] } });
    // subnet-a is explicitly associated with the public table, subnet-b falls back to the main table.
    expect(snap.subnets['subnet-a']).toMatchObject({ routeTableId: 'rtb-pub', routeTableAssociation: 'explicit', defaultRoute: { type: 'internet-gateway', id: 'igw-1' } });
    expect(snap.subnets['subnet-b']).toMatchObject({ routeTableId: 'rtb-main', routeTableAssociation: 'main', defaultRoute: { type: 'nat-gateway', id: 'nat-1' } });
    expect(snap.natGateways['nat-1']?.publicIps).toEqual(['203.0.113.10']);
    expect(snap.securityGroups['sg-cluster']?.ingress).toEqual([
      { protocol: 'tcp', fromPort: 443, toPort: 443, sourceKind: 'cidr', source: '0.0.0.0/0', description: '' },
      { protocol: 'tcp', fromPort: 443, toPort: 443, sourceKind: 'security-group', source: 'sg-cluster', description: '' },
    ]);
    expect(snap.clusterRole.attachedPolicyArns).toEqual(['arn:aws:iam::aws:policy/AmazonEKSClusterPolicy']);
    expect(snap.versionSupport).toMatchObject({ known: true, endOfStandardSupport: '2026-07-29' });
  });

  it('batches EC2 look-ups across clusters: de-duplicated ids, at most 200 filter values per call', async () => {
    const names = Array.from({ length: 150 }, (_, i) => `c${i}`);
    eksMock.on(ListClustersCommand).resolves({ clusters: names });
    // Every cluster shares subnet-shared and has two of its own: 301 distinct ids.
    eksMock.on(DescribeClusterCommand).callsFake(({ name }) => ({ cluster: cluster(name, ['subnet-shared', `subnet-${name}-1`, `subnet-${name}-2`]) }));

    await collectRegion(clients, { account: '111122223333', now });

    const subnetCalls = ec2Mock.commandCalls(DescribeSubnetsCommand).map((c) => c.args[0].input);
    const values = subnetCalls.flatMap((input) => input.Filters?.find((f) => f.Name === 'subnet-id')?.Values ?? []);
    expect(subnetCalls.length).toBe(2);
    expect(subnetCalls.every((input) => (input.Filters?.[0]?.Values?.length ?? 0) <= 200)).toBe(true);
    expect(subnetCalls.every((input) => input.SubnetIds === undefined)).toBe(true);
    expect(values.length).toBe(301);
    expect(new Set(values).size).toBe(301);
    // One VPC: its attributes, route tables and NAT gateways are read once for all 150 clusters.
    expect(ec2Mock.commandCalls(DescribeVpcAttributeCommand).length).toBe(2);
    expect(ec2Mock.commandCalls(DescribeRouteTablesCommand).length).toBe(1);
    expect(iamMock.commandCalls(ListAttachedRolePoliciesCommand).length).toBe(1);
  });

  it('follows DescribeSubnets pages', async () => {
    eksMock.on(ListClustersCommand).resolves({ clusters: ['a'] });
    eksMock.on(DescribeClusterCommand).resolves({ cluster: cluster('a') });
    ec2Mock
      .on(DescribeSubnetsCommand)
      .resolvesOnce({ Subnets: [subnet('subnet-a', 'us-east-1a')], NextToken: 'p2' })
      .resolvesOnce({ Subnets: [subnet('subnet-b', 'us-east-1b')] });
    const [snap] = snapshots((await collectRegion(clients, { account: '111122223333', now })).targets);
    expect(Object.keys(snap!.subnets)).toEqual(['subnet-a', 'subnet-b']);
  });

  it('leaves a deleted subnet out without failing the look-up of the others', async () => {
    eksMock.on(ListClustersCommand).resolves({ clusters: ['a'] });
    eksMock.on(DescribeClusterCommand).resolves({ cluster: cluster('a', ['subnet-a', 'subnet-gone']) });
    ec2Mock.on(DescribeSubnetsCommand).resolves({ Subnets: [subnet('subnet-a', 'us-east-1a')] });
    const [snap] = snapshots((await collectRegion(clients, { account: '111122223333', now })).targets);
    expect(snap!.cluster.subnetIds).toEqual(['subnet-a', 'subnet-gone']);
    expect(Object.keys(snap!.subnets)).toEqual(['subnet-a']);
    expect(snap!.errors.subnets).toBeUndefined();
  });

  it('turns a failed call into a section error for the clusters it concerns, not a silent empty result', async () => {
    eksMock.on(ListClustersCommand).resolves({ clusters: ['a'] });
    eksMock.on(DescribeClusterCommand).resolves({ cluster: cluster('a') });
    ec2Mock.on(DescribeSecurityGroupsCommand).rejects(Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' }));
    ec2Mock.on(DescribeRouteTablesCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'RequestLimitExceeded' }));
    const [snap] = snapshots((await collectRegion(clients, { account: '111122223333', now })).targets);
    expect(snap!.errors.securityGroups).toBe('ec2:DescribeSecurityGroups: UnauthorizedOperation: You are not authorized to perform this operation.');
    expect(snap!.errors.routeTables).toContain('RequestLimitExceeded');
    expect(snap!.errors.subnets).toContain('route tables unknown');
    expect(snap!.errors.vpc).toBeUndefined();
  });

  it('splits a batched call that still fails, so a fault costs only the ids it concerns', async () => {
    const names = Array.from({ length: 150 }, (_, i) => `c${i}`);
    eksMock.on(ListClustersCommand).resolves({ clusters: names });
    eksMock.on(DescribeClusterCommand).callsFake(({ name }) => ({ cluster: cluster(name, [`subnet-${name}-1`, `subnet-${name}-2`]) }));
    // Any call that asks for c7's first subnet fails (as a truncated body that outlasted the retries would).
    ec2Mock.on(DescribeSubnetsCommand).callsFake((input: { Filters?: { Values?: string[] }[] }) => {
      const values = input.Filters?.[0]?.Values ?? [];
      if (values.includes('subnet-c7-1')) throw Object.assign(new Error('Unexpected end of JSON input'), { name: 'SyntaxError' });
      return { Subnets: values.map((id) => subnet(id, id.endsWith('-1') ? 'us-east-1a' : 'us-east-1b')) };
    });

    const collected = snapshots((await collectRegion(clients, { account: '111122223333', now })).targets);

    const failing = collected.filter((s) => s.errors.subnets).map((s) => s.cluster.name);
    expect(failing).toEqual(['c7']);
    expect(collected.find((s) => s.cluster.name === 'c8')?.subnets['subnet-c8-1']).toBeDefined();
    // 300 ids in 2 batches; isolating one id costs about 2 calls per halving, not one call per id.
    expect(ec2Mock.commandCalls(DescribeSubnetsCommand).length).toBeLessThanOrEqual(2 + 2 * 8);
  });

  it('does not split a denied call: every half would be denied too', async () => {
    eksMock.on(ListClustersCommand).resolves({ clusters: ['a', 'b'] });
    eksMock.on(DescribeClusterCommand).callsFake(({ name }) => ({ cluster: cluster(name, [`subnet-${name}`]) }));
    ec2Mock.on(DescribeSubnetsCommand).rejects(Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' }));
    const collected = snapshots((await collectRegion(clients, { account: '111122223333', now })).targets);
    expect(collected.map((s) => s.errors.subnets)).toEqual([expect.stringContaining('UnauthorizedOperation'), expect.stringContaining('UnauthorizedOperation')]);
    expect(ec2Mock.commandCalls(DescribeSubnetsCommand).length).toBe(1);
  });

  it('reports a cluster whose DescribeCluster fails as unreadable and still collects the others', async () => {
    eksMock.on(ListClustersCommand).resolves({ clusters: ['denied', 'ok', 'gone'] });
    eksMock.on(DescribeClusterCommand, { name: 'ok' }).resolves({ cluster: cluster('ok') });
    eksMock.on(DescribeClusterCommand, { name: 'denied' }).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    eksMock.on(DescribeClusterCommand, { name: 'gone' }).rejects(new ResourceNotFoundException({ message: 'No cluster found', $metadata: {} }));
    const { targets } = await collectRegion(clients, { account: '111122223333', now });
    expect(targets.map((t) => (t.kind === 'snapshot' ? `ok:${t.snapshot.cluster.name}` : `unreadable:${t.cluster}:${t.reason}`))).toEqual([
      'unreadable:denied:eks:DescribeCluster: AccessDeniedException: not authorized',
      'ok:ok',
    ]);
  });

  it('uses the launch template security groups of a node group, else the cluster security group', async () => {
    eksMock.on(ListClustersCommand).resolves({ clusters: ['a'] });
    eksMock.on(DescribeClusterCommand).resolves({ cluster: cluster('a') });
    eksMock.on(ListNodegroupsCommand).resolves({ nodegroups: ['lt', 'plain'] });
    eksMock
      .on(DescribeNodegroupCommand, { nodegroupName: 'lt' })
      .resolves({ nodegroup: { nodegroupName: 'lt', subnets: ['subnet-a'], launchTemplate: { id: 'lt-1', version: '3' } } });
    eksMock.on(DescribeNodegroupCommand, { nodegroupName: 'plain' }).resolves({ nodegroup: { nodegroupName: 'plain', subnets: ['subnet-b'] } });
    ec2Mock.on(DescribeLaunchTemplateVersionsCommand).resolves({
      LaunchTemplateVersions: [{ VersionNumber: 3, LaunchTemplateData: { NetworkInterfaces: [{ Groups: ['sg-node'] }] } }],
    });
    const [snap] = snapshots((await collectRegion(clients, { account: '111122223333', now })).targets);
    expect(snap!.nodegroups.map((n) => [n.name, n.securityGroupIds, n.usesClusterSecurityGroup])).toEqual([
      ['lt', ['sg-node'], false],
      ['plain', ['sg-cluster'], true],
    ]);
    const groupFilter = ec2Mock.commandCalls(DescribeSecurityGroupsCommand)[0]!.args[0].input.Filters?.[0]?.Values;
    expect(groupFilter).toEqual(['sg-cluster', 'sg-endpoints', 'sg-node']);
  });

  it('skips node groups and Fargate profiles deleted between List and Describe, keeping the rest of the cluster', async () => {
    eksMock.on(ListClustersCommand).resolves({ clusters: ['a'] });
    eksMock.on(DescribeClusterCommand).resolves({ cluster: cluster('a') });
    eksMock.on(ListNodegroupsCommand).resolves({ nodegroups: ['rotated-out', 'current'] });
    eksMock
      .on(DescribeNodegroupCommand, { nodegroupName: 'rotated-out' })
      .rejects(new ResourceNotFoundException({ message: 'No node group found for name: rotated-out.', $metadata: {} }));
    eksMock.on(DescribeNodegroupCommand, { nodegroupName: 'current' }).resolves({ nodegroup: { nodegroupName: 'current', subnets: ['subnet-a', 'subnet-b'] } });
    eksMock.on(ListFargateProfilesCommand).resolves({ fargateProfileNames: ['gone', 'kept'] });
    eksMock
      .on(DescribeFargateProfileCommand, { fargateProfileName: 'gone' })
      .rejects(new ResourceNotFoundException({ message: 'No Fargate Profile found with name: gone.', $metadata: {} }));
    eksMock.on(DescribeFargateProfileCommand, { fargateProfileName: 'kept' }).resolves({ fargateProfile: { fargateProfileName: 'kept', subnets: ['subnet-b'] } });
    const [snap] = snapshots((await collectRegion(clients, { account: '111122223333', now })).targets);
    expect(snap!.errors).toEqual({});
    expect(snap!.nodegroups.map((n) => n.name)).toEqual(['current']);
    expect(snap!.fargateProfiles.map((f) => f.name)).toEqual(['kept']);
  });

  it('still reports a node group that cannot be described for another reason as a nodegroups error', async () => {
    eksMock.on(ListClustersCommand).resolves({ clusters: ['a'] });
    eksMock.on(DescribeClusterCommand).resolves({ cluster: cluster('a') });
    eksMock.on(ListNodegroupsCommand).resolves({ nodegroups: ['denied'] });
    eksMock.on(DescribeNodegroupCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const [snap] = snapshots((await collectRegion(clients, { account: '111122223333', now })).targets);
    expect(snap!.errors.nodegroups).toContain('AccessDeniedException');
  });

  it('takes IAM NoSuchEntity for the cluster role as an answer (the role is gone), not a collection error', async () => {
    eksMock.on(ListClustersCommand).resolves({ clusters: ['a'] });
    eksMock.on(DescribeClusterCommand).resolves({ cluster: cluster('a') });
    iamMock.on(ListAttachedRolePoliciesCommand).rejects(new NoSuchEntityException({ message: 'The role with name eks-cluster-role cannot be found.', $metadata: {} }));
    const [snap] = snapshots((await collectRegion(clients, { account: '111122223333', now })).targets);
    expect(snap!.errors.clusterRole).toBeUndefined();
    expect(snap!.clusterRole).toMatchObject({ name: 'eks-cluster-role', exists: false, attachedPolicyArns: [] });
  });

  it('reads network ACLs and VPC endpoints once per VPC, keeping the ACLs of the cluster subnets and the endpoint security groups', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `c${i}`);
    eksMock.on(ListClustersCommand).resolves({ clusters: names });
    eksMock.on(DescribeClusterCommand).callsFake(({ name }) => ({ cluster: cluster(name) }));
    const result = await collectRegion(clients, { account: '111122223333', now });
    expect(ec2Mock.commandCalls(DescribeNetworkAclsCommand).map((c) => c.args[0].input.Filters)).toEqual([[{ Name: 'vpc-id', Values: ['vpc-1'] }]]);
    expect(ec2Mock.commandCalls(DescribeVpcEndpointsCommand).map((c) => c.args[0].input.Filters)).toEqual([[{ Name: 'vpc-id', Values: ['vpc-1'] }]]);
    const snap = snapshots(result.targets)[0]!;
    expect(Object.keys(snap.networkAcls)).toEqual(['acl-1']);
    expect(snap.networkAcls['acl-1']!.entries).toEqual([
      { ruleNumber: 100, egress: false, protocol: '6', action: 'allow', cidr: '10.0.0.0/16', fromPort: 443, toPort: 443 },
      { ruleNumber: 32767, egress: false, protocol: '-1', action: 'deny', cidr: '0.0.0.0/0', fromPort: 0, toPort: 65535 },
      { ruleNumber: 100, egress: true, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0', fromPort: 0, toPort: 65535 },
    ]);
    expect(snap.vpcEndpoints['vpce-ecr']).toMatchObject({ serviceName: 'com.amazonaws.us-east-1.ecr.api', privateDnsEnabled: true, securityGroupIds: ['sg-endpoints'] });
    const groupFilters = ec2Mock.commandCalls(DescribeSecurityGroupsCommand).flatMap((c) => c.args[0].input.Filters?.[0]?.Values ?? []);
    expect(groupFilters).toContain('sg-endpoints');
  });

  it('resolves the managed prefix lists that security group rules reference, with their entries', async () => {
    eksMock.on(ListClustersCommand).resolves({ clusters: ['a'] });
    eksMock.on(DescribeClusterCommand).resolves({ cluster: cluster('a') });
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        {
          GroupId: 'sg-cluster',
          VpcId: 'vpc-1',
          IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: 'pl-nodes' }, { PrefixListId: 'pl-deleted' }] }],
        },
      ],
    });
    ec2Mock.on(DescribeManagedPrefixListsCommand).resolves({ PrefixLists: [{ PrefixListId: 'pl-nodes', PrefixListName: 'nodes', AddressFamily: 'IPv4' }] });
    ec2Mock
      .on(GetManagedPrefixListEntriesCommand, { PrefixListId: 'pl-nodes' })
      .resolvesOnce({ Entries: [{ Cidr: '10.0.1.0/24' }], NextToken: 'p2' })
      .resolvesOnce({ Entries: [{ Cidr: '10.0.2.0/24' }] });
    const [snap] = snapshots((await collectRegion(clients, { account: '111122223333', now })).targets);
    expect(ec2Mock.commandCalls(DescribeManagedPrefixListsCommand)[0]!.args[0].input.Filters).toEqual([{ Name: 'prefix-list-id', Values: ['pl-deleted', 'pl-nodes'] }]);
    expect(snap!.prefixLists).toEqual({ 'pl-nodes': { id: 'pl-nodes', name: 'nodes', addressFamily: 'IPv4', cidrs: ['10.0.1.0/24', '10.0.2.0/24'] } });
    expect(snap!.errors.prefixLists).toBeUndefined();
  });

  it('follows a default route through a Gateway Load Balancer endpoint to the NAT gateway behind it', async () => {
    eksMock.on(ListClustersCommand).resolves({ clusters: ['a'] });
    eksMock.on(DescribeClusterCommand).resolves({ cluster: cluster('a') });
    ec2Mock.on(DescribeRouteTablesCommand).resolves({
      RouteTables: [
        { RouteTableId: 'rtb-nodes', VpcId: 'vpc-1', Associations: [{ Main: true }], Routes: [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'vpce-fw', State: 'active' }] },
        {
          RouteTableId: 'rtb-firewall',
          VpcId: 'vpc-1',
          Associations: [{ SubnetId: 'subnet-fw' }],
          Routes: [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1', State: 'active' }],
        },
      ],
    });
    ec2Mock.on(DescribeVpcEndpointsCommand).resolves({
      VpcEndpoints: [{ VpcEndpointId: 'vpce-fw', VpcId: 'vpc-1', VpcEndpointType: 'GatewayLoadBalancer', State: 'Available', SubnetIds: ['subnet-fw'] }],
    });
    const [snap] = snapshots((await collectRegion(clients, { account: '111122223333', now })).targets);
    expect(snap!.subnets['subnet-b']).toMatchObject({
      defaultRoute: { type: 'vpc-endpoint', id: 'vpce-fw' },
      internetRoute: { type: 'nat-gateway', id: 'nat-1' },
      internetRouteVia: ['vpce-fw'],
    });
    expect(snap!.natGateways['nat-1']?.publicIps).toEqual(['203.0.113.10']);
  });

  it('reports a region whose clusters cannot be listed', async () => {
    eksMock.on(ListClustersCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const result = await collectRegion(clients, { account: '111122223333', now });
    expect(result.targets).toEqual([]);
    expect(result.errors).toEqual([{ region: 'us-east-1', message: 'eks:ListClusters: AccessDeniedException: denied' }]);
  });
});
