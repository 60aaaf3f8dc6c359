/**
 * Pure assembly of one cluster's snapshot from its EKS data and the region-wide look-ups.
 * Every section whose data could not be read carries the reason in `errors`, so the policies
 * that read it yield `error` instead of judging placeholder values.
 */
import type * as EC2 from '@aws-sdk/client-ec2';
import type * as EKS from '@aws-sdk/client-eks';
import type { ClusterSnapshot } from '../core/snapshot/schema.js';
import { SNAPSHOT_SCHEMA_VERSION, type Section } from '../core/snapshot/sections.js';
import type { EksClusterData } from './eks-reader.js';
import type { PrefixListData } from './ec2-network-reader.js';
import type { LaunchTemplateNetwork, VpcDnsAttributes } from './ec2-reader.js';
import { launchTemplateKey } from './ec2-reader.js';
import type { RolePolicies } from './iam-reader.js';
import { roleNameOfArn } from '../core/aws-names.js';
import { firstFailure, type Lookup } from './lookup.js';
import {
  effectiveRouteTable,
  followInternetRoute,
  normaliseCluster,
  normaliseDhcpOptions,
  normaliseFargateProfile,
  normaliseNatGateway,
  normaliseNetworkAcl,
  normaliseNode,
  normaliseNodegroup,
  normalisePrefixList,
  normaliseRouteTable,
  normaliseSecurityGroup,
  normaliseSubnet,
  normaliseVersionSupport,
  normaliseVpcEndpoint,
  NO_ROUTE,
} from './normalise.js';

export interface RegionLookups {
  account: string;
  region: string;
  collectedAt: string;
  clusterVersions: EKS.ClusterVersionInformation[];
  clusterVersionsError?: string;
  vpcs: Lookup<EC2.Vpc>;
  vpcAttributes: Lookup<VpcDnsAttributes>;
  dhcpOptions: Lookup<EC2.DhcpOptions>;
  subnets: Lookup<EC2.Subnet>;
  routeTables: Lookup<EC2.RouteTable[]>;
  natGateways: Lookup<EC2.NatGateway[]>;
  securityGroups: Lookup<EC2.SecurityGroup>;
  networkAcls: Lookup<EC2.NetworkAcl[]>;
  vpcEndpoints: Lookup<EC2.VpcEndpoint[]>;
  prefixLists: Lookup<PrefixListData>;
  launchTemplates: Lookup<LaunchTemplateNetwork>;
  instances: Lookup<EC2.Instance[]>;
  rolePolicies: Lookup<RolePolicies>;
}

/** Security groups of a VPC's interface endpoints (their rules decide whether nodes reach them). */
export function endpointSecurityGroupIds(endpoints: readonly EC2.VpcEndpoint[]): string[] {
  return endpoints.flatMap((e) => (e.Groups ?? []).map((g) => g.GroupId ?? '')).filter(Boolean);
}

/** Prefix lists the rules of these security groups reference. */
export function prefixListIdsOf(groups: Iterable<EC2.SecurityGroup>): string[] {
  return [...groups]
    .flatMap((g) => [...(g.IpPermissions ?? []), ...(g.IpPermissionsEgress ?? [])].flatMap((p) => (p.PrefixListIds ?? []).map((l) => l.PrefixListId ?? '')))
    .filter(Boolean);
}

const byId = <T extends { id: string }>(items: T[]): Record<string, T> => Object.fromEntries(items.sort((a, b) => a.id.localeCompare(b.id)).map((i) => [i.id, i]));

/** The launch template reference of a node group, if it has one. */
export function launchTemplateRef(n: EKS.Nodegroup): { id: string; version: string } | undefined {
  const id = n.launchTemplate?.id;
  return id ? { id, version: n.launchTemplate?.version ?? '$Default' } : undefined;
}

/** Subnet ids a cluster uses: control plane, node groups, Fargate profiles, nodes. */
export function subnetIdsOf(eks: EksClusterData, instances: readonly EC2.Instance[]): string[] {
  return [
    ...(eks.cluster?.resourcesVpcConfig?.subnetIds ?? []),
    ...eks.nodegroups.flatMap((n) => n.subnets ?? []),
    ...eks.fargateProfiles.flatMap((f) => f.subnets ?? []),
    ...instances.map((i) => i.SubnetId ?? ''),
  ].filter(Boolean);
}

export function assembleSnapshot(eks: EksClusterData & { cluster: EKS.Cluster }, region: RegionLookups): ClusterSnapshot {
  const errors: Partial<Record<Section, string>> = {};
  const fail = (section: Section, reason: string | undefined) => {
    if (reason && !errors[section]) errors[section] = reason;
  };
  const cluster = normaliseCluster(eks.cluster);
  const vpcId = cluster.vpcId;

  const nodegroups = eks.nodegroups
    .map((n) => {
      const ref = launchTemplateRef(n);
      const key = ref ? launchTemplateKey(ref) : undefined;
      if (key) fail('nodegroups', region.launchTemplates.failed.get(key));
      return normaliseNodegroup(n, cluster.clusterSecurityGroupId, key ? region.launchTemplates.found.get(key) : undefined);
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  fail('nodegroups', eks.nodegroupsError);
  fail('fargateProfiles', eks.fargateProfilesError);

  fail('nodes', region.instances.failed.get(cluster.name));
  const instances = region.instances.found.get(cluster.name) ?? [];
  const nodes = instances.map(normaliseNode).sort((a, b) => a.instanceId.localeCompare(b.instanceId));

  // VPC, its DNS attributes and DHCP options.
  const vpc = region.vpcs.found.get(vpcId);
  const attributes = region.vpcAttributes.found.get(vpcId);
  const dhcpId = vpc?.DhcpOptionsId ?? '';
  fail('vpc', region.vpcs.failed.get(vpcId) ?? (vpc ? undefined : `ec2:DescribeVpcs: VPC ${vpcId} not found`));
  fail('vpc', region.vpcAttributes.failed.get(vpcId));
  if (dhcpId && dhcpId !== 'default') {
    fail('vpc', region.dhcpOptions.failed.get(dhcpId) ?? (region.dhcpOptions.found.has(dhcpId) ? undefined : `ec2:DescribeDhcpOptions: ${dhcpId} not found`));
  }

  // Subnets with their effective route tables; route tables and NAT gateways they use.
  const subnetIds = [...new Set(subnetIdsOf(eks, instances))].sort();
  fail('subnets', firstFailure(region.subnets, subnetIds));
  fail('vpcEndpoints', region.vpcEndpoints.failed.get(vpcId));
  const endpoints = region.vpcEndpoints.found.get(vpcId) ?? [];
  const routeTables = new Map<string, ReturnType<typeof normaliseRouteTable>>();
  const subnets = subnetIds.flatMap((id) => {
    const subnet = region.subnets.found.get(id);
    if (!subnet) return [];
    const subnetVpc = subnet.VpcId ?? vpcId;
    const routeFailure = region.routeTables.failed.get(subnetVpc);
    fail('routeTables', routeFailure);
    fail('subnets', routeFailure && `route tables unknown: ${routeFailure}`);
    const vpcTables = region.routeTables.found.get(subnetVpc) ?? [];
    const { table, association } = effectiveRouteTable(id, vpcTables);
    const normalisedTable = table ? normaliseRouteTable(table) : undefined;
    if (normalisedTable) routeTables.set(normalisedTable.id, normalisedTable);
    const defaultRoute = normalisedTable?.defaultRoute ?? NO_ROUTE;
    const endpointFailure = defaultRoute.type === 'vpc-endpoint' ? region.vpcEndpoints.failed.get(subnetVpc) : undefined;
    fail('subnets', endpointFailure && `default route through ${defaultRoute.id} cannot be followed: ${endpointFailure}`);
    const internet = followInternetRoute(defaultRoute, vpcTables, subnetVpc === vpcId ? endpoints : (region.vpcEndpoints.found.get(subnetVpc) ?? []));
    return [normaliseSubnet(subnet, { table: normalisedTable, association, internet })];
  });
  const natIds = new Set(
    [...[...routeTables.values()].flatMap((t) => [t.defaultRoute, ...t.routes.map((r) => r.target)]), ...subnets.map((s) => s.internetRoute)]
      .filter((t) => t.type === 'nat-gateway')
      .map((t) => t.id),
  );
  const vpcIdsOfSubnets = new Set(subnets.map((s) => s.vpcId));
  for (const id of vpcIdsOfSubnets) fail('natGateways', region.natGateways.failed.get(id));
  const natGateways = [...vpcIdsOfSubnets]
    .flatMap((id) => region.natGateways.found.get(id) ?? [])
    .filter((n) => natIds.has(n.NatGatewayId ?? '') && n.State !== 'deleted')
    .map(normaliseNatGateway);

  // Network ACLs of those subnets and of the NAT gateways' subnets.
  const aclSubnets = new Set([...subnets.map((s) => s.id), ...natGateways.map((n) => n.subnetId)]);
  for (const id of vpcIdsOfSubnets) fail('networkAcls', region.networkAcls.failed.get(id));
  const networkAcls = [...vpcIdsOfSubnets]
    .flatMap((id) => region.networkAcls.found.get(id) ?? [])
    .filter((a) => (a.Associations ?? []).some((x) => aclSubnets.has(x.SubnetId ?? '')))
    .map(normaliseNetworkAcl);

  // Security groups: cluster, additional, node group (launch template), remote access, nodes.
  const groupIds = [
    cluster.clusterSecurityGroupId,
    ...cluster.securityGroupIds,
    ...nodegroups.flatMap((n) => [...n.securityGroupIds, n.remoteAccessSecurityGroupId]),
    ...nodes.flatMap((n) => n.securityGroupIds),
    ...endpointSecurityGroupIds(endpoints),
  ].filter(Boolean);
  fail('securityGroups', firstFailure(region.securityGroups, groupIds));
  const rawGroups = [...new Set(groupIds)].flatMap((id) => {
    const group = region.securityGroups.found.get(id);
    return group ? [group] : [];
  });
  const securityGroups = rawGroups.map(normaliseSecurityGroup);
  const prefixListIds = [...new Set(prefixListIdsOf(rawGroups))];
  fail('prefixLists', firstFailure(region.prefixLists, prefixListIds));
  const prefixLists = prefixListIds.flatMap((id) => {
    const data = region.prefixLists.found.get(id);
    return data ? [normalisePrefixList(data.list, data.cidrs)] : [];
  });

  const roleName = roleNameOfArn(cluster.roleArn);
  fail('clusterRole', region.rolePolicies.failed.get(roleName));
  fail('versionSupport', region.clusterVersionsError);

  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    account: region.account,
    region: region.region,
    collectedAt: region.collectedAt,
    cluster,
    vpc: {
      id: vpcId,
      cidrBlock: vpc?.CidrBlock ?? '',
      cidrBlocks: [...new Set((vpc?.CidrBlockAssociationSet ?? []).map((a) => a.CidrBlock ?? '').filter(Boolean))].sort(),
      ipv6CidrBlocks: [...new Set((vpc?.Ipv6CidrBlockAssociationSet ?? []).map((a) => a.Ipv6CidrBlock ?? '').filter(Boolean))].sort(),
      enableDnsSupport: attributes?.enableDnsSupport ?? false,
      enableDnsHostnames: attributes?.enableDnsHostnames ?? false,
      dhcpOptions: normaliseDhcpOptions(dhcpId || 'default', region.dhcpOptions.found.get(dhcpId)),
    },
    subnets: byId(subnets),
    routeTables: byId([...routeTables.values()]),
    natGateways: byId(natGateways),
    securityGroups: byId(securityGroups),
    networkAcls: byId(networkAcls),
    vpcEndpoints: byId(endpoints.map(normaliseVpcEndpoint)),
    prefixLists: byId(prefixLists),
    nodegroups,
    fargateProfiles: eks.fargateProfiles.map(normaliseFargateProfile).sort((a, b) => a.name.localeCompare(b.name)),
    nodes,
    clusterRole: {
      arn: cluster.roleArn,
      name: roleName,
      // Unknown (read failed, or no role name) counts as existing: the error marks the section.
      exists: region.rolePolicies.found.get(roleName)?.exists ?? true,
      attachedPolicyArns: region.rolePolicies.found.get(roleName)?.attachedPolicyArns ?? [],
    },
    versionSupport: normaliseVersionSupport(cluster.version, region.clusterVersions),
    errors,
  };
}
