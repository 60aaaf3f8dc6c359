/**
 * Round trips through the real AWS SDK v3 clients against the simulated account.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ConfigServiceClient, DescribeConfigRulesCommand, PutEvaluationsCommand, type Evaluation } from '@aws-sdk/client-config-service';
import {
  DescribeDhcpOptionsCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
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
  paginateGetManagedPrefixListEntries,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
} from '@aws-sdk/client-ec2';
import {
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeFargateProfileCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListAddonsCommand,
  ListClustersCommand,
  ListFargateProfilesCommand,
  ListNodegroupsCommand,
  paginateListClusters,
  paginateListNodegroups,
} from '@aws-sdk/client-eks';
import { GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolesCommand, paginateListAttachedRolePolicies } from '@aws-sdk/client-iam';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GENERATED_CLUSTER_VERSION, generateWorld } from './simulator/generate.js';
import { startSimulator, type Simulator } from './simulator/server.js';
import { loadWorld, parseWorld, WorldError, type World } from './simulator/world.js';

const EXAMPLE_WORLD = fileURLToPath(new URL('./simulator/worlds/example.yaml', import.meta.url));
const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };

type ClientConfig = { region?: string; maxAttempts?: number };
const config = (sim: Simulator, c: ClientConfig = {}) => ({
  endpoint: sim.url,
  credentials,
  region: c.region ?? 'us-east-1',
  ...(c.maxAttempts === undefined ? {} : { maxAttempts: c.maxAttempts }),
});

/** Asserts that an SDK call fails with the given error name. */
const failsWith = (call: Promise<unknown>, name: string) => expect(call).rejects.toMatchObject({ name });

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

let exampleWorld: World;
let sim: Simulator;
let eks: EKSClient;
let ec2: EC2Client;
let iam: IAMClient;

beforeAll(async () => {
  exampleWorld = await loadWorld(EXAMPLE_WORLD);
  sim = await startSimulator({ world: exampleWorld });
  eks = new EKSClient(config(sim));
  ec2 = new EC2Client(config(sim));
  iam = new IAMClient(config(sim));
});

afterAll(async () => {
  for (const client of [eks, ec2, iam]) client.destroy();
  await sim.close();
});

beforeEach(() => {
  sim.setWorld(exampleWorld);
  sim.clearLog();
});

describe('world files', () => {
  it('loads YAML and JSON, filling defaults', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-world-'));
    const file = join(dir, 'w.json');
    const vpcs = [{ id: 'v', cidrBlock: '10.1.0.0/16' }];
    await writeFile(file, JSON.stringify({ account: '123456789012', regions: { 'us-west-2': { vpcs } } }));
    const world = await loadWorld(file);
    expect(world.iam.roles).toEqual([]);
    expect(world.regions['us-west-2']?.vpcs[0]).toMatchObject({ dhcpOptionsId: 'default', enableDnsSupport: true, tags: {} });
    expect(exampleWorld.regions['us-east-1']?.clusters[1]?.endpointPublicAccess).toBe(true);
  });

  it('names the file and the path of every bad field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-world-'));
    const file = join(dir, 'bad.yaml');
    await writeFile(
      file,
      [
        'account: "12345"',
        'regions:',
        '  us-east-1:',
        '    subnets: [{id: s-1, availabilityZone: us-east-1a, cidrBlock: 10.0.0.0/24, vpcID: v}]',
        '    routeTables: [{id: r, vpcId: v, routes: [{destination: 0.0.0.0/0}]}]',
        '    clusters: [{name: c, version: 1.30, roleArn: r, vpcId: v}]',
      ].join('\n'),
    );
    const error = await loadWorld(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorldError);
    const message = (error as Error).message;
    expect(message).toContain(file);
    expect(message).toContain('account: expected a 12-digit account id');
    expect(message).toContain('regions.us-east-1.subnets[0]: Unrecognized key: "vpcID"');
    expect(message).toContain('regions.us-east-1.subnets[0].vpcId');
    expect(message).toContain('regions.us-east-1.routeTables[0].routes[0]: a route needs exactly one target');
    expect(message).toContain('regions.us-east-1.clusters[0].version: expected a string; quote versions in YAML');
  });

  it('reports duplicate ids once the world is otherwise valid', () => {
    const vpcs = [
      { id: 'v', cidrBlock: '10.0.0.0/16' },
      { id: 'v', cidrBlock: '10.1.0.0/16' },
    ];
    expect(() => parseWorld({ account: '123456789012', regions: { 'us-east-1': { vpcs } } }, 'inline world')).toThrow(
      'Invalid inline world:\n  - regions.us-east-1.vpcs[1]: duplicate "v"',
    );
  });
});

describe('EKS', () => {
  it('describes a cluster with the real API shape', async () => {
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'prod' }));
    expect(cluster).toMatchObject({
      name: 'prod',
      arn: 'arn:aws:eks:us-east-1:111122223333:cluster/prod',
      version: '1.31',
      status: 'ACTIVE',
      platformVersion: 'eks.1',
      roleArn: 'arn:aws:iam::111122223333:role/eks-cluster-role',
      resourcesVpcConfig: {
        subnetIds: ['subnet-a', 'subnet-b'],
        securityGroupIds: ['sg-node'],
        clusterSecurityGroupId: 'sg-cluster',
        vpcId: 'vpc-1',
        endpointPublicAccess: false,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['0.0.0.0/0'],
      },
      logging: {
        clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: true }],
      },
      accessConfig: { authenticationMode: 'API' },
      encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: 'arn:aws:kms:us-east-1:111122223333:key/prod' } }],
      deletionProtection: true,
      kubernetesNetworkConfig: { serviceIpv4Cidr: '172.20.0.0/16', ipFamily: 'ipv4' },
      upgradePolicy: { supportType: 'EXTENDED' },
      tags: { team: 'platform' },
    });
    expect(cluster?.createdAt).toEqual(new Date('2024-01-01T00:00:00Z'));
    expect(cluster?.endpoint).toMatch(/^https:\/\/[0-9A-F]{32}\.gr7\.us-east-1\.eks\.amazonaws\.com$/);
    expect(cluster?.identity?.oidc?.issuer).toMatch(/^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);

    const dev = (await eks.send(new DescribeClusterCommand({ name: 'dev' }))).cluster;
    expect(dev?.logging?.clusterLogging).toEqual([
      { types: ['api'], enabled: true },
      { types: ['audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false },
    ]);
    expect(dev).toMatchObject({
      accessConfig: { authenticationMode: 'CONFIG_MAP' },
      encryptionConfig: [],
      deletionProtection: false,
    });
  });

  it('lists and describes node groups and Fargate profiles', async () => {
    expect((await eks.send(new ListNodegroupsCommand({ clusterName: 'prod' }))).nodegroups).toEqual(['ng-1']);
    const { nodegroup } = await eks.send(new DescribeNodegroupCommand({ clusterName: 'prod', nodegroupName: 'ng-1' }));
    expect(nodegroup).toMatchObject({
      nodegroupName: 'ng-1',
      clusterName: 'prod',
      version: '1.31',
      subnets: ['subnet-a', 'subnet-b'],
      nodeRole: 'arn:aws:iam::111122223333:role/eks-node-role',
      launchTemplate: { id: 'lt-1', name: 'prod-nodes', version: '1' },
      scalingConfig: { minSize: 2, maxSize: 6, desiredSize: 3 },
      capacityType: 'ON_DEMAND',
    });
    expect(nodegroup?.nodegroupArn).toMatch(/^arn:aws:eks:us-east-1:111122223333:nodegroup\/prod\/ng-1\/[0-9a-f-]{36}$/);
    expect(nodegroup?.remoteAccess).toBeUndefined();
    expect(nodegroup?.resources?.remoteAccessSecurityGroup).toBeUndefined();
    expect(nodegroup?.diskSize).toBeUndefined();

    const ssh = (await eks.send(new DescribeNodegroupCommand({ clusterName: 'dev', nodegroupName: 'ng-ssh' }))).nodegroup;
    expect(ssh).toMatchObject({
      remoteAccess: { ec2SshKey: 'ops', sourceSecurityGroups: [] },
      capacityType: 'SPOT',
      diskSize: 20,
    });
    expect(ssh?.resources?.remoteAccessSecurityGroup).toMatch(/^sg-[0-9a-f]{17}$/);

    expect((await eks.send(new ListFargateProfilesCommand({ clusterName: 'prod' }))).fargateProfileNames).toEqual(['fp-1']);
    const { fargateProfile } = await eks.send(new DescribeFargateProfileCommand({ clusterName: 'prod', fargateProfileName: 'fp-1' }));
    expect(fargateProfile).toMatchObject({
      fargateProfileName: 'fp-1',
      podExecutionRoleArn: 'arn:aws:iam::111122223333:role/eks-pod',
      subnets: ['subnet-a'],
      selectors: [{ namespace: 'batch', labels: { tier: 'jobs' } }],
      status: 'ACTIVE',
    });
  });

  it('describes cluster versions', async () => {
    const { clusterVersions } = await eks.send(new DescribeClusterVersionsCommand({}));
    expect(clusterVersions?.map((v) => v.clusterVersion)).toEqual(['1.30', '1.31']);
    expect(clusterVersions?.[0]).toMatchObject({
      versionStatus: 'EXTENDED_SUPPORT',
      status: 'extended-support',
      endOfStandardSupportDate: new Date('2025-07-23T00:00:00Z'),
      endOfExtendedSupportDate: new Date('2026-07-23T00:00:00Z'),
    });
    const all = await eks.send(new DescribeClusterVersionsCommand({ includeAll: true }));
    expect(all.clusterVersions?.map((v) => v.clusterVersion)).toEqual(['1.30', '1.31', '1.23']);
    const defaults = await eks.send(new DescribeClusterVersionsCommand({ defaultOnly: true }));
    expect(defaults.clusterVersions?.map((v) => v.clusterVersion)).toEqual(['1.31']);
    const picked = await eks.send(new DescribeClusterVersionsCommand({ clusterVersions: ['1.23', '1.30'] }));
    expect(picked.clusterVersions?.map((v) => v.clusterVersion)).toEqual(['1.30', '1.23']);
  });

  it('answers per region', async () => {
    const eu = new EKSClient(config(sim, { region: 'eu-west-1' }));
    expect((await eu.send(new ListClustersCommand({}))).clusters).toEqual(['eu-prod']);
    const empty = new EKSClient(config(sim, { region: 'ap-south-1' }));
    expect((await empty.send(new ListClustersCommand({}))).clusters).toEqual([]);
    expect(sim.log.map((e) => e.region)).toEqual(['eu-west-1', 'ap-south-1']);
  });

  it('serves in-place changes to sim.world, e.g. drift', async () => {
    const region = sim.world.regions['us-east-1'];
    const prod = region?.clusters.find((c) => c.name === 'prod');
    if (!region || !prod) throw new Error('example world changed');
    prod.endpointPublicAccess = true;
    region.subnets = region.subnets.filter((s) => s.id !== 'subnet-b');
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'prod' }));
    expect(cluster?.resourcesVpcConfig?.endpointPublicAccess).toBe(true);
    const subnetIds = cluster?.resourcesVpcConfig?.subnetIds;
    await failsWith(ec2.send(new DescribeSubnetsCommand({ SubnetIds: subnetIds })), 'InvalidSubnetID.NotFound');
    expect(exampleWorld.regions['us-east-1']?.clusters[0]?.endpointPublicAccess).toBe(false);
  });

  it('raises the modelled errors', async () => {
    await expect(eks.send(new DescribeClusterCommand({ name: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'No cluster found for name: nope.',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(eks.send(new DescribeNodegroupCommand({ clusterName: 'prod', nodegroupName: 'x' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      nodegroupName: 'x',
    });
    await failsWith(eks.send(new ListNodegroupsCommand({ clusterName: 'nope' })), 'ResourceNotFoundException');
    await failsWith(eks.send(new ListClustersCommand({ maxResults: 101 })), 'InvalidParameterException');
    await failsWith(eks.send(new ListClustersCommand({ maxResults: 0 })), 'InvalidParameterException');
    await failsWith(eks.send(new ListClustersCommand({ nextToken: 'garbage' })), 'InvalidParameterException');
    await expect(eks.send(new ListAddonsCommand({ clusterName: 'prod' }))).rejects.toMatchObject({
      name: 'UnknownOperationException',
      $metadata: { httpStatusCode: 404 },
    });
  });
});

describe('EC2', () => {
  it('describes subnets, VPCs, VPC attributes and DHCP options', async () => {
    const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-a', 'subnet-b'] }));
    expect(Subnets).toHaveLength(2);
    expect(Subnets?.[0]).toMatchObject({
      SubnetId: 'subnet-a',
      VpcId: 'vpc-1',
      AvailabilityZone: 'us-east-1a',
      CidrBlock: '10.0.1.0/24',
      AvailableIpAddressCount: 250,
      MapPublicIpOnLaunch: false,
      State: 'available',
      OwnerId: '111122223333',
      SubnetArn: 'arn:aws:ec2:us-east-1:111122223333:subnet/subnet-a',
    });
    expect(Subnets?.[1]).toMatchObject({ AvailableIpAddressCount: 251, Tags: [{ Key: 'Name', Value: 'private-b' }] });

    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-1'] }));
    expect(Vpcs?.[0]).toMatchObject({
      VpcId: 'vpc-1',
      CidrBlock: '10.0.0.0/16',
      DhcpOptionsId: 'dopt-1',
      IsDefault: false,
      State: 'available',
    });

    const dns = await ec2.send(new DescribeVpcAttributeCommand({ VpcId: 'vpc-1', Attribute: 'enableDnsSupport' }));
    expect(dns).toMatchObject({ VpcId: 'vpc-1', EnableDnsSupport: { Value: true } });
    const hostnames = await ec2.send(new DescribeVpcAttributeCommand({ VpcId: 'vpc-1', Attribute: 'enableDnsHostnames' }));
    expect(hostnames.EnableDnsHostnames).toEqual({ Value: true });
    await failsWith(ec2.send(new DescribeVpcAttributeCommand({ VpcId: 'vpc-x', Attribute: 'enableDnsSupport' })), 'InvalidVpcID.NotFound');

    const { DhcpOptions } = await ec2.send(new DescribeDhcpOptionsCommand({ DhcpOptionsIds: ['dopt-1'] }));
    expect(DhcpOptions?.[0]?.DhcpConfigurations).toEqual([
      { Key: 'domain-name', Values: [{ Value: 'ec2.internal' }] },
      { Key: 'domain-name-servers', Values: [{ Value: 'AmazonProvidedDNS' }] },
    ]);
  });

  it('describes route tables with the local route, associations and filters', async () => {
    const { RouteTables } = await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: ['rtb-pub'] }));
    expect(RouteTables?.[0]).toMatchObject({
      RouteTableId: 'rtb-pub',
      VpcId: 'vpc-1',
      Routes: [
        { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active', Origin: 'CreateRouteTable' },
        { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', State: 'active', Origin: 'CreateRoute' },
        { DestinationIpv6CidrBlock: '::/0', GatewayId: 'igw-1' },
      ],
      Associations: [{ Main: false, SubnetId: 'subnet-pub', RouteTableId: 'rtb-pub', AssociationState: { State: 'associated' } }],
    });
    const bySubnet = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: ['subnet-b'] }] }));
    expect(bySubnet.RouteTables?.map((r) => r.RouteTableId)).toEqual(['rtb-private-b']);
    const main = await ec2.send(
      new DescribeRouteTablesCommand({
        Filters: [
          { Name: 'vpc-id', Values: ['vpc-1'] },
          { Name: 'association.main', Values: ['true'] },
        ],
      }),
    );
    expect(main.RouteTables?.map((r) => r.RouteTableId)).toEqual(['rtb-main']);
    expect(main.RouteTables?.[0]?.Associations).toEqual([
      expect.objectContaining({
        Main: true,
        RouteTableId: 'rtb-main',
        RouteTableAssociationId: expect.stringMatching(/^rtbassoc-/),
      }),
    ]);
  });

  it('describes NAT and internet gateways', async () => {
    const { NatGateways } = await ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'vpc-id', Values: ['vpc-1'] }] }));
    expect(NatGateways?.[0]).toMatchObject({
      NatGatewayId: 'nat-1',
      SubnetId: 'subnet-pub',
      State: 'available',
      ConnectivityType: 'public',
      NatGatewayAddresses: [{ PublicIp: '203.0.113.10', PrivateIp: '10.0.100.10', IsPrimary: true }],
    });
    const { InternetGateways } = await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: ['vpc-1'] }] }));
    expect(InternetGateways).toEqual([expect.objectContaining({ InternetGatewayId: 'igw-1', Attachments: [{ VpcId: 'vpc-1', State: 'available' }] })]);
  });

  it('describes security group rules', async () => {
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-cluster', 'sg-open'] }));
    const [cluster, open] = SecurityGroups ?? [];
    expect(cluster).toMatchObject({
      GroupId: 'sg-cluster',
      GroupName: 'eks-cluster-sg-prod',
      VpcId: 'vpc-1',
      IpPermissions: [
        { IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: 'sg-cluster', UserId: '111122223333' }], IpRanges: [] },
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/16', Description: 'HTTPS from VPC' }] },
      ],
      IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [] }],
    });
    expect(cluster?.IpPermissions?.[0]?.FromPort).toBeUndefined();
    expect(open).toMatchObject({
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
      IpPermissionsEgress: [],
    });
    const worldOpen = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'ip-permission.cidr', Values: ['0.0.0.0/0'] }] }));
    expect(worldOpen.SecurityGroups?.map((g) => g.GroupId)).toEqual(['sg-open']);
  });

  it('resolves launch template versions', async () => {
    const get = async (Versions?: string[]) => (await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: 'lt-1', Versions }))).LaunchTemplateVersions;
    const [latest] = (await get(['$Latest'])) ?? [];
    expect(latest).toMatchObject({
      LaunchTemplateId: 'lt-1',
      LaunchTemplateName: 'prod-nodes',
      VersionNumber: 2,
      DefaultVersion: false,
      LaunchTemplateData: { SecurityGroupIds: ['sg-node', 'sg-open'], MetadataOptions: { HttpTokens: 'optional' } },
    });
    const [byDefault] = (await get(['$Default'])) ?? [];
    expect(byDefault).toMatchObject({
      VersionNumber: 1,
      DefaultVersion: true,
      LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 } },
    });
    expect((await get())?.map((v) => v.VersionNumber)).toEqual([2, 1]);
    await failsWith(get(['7']), 'InvalidLaunchTemplateId.VersionNotFound');
    await expect(ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: 'lt-x', Versions: ['1'] }))).rejects.toMatchObject({
      name: 'InvalidLaunchTemplateId.NotFound',
    });
  });

  it('describes instances with tag and state filters', async () => {
    const describe = async (Filters: { Name: string; Values: string[] }[]) => {
      const { Reservations } = await ec2.send(new DescribeInstancesCommand({ Filters }));
      return Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId);
    };
    expect(await describe([{ Name: 'tag-key', Values: ['kubernetes.io/cluster/prod'] }])).toEqual(['i-1']);
    expect(await describe([{ Name: 'tag:kubernetes.io/cluster/dev', Values: ['owned'] }])).toEqual(['i-2']);
    expect(await describe([{ Name: 'tag-key', Values: ['kubernetes.io/cluster/*'] }])).toEqual(['i-1', 'i-2']);
    expect(await describe([{ Name: 'instance-state-name', Values: ['running', 'stopped'] }])).toEqual(['i-1', 'i-2']);
    expect(
      await describe([
        { Name: 'vpc-id', Values: ['vpc-1'] },
        { Name: 'subnet-id', Values: ['subnet-b'] },
      ]),
    ).toEqual(['i-3']);

    const { Reservations } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-1'] }));
    expect(Reservations?.[0]?.Instances?.[0]).toMatchObject({
      InstanceId: 'i-1',
      VpcId: 'vpc-1',
      SubnetId: 'subnet-a',
      PrivateIpAddress: '10.0.1.10',
      State: { Code: 16, Name: 'running' },
      SecurityGroups: [{ GroupId: 'sg-node', GroupName: 'nodes' }],
      Placement: { AvailabilityZone: 'us-east-1a' },
      MetadataOptions: { HttpTokens: 'required' },
      Tags: [{ Key: 'kubernetes.io/cluster/prod', Value: 'owned' }],
    });
    await failsWith(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-1'], MaxResults: 5 })), 'InvalidParameterCombination');
  });

  const missing = ['x-missing'];
  const filterOn = (Name: string) => [{ Name, Values: missing }];
  it.each([
    {
      code: 'InvalidSubnetID.NotFound',
      byId: () => ec2.send(new DescribeSubnetsCommand({ SubnetIds: missing })),
      byFilter: async () => (await ec2.send(new DescribeSubnetsCommand({ Filters: filterOn('subnet-id') }))).Subnets,
    },
    {
      code: 'InvalidVpcID.NotFound',
      byId: () => ec2.send(new DescribeVpcsCommand({ VpcIds: missing })),
      byFilter: async () => (await ec2.send(new DescribeVpcsCommand({ Filters: filterOn('vpc-id') }))).Vpcs,
    },
    {
      code: 'InvalidGroup.NotFound',
      byId: () => ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: missing })),
      byFilter: async () => (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: filterOn('group-id') }))).SecurityGroups,
    },
    {
      code: 'InvalidDhcpOptionID.NotFound',
      byId: () => ec2.send(new DescribeDhcpOptionsCommand({ DhcpOptionsIds: missing })),
      byFilter: async () => (await ec2.send(new DescribeDhcpOptionsCommand({ Filters: filterOn('dhcp-options-id') }))).DhcpOptions,
    },
    {
      code: 'InvalidRouteTableID.NotFound',
      byId: () => ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: missing })),
      byFilter: async () => (await ec2.send(new DescribeRouteTablesCommand({ Filters: filterOn('route-table-id') }))).RouteTables,
    },
    {
      code: 'NatGatewayNotFound',
      byId: () => ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: missing })),
      byFilter: async () => (await ec2.send(new DescribeNatGatewaysCommand({ Filter: filterOn('nat-gateway-id') }))).NatGateways,
    },
    {
      code: 'InvalidInstanceID.NotFound',
      byId: () => ec2.send(new DescribeInstancesCommand({ InstanceIds: missing })),
      byFilter: async () => (await ec2.send(new DescribeInstancesCommand({ Filters: filterOn('instance-id') }))).Reservations,
    },
    {
      code: 'InvalidInternetGatewayID.NotFound',
      byId: () => ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: missing })),
      byFilter: async () => (await ec2.send(new DescribeInternetGatewaysCommand({ Filters: filterOn('internet-gateway-id') }))).InternetGateways,
    },
  ])('$code: a missing explicit id fails the call, a filter on it matches nothing', async ({ code, byId, byFilter }) => {
    await expect(byId()).rejects.toMatchObject({
      name: code,
      $metadata: { httpStatusCode: 400 },
      message: expect.stringContaining('x-missing'),
    });
    expect(await byFilter()).toEqual([]);
  });

  it('validates MaxResults, NextToken, filter names and actions', async () => {
    await expect(ec2.send(new DescribeSubnetsCommand({ MaxResults: 4 }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('maxResults'),
    });
    await failsWith(ec2.send(new DescribeRouteTablesCommand({ MaxResults: 101 })), 'InvalidParameterValue');
    await failsWith(ec2.send(new DescribeSubnetsCommand({ NextToken: 'nope' })), 'InvalidPaginationToken');
    await expect(ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc', Values: ['x'] }] }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: "The filter 'vpc' is invalid",
    });
    await failsWith(ec2.send(new DescribeImagesCommand({})), 'InvalidAction');
  });
});

describe('EC2 network path (NACLs, VPC endpoints, prefix lists)', () => {
  const networkWorld = () =>
    parseWorld({
      account: '111122223333',
      regions: {
        'us-east-1': {
          vpcs: [
            { id: 'vpc-1', cidrBlock: '10.0.0.0/16' },
            { id: 'vpc-2', cidrBlock: '10.1.0.0/16' },
          ],
          subnets: [
            { id: 'subnet-a', vpcId: 'vpc-1', availabilityZone: 'us-east-1a', cidrBlock: '10.0.1.0/24' },
            { id: 'subnet-b', vpcId: 'vpc-1', availabilityZone: 'us-east-1b', cidrBlock: '10.0.2.0/24' },
            { id: 'subnet-c', vpcId: 'vpc-2', availabilityZone: 'us-east-1a', cidrBlock: '10.1.1.0/24' },
          ],
          networkAcls: [
            {
              id: 'acl-strict',
              vpcId: 'vpc-1',
              subnetIds: ['subnet-b'],
              entries: [
                { ruleNumber: 100, protocol: 'tcp', action: 'allow', cidr: '10.0.0.0/16', fromPort: 443, toPort: 443 },
                { ruleNumber: 200, egress: true, action: 'deny', ipv6Cidr: '::/0' },
              ],
            },
          ],
          securityGroups: [{ id: 'sg-endpoints', name: 'endpoints', vpcId: 'vpc-1' }],
          vpcEndpoints: [
            { id: 'vpce-ecr', vpcId: 'vpc-1', serviceName: 'com.amazonaws.us-east-1.ecr.api', subnetIds: ['subnet-a', 'subnet-b'], securityGroupIds: ['sg-endpoints'] },
            { id: 'vpce-s3', vpcId: 'vpc-1', serviceName: 'com.amazonaws.us-east-1.s3', type: 'Gateway', routeTableIds: ['rtb-1'] },
          ],
          managedPrefixLists: [{ id: 'pl-corp', name: 'corp', cidrs: Array.from({ length: 150 }, (_, i) => `192.168.${i}.0/24`) }],
        },
      },
    });

  beforeEach(() => sim.setWorld(networkWorld()));

  it('DescribeNetworkAcls gives every VPC a default ACL holding the subnets no other ACL has, and ends each direction with the * deny', async () => {
    const { NetworkAcls = [] } = await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: ['vpc-1'] }] }));
    const strict = NetworkAcls.find((a) => a.NetworkAclId === 'acl-strict')!;
    const fallback = NetworkAcls.find((a) => a.IsDefault)!;
    expect(NetworkAcls).toHaveLength(2);
    expect(strict.Associations?.map((a) => a.SubnetId)).toEqual(['subnet-b']);
    expect(fallback.Associations?.map((a) => a.SubnetId)).toEqual(['subnet-a']);
    expect(strict.Entries).toEqual([
      { RuleNumber: 100, Egress: false, Protocol: '6', RuleAction: 'allow', CidrBlock: '10.0.0.0/16', PortRange: { From: 443, To: 443 } },
      { RuleNumber: 200, Egress: true, Protocol: '-1', RuleAction: 'deny', Ipv6CidrBlock: '::/0' },
      { RuleNumber: 32767, Egress: false, Protocol: '-1', RuleAction: 'deny', CidrBlock: '0.0.0.0/0' },
      { RuleNumber: 32767, Egress: true, Protocol: '-1', RuleAction: 'deny', CidrBlock: '0.0.0.0/0' },
    ]);
    const bySubnet = await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: ['subnet-c'] }] }));
    expect(bySubnet.NetworkAcls?.map((a) => [a.VpcId, a.IsDefault])).toEqual([['vpc-2', true]]);
    await failsWith(ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: ['acl-gone'] })), 'InvalidNetworkAclID.NotFound');
  });

  it('DescribeVpcEndpoints reports interface endpoints with subnets, security groups and private DNS, gateway endpoints with route tables', async () => {
    const { VpcEndpoints = [] } = await ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: ['vpc-1'] }] }));
    expect(VpcEndpoints.map((e) => e.VpcEndpointId)).toEqual(['vpce-ecr', 'vpce-s3']);
    expect(VpcEndpoints[0]).toMatchObject({
      VpcEndpointType: 'Interface',
      ServiceName: 'com.amazonaws.us-east-1.ecr.api',
      State: 'available',
      PrivateDnsEnabled: true,
      SubnetIds: ['subnet-a', 'subnet-b'],
      Groups: [{ GroupId: 'sg-endpoints', GroupName: 'endpoints' }],
    });
    expect(VpcEndpoints[1]).toMatchObject({ VpcEndpointType: 'Gateway', RouteTableIds: ['rtb-1'], PrivateDnsEnabled: false });
    const none = await ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: ['vpc-2'] }] }));
    expect(none.VpcEndpoints).toEqual([]);
  });

  it('DescribeManagedPrefixLists and GetManagedPrefixListEntries page through a list at most 100 entries at a time', async () => {
    const { PrefixLists = [] } = await ec2.send(new DescribeManagedPrefixListsCommand({ Filters: [{ Name: 'prefix-list-id', Values: ['pl-corp', 'pl-gone'] }] }));
    expect(PrefixLists).toMatchObject([{ PrefixListId: 'pl-corp', PrefixListName: 'corp', AddressFamily: 'IPv4', OwnerId: '111122223333' }]);
    const pages = await collect(paginateGetManagedPrefixListEntries({ client: ec2, pageSize: 100 }, { PrefixListId: 'pl-corp' }));
    expect(pages.map((p) => p.Entries?.length)).toEqual([100, 50]);
    expect(pages[1]!.Entries?.at(-1)).toEqual({ Cidr: '192.168.149.0/24' });
    await failsWith(ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: 'pl-gone' })), 'InvalidPrefixListID.NotFound');
    await failsWith(ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: 'pl-corp', MaxResults: 500 })), 'InvalidParameterValue');
  });
});

describe('IAM and STS', () => {
  it('gets roles and pages attached policies', async () => {
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'eks-node-role' }));
    expect(Role).toMatchObject({
      RoleName: 'eks-node-role',
      Path: '/',
      Arn: 'arn:aws:iam::111122223333:role/eks-node-role',
      RoleId: expect.stringMatching(/^AROA[0-9A-F]{17}$/),
      MaxSessionDuration: 3600,
      Tags: [{ Key: 'team', Value: 'platform' }],
      CreateDate: new Date('2024-01-01T00:00:00Z'),
    });
    expect(JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? ''))).toMatchObject({
      Statement: [{ Principal: { Service: 'ec2.amazonaws.com' } }],
    });

    const pages = await collect(paginateListAttachedRolePolicies({ client: iam, pageSize: 3 }, { RoleName: 'eks-node-role' }));
    expect(pages.map((p) => [p.AttachedPolicies?.length, p.IsTruncated])).toEqual([
      [3, true],
      [1, false],
    ]);
    expect(pages.flatMap((p) => p.AttachedPolicies ?? []).at(-1)).toEqual({
      PolicyName: 'AdministratorAccess',
      PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    });
    const markers = sim.log.filter((e) => e.operation === 'ListAttachedRolePolicies').map((e) => e.params.Marker);
    expect(markers.map((m) => m !== undefined)).toEqual([false, true]);
  });

  it('raises IAM errors', async () => {
    await expect(iam.send(new GetRoleCommand({ RoleName: 'ghost' }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      $metadata: { httpStatusCode: 404 },
    });
    await failsWith(iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'eks-node-role', MaxItems: 1001 })), 'ValidationError');
    await failsWith(iam.send(new ListRolesCommand({})), 'InvalidAction');
  });

  it('tells who the caller is', async () => {
    const identity = await new STSClient(config(sim)).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/eksguard' });
    expect(identity.UserId).toMatch(/^AIDA/);
  });
});

describe('SNS and Config recording', () => {
  it('records SNS publishes and validates them', async () => {
    const sns = new SNSClient(config(sim));
    const topic = 'arn:aws:sns:us-east-1:111122223333:eksguard-findings';
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: topic,
        Subject: 'drift',
        Message: JSON.stringify({ default: 'x', email: 'y' }),
        MessageStructure: 'json',
        MessageAttributes: { severity: { DataType: 'String', StringValue: 'HIGH' } },
      }),
    );
    expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sim.published.at(-1)).toMatchObject({
      topicArn: topic,
      subject: 'drift',
      messageStructure: 'json',
      messageAttributes: { severity: { DataType: 'String', StringValue: 'HIGH' } },
      messageId: MessageId,
    });
    const noDefault = new PublishCommand({ TopicArn: topic, Message: '{"email":"y"}', MessageStructure: 'json' });
    await failsWith(sns.send(noDefault), 'InvalidParameterException');
    const otherRegion = new PublishCommand({ TopicArn: 'arn:aws:sns:eu-west-1:111122223333:t', Message: 'm' });
    await failsWith(sns.send(otherRegion), 'InvalidParameterException');
  });

  it('records Config evaluations and validates them', async () => {
    const configService = new ConfigServiceClient(config(sim));
    const evaluation: Evaluation = {
      ComplianceResourceType: 'AWS::EKS::Cluster',
      ComplianceResourceId: 'prod',
      ComplianceType: 'NON_COMPLIANT',
      Annotation: 'public endpoint',
      OrderingTimestamp: new Date('2025-01-01T00:00:00Z'),
    };
    const out = await configService.send(new PutEvaluationsCommand({ ResultToken: 'token-1', Evaluations: [evaluation] }));
    expect(out.FailedEvaluations).toEqual([]);
    expect(sim.evaluations.at(-1)).toEqual({
      region: 'us-east-1',
      resultToken: 'token-1',
      testMode: false,
      evaluations: [{ ...evaluation, OrderingTimestamp: Date.parse('2025-01-01T00:00:00Z') / 1000 }],
    });
    const many = Array.from({ length: 101 }, () => evaluation);
    const put = (ResultToken: string | undefined, Evaluations: Evaluation[]) => configService.send(new PutEvaluationsCommand({ ResultToken, Evaluations }));
    await failsWith(put('t', many), 'ValidationException');
    await failsWith(put(' ', [evaluation]), 'InvalidResultTokenException');
    await failsWith(configService.send(new PutEvaluationsCommand({ ResultToken: undefined })), 'ValidationException');
    await failsWith(configService.send(new DescribeConfigRulesCommand({})), 'UnknownOperationException');
  });
});

describe('pagination at scale', () => {
  let big: Simulator;
  beforeAll(async () => {
    big = await startSimulator({
      world: generateWorld({
        clusters: 250,
        clustersPerVpc: 10,
        privateSubnetsPerVpc: 6,
        nodegroupsPerCluster: 2,
        now: new Date('2025-06-01'),
      }),
    });
  });
  afterAll(() => big.close());

  it('generates a clean, valid world', () => {
    const region = big.world.regions['us-east-1'];
    expect(region?.clusters).toHaveLength(250);
    const clean = (c: World['regions'][string]['clusters'][number]) => !c.endpointPublicAccess && c.encryptionConfig.length > 0 && c.version === GENERATED_CLUSTER_VERSION;
    expect(region?.clusters.every(clean)).toBe(true);
    expect(region?.securityGroups.some((g) => g.ingress.some((r) => r.cidrs.includes('0.0.0.0/0')))).toBe(false);
    expect(region?.subnets).toHaveLength(25 * 7);
  });

  it('spreads generated clusters over regions', () => {
    const world = generateWorld({ clusters: 5, regions: ['us-east-1', 'eu-west-1'], instancesPerNodegroup: 2, fargateProfilesPerCluster: 1 });
    expect(world.regions['us-east-1']?.clusters.map((c) => c.name)).toEqual(['cluster-0000', 'cluster-0002', 'cluster-0004']);
    expect(world.regions['eu-west-1']?.clusters.map((c) => c.fargateProfiles.length)).toEqual([1, 1]);
    expect(world.regions['eu-west-1']?.instances.map((i) => i.tags['kubernetes.io/cluster/cluster-0001'])).toEqual(['owned', 'owned', undefined, undefined]);
  });

  it('pages ListClusters with and without a page size', async () => {
    const client = new EKSClient(config(big));
    const pages = await collect(paginateListClusters({ client, pageSize: 20 }, {}));
    expect(pages).toHaveLength(13);
    const names = pages.flatMap((p) => p.clusters ?? []);
    expect(names).toHaveLength(250);
    expect(new Set(names).size).toBe(250);
    const defaults = await collect(paginateListClusters({ client }, {}));
    expect(defaults.map((p) => p.clusters?.length)).toEqual([100, 100, 50]);
    const nodegroups = await collect(paginateListNodegroups({ client, pageSize: 1 }, { clusterName: 'cluster-0007' }));
    expect(nodegroups.flatMap((p) => p.nodegroups)).toEqual(['cluster-0007-ng-0', 'cluster-0007-ng-1']);
  });

  it('pages EC2 describes and rejects a token from another listing', async () => {
    const client = new EC2Client(config(big));
    const subnetPages = await collect(paginateDescribeSubnets({ client, pageSize: 50 }, {}));
    expect(subnetPages.map((p) => p.Subnets?.length)).toEqual([50, 50, 50, 25]);
    const groups = await collect(paginateDescribeSecurityGroups({ client, pageSize: 100 }, { Filters: [{ Name: 'vpc-id', Values: ['vpc-00003'] }] }));
    expect(groups.flatMap((p) => p.SecurityGroups ?? []).map((g) => g.GroupId)).toHaveLength(10);
    const first = await client.send(new DescribeSubnetsCommand({ MaxResults: 5 }));
    await failsWith(client.send(new DescribeVpcsCommand({ NextToken: first.NextToken })), 'InvalidPaginationToken');
  });
});

describe('fault injection', () => {
  it('injects AccessDenied as each service really reports it', async () => {
    sim.setFaults({
      rules: [
        { service: 'iam', operation: 'ListAttachedRolePolicies', match: { RoleName: 'eks-node-role' }, error: 'AccessDenied' },
        { service: 'eks', operation: 'DescribeNodegroup', match: { nodegroupName: 'ng-1' }, error: 'AccessDenied', times: 1 },
        { service: 'ec2', operation: 'DescribeSecurityGroups', error: 'AccessDenied' },
        { service: 'ec2', operation: 'DescribeVpcs', error: 'Blocked', status: 409, message: 'custom' },
      ],
    });
    await expect(iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'eks-node-role' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    const other = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'eks-cluster-role' }));
    expect(other.AttachedPolicies).toHaveLength(1);
    const describeNg = () => eks.send(new DescribeNodegroupCommand({ clusterName: 'prod', nodegroupName: 'ng-1' }));
    await expect(describeNg()).rejects.toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    await expect(describeNg()).resolves.toHaveProperty('nodegroup.nodegroupName', 'ng-1');
    await failsWith(ec2.send(new DescribeSecurityGroupsCommand({})), 'UnauthorizedOperation');
    await expect(ec2.send(new DescribeVpcsCommand({}))).rejects.toMatchObject({ name: 'Blocked', message: 'custom' });
    expect(sim.log.map((e) => e.errorCode)).toEqual(['AccessDenied', undefined, 'AccessDeniedException', undefined, 'UnauthorizedOperation', 'Blocked']);
  });

  it('throttles every service with its own retryable error (100%, maxAttempts 2)', async () => {
    sim.setFaults({ throttleRate: 1 });
    const c = { maxAttempts: 2 };
    const published = sim.published.length;
    const cases: Array<[() => Promise<unknown>, string]> = [
      [() => new EKSClient(config(sim, c)).send(new ListClustersCommand({})), 'ThrottlingException'],
      [() => new EC2Client(config(sim, c)).send(new DescribeSubnetsCommand({})), 'RequestLimitExceeded'],
      [() => new IAMClient(config(sim, c)).send(new GetRoleCommand({ RoleName: 'eks-node-role' })), 'Throttling'],
      [() => new STSClient(config(sim, c)).send(new GetCallerIdentityCommand({})), 'Throttling'],
      [() => new SNSClient(config(sim, c)).send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:1:t', Message: 'm' })), 'ThrottledException'],
      [() => new ConfigServiceClient(config(sim, c)).send(new PutEvaluationsCommand({ ResultToken: 't' })), 'ThrottlingException'],
    ];
    await Promise.all(cases.map(([send, name]) => expect(send()).rejects.toMatchObject({ name, $metadata: { attempts: 2 } })));
    expect(sim.log).toHaveLength(12);
    expect(sim.published).toHaveLength(published);
  });

  it('is survived at 30% with the default retry strategy', async () => {
    sim.setFaults({ seed: 7, throttleRate: 0.3 });
    const client = new EKSClient(config(sim));
    for (let i = 0; i < 8; i++) {
      await expect(client.send(new DescribeClusterCommand({ name: 'prod' }))).resolves.toHaveProperty('cluster.name', 'prod');
    }
    const throttled = sim.log.filter((e) => e.errorCode === 'ThrottlingException');
    expect(throttled.length).toBeGreaterThan(0);
    expect(sim.log.filter((e) => e.status === 200)).toHaveLength(8);
  });

  it('is reproducible for a given seed', async () => {
    const client = new EC2Client(config(sim, { maxAttempts: 1 }));
    const run = async () => {
      sim.setFaults({ seed: 42, throttleRate: 0.5, serverErrorRate: 0.5 });
      sim.clearLog();
      for (let i = 0; i < 12; i++) await client.send(new DescribeVpcsCommand({})).catch(() => undefined);
      return sim.log.map((e) => e.errorCode ?? 'ok');
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['ok', 'RequestLimitExceeded', 'InternalError', 'Unavailable']));
  });

  it('adds latency', async () => {
    const client = new STSClient(config(sim));
    sim.setFaults({ latencyMs: 120 });
    let start = performance.now();
    await client.send(new GetCallerIdentityCommand({}));
    expect(performance.now() - start).toBeGreaterThanOrEqual(115);
    sim.setFaults({ latencyMs: { min: 10, max: 30 } });
    start = performance.now();
    await client.send(new GetCallerIdentityCommand({}));
    expect(performance.now() - start).toBeGreaterThanOrEqual(9);
    sim.setFaults(undefined);
    expect(sim.world.faults).toBeUndefined();
  });

  it('takes faults from the world file', async () => {
    sim.setWorld({ ...exampleWorld, faults: { rules: [{ service: 'sts', error: 'AccessDenied' }] } });
    await failsWith(new STSClient(config(sim)).send(new GetCallerIdentityCommand({})), 'AccessDenied');
  });
});

describe('control endpoints', () => {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sim.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it('exposes the log, world, faults and recordings over HTTP', async () => {
    await eks.send(new ListClustersCommand({}));
    expect((await call('GET', '/_sim/log')).body).toEqual([{ service: 'eks', operation: 'ListClusters', region: 'us-east-1', params: {}, status: 200 }]);
    expect((await call('POST', '/_sim/reset-log')).status).toBe(200);
    expect(sim.log).toEqual([]);

    const clusters = [{ name: 'x', version: '1.31', roleArn: 'r', vpcId: 'v' }];
    const world = parseWorld({ account: '999999999999', regions: { 'us-east-1': { clusters } } });
    expect((await call('POST', '/_sim/world', world)).status).toBe(200);
    expect((await eks.send(new ListClustersCommand({}))).clusters).toEqual(['x']);
    const bad = await call('POST', '/_sim/world', { account: 'nope' });
    expect(bad).toMatchObject({ status: 400, body: { message: expect.stringContaining('account') } });

    expect((await call('POST', '/_sim/faults', { rules: [{ service: 'eks', error: 'Throttling' }] })).status).toBe(200);
    await failsWith(new EKSClient(config(sim, { maxAttempts: 1 })).send(new ListClustersCommand({})), 'ThrottlingException');
    expect((await call('POST', '/_sim/faults', { throttleRate: 5 })).status).toBe(400);
    expect((await call('POST', '/_sim/faults', null)).status).toBe(200);

    expect((await call('GET', '/_sim/published')).body).toEqual(sim.published);
    expect((await call('GET', '/_sim/evaluations')).body).toEqual(sim.evaluations);
    expect((await call('GET', '/_sim/nothing')).status).toBe(404);
  });

  it('rejects unsigned requests with a clear 403', async () => {
    const res = await fetch(`${sim.url}/clusters`);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toContain('Authorization');
  });
});

describe('command line', () => {
  it('prints the URL, serves requests and stops on SIGTERM', async () => {
    const args = ['--import', 'tsx', 'test/simulator/main.ts', '--world', EXAMPLE_WORLD, '--latency', '1'];
    const child = spawn(process.execPath, args, {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = createInterface({ input: child.stdout });
    const [first] = (await once(lines, 'line')) as [string];
    expect(first).toMatch(/^SIMULATOR_URL=http:\/\/127\.0\.0\.1:\d+$/);
    const url = first.slice('SIMULATOR_URL='.length);
    const sts = new STSClient({ endpoint: url, credentials, region: 'us-east-1' });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe('111122223333');
    sts.destroy();
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  }, 15_000);
});
