/**
 * Collects one snapshot per EKS cluster of a region: EKS per cluster (bounded concurrency),
 * then EC2 and IAM in de-duplicated batches across all clusters, then pure assembly.
 */
import type * as EKS from '@aws-sdk/client-eks';
import type { CollectRequest, RegionCollection } from '../app/ports.js';
import type { ScanTarget } from '../core/snapshot/target.js';
import type { RegionClients } from './aws-clients.js';
import { assembleSnapshot, endpointSecurityGroupIds, launchTemplateRef, prefixListIdsOf, subnetIdsOf, type RegionLookups } from './assemble-snapshot.js';
import { mapLimit } from './concurrency.js';
import {
  dhcpOptionsById,
  instancesByCluster,
  launchTemplateKey,
  launchTemplateNetworks,
  natGatewaysByVpc,
  routeTablesByVpc,
  securityGroupsById,
  subnetsById,
  vpcDnsAttributes,
  vpcsById,
} from './ec2-reader.js';
import { networkAclsByVpc, prefixListsById, vpcEndpointsByVpc } from './ec2-network-reader.js';
import { listClusterNames, readCluster, readClusterVersions, type EksClusterData } from './eks-reader.js';
import { attachedPoliciesByRole } from './iam-reader.js';
import { roleNameOfArn } from '../core/aws-names.js';
import { describeError } from './lookup.js';
import { NOT_SCANNED_TIME_BUDGET, TimeBudget } from './time-budget.js';

/** Clusters in flight per region: `npm run bench` measured 32 as the knee with 30 ms latency. */
export const DEFAULT_CONCURRENCY = 32;

/**
 * Of the time left, the share kept for the region-wide EC2/IAM reads after the last cluster
 * starts (about one EC2 call per cluster, for its launch template, at EC2's pace).
 */
const REGION_PHASE_SHARE = 0.4;
const REGION_PHASE_MAX_MS = 60_000;

/** Collection of one region by the SDK clients: the port's request plus the clients' time budget. */
export interface CollectOptions extends CollectRequest {
  /** The scan's deadline (the same object the clients were built with). */
  budget?: TimeBudget;
}

/** `names` with `first` (those among them) at the front, in that order. */
export function prioritise(names: readonly string[], first: readonly string[] = []): string[] {
  const present = new Set(names);
  const front = [...new Set(first)].filter((n) => present.has(n));
  const inFront = new Set(front);
  return [...front, ...names.filter((n) => !inFront.has(n))];
}

type ReadableCluster = EksClusterData & { cluster: EKS.Cluster };

export async function collectRegion(clients: RegionClients, options: CollectOptions): Promise<RegionCollection> {
  const { region } = clients;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const progress = options.onProgress ?? (() => {});
  const budget = options.budget ?? new TimeBudget();

  let names: string[];
  try {
    names = options.clusterNames ? [...options.clusterNames] : await listClusterNames(clients.eks);
  } catch (error) {
    return { region, targets: [], errors: [{ region, message: describeError(error, 'eks:ListClusters') }], vanished: [] };
  }
  progress(`${region}: ${names.length} cluster(s)`);
  names = prioritise(names, options.firstClusters);

  // No cluster starts after this: what is left is for the region-wide reads that follow.
  const lastStart = budget.deadline - Math.min(REGION_PHASE_MAX_MS, Math.max(0, budget.remaining()) * REGION_PHASE_SHARE);
  const unreached: string[] = [];
  let described = 0;
  const [eksData, versions] = await Promise.all([
    mapLimit(names, concurrency, async (name): Promise<EksClusterData | undefined> => {
      if (budget.now() >= lastStart) {
        unreached.push(name);
        return undefined;
      }
      const data = await readCluster(clients.eks, name);
      described++;
      if (described % 25 === 0) progress(`${region}: described ${described}/${names.length} clusters`);
      return data;
    }),
    readClusterVersions(clients.eks).then(
      (list) => ({ list, error: undefined }),
      (error: unknown) => ({ list: [] as EKS.ClusterVersionInformation[], error: describeError(error, 'eks:DescribeClusterVersions') }),
    ),
  ]);

  const targets: ScanTarget[] = [];
  const readable: ReadableCluster[] = [];
  const vanished: string[] = [];
  for (const name of unreached) targets.push({ kind: 'unreadable', account: options.account, region, cluster: name, reason: NOT_SCANNED_TIME_BUDGET });
  if (unreached.length) progress(`${region}: ${unreached.length} cluster(s) not scanned: time budget`);
  for (const data of eksData) {
    if (!data) continue;
    // A cluster deleted since ListClusters (or asked for by name and not found) is simply gone.
    if (data.vanished) {
      vanished.push(data.name);
      continue;
    }
    if (data.cluster && !data.error) readable.push(data as ReadableCluster);
    else targets.push({ kind: 'unreadable', account: options.account, region, cluster: data.name, reason: data.error ?? 'no data' });
  }

  const vpcIds = readable.map((c) => c.cluster.resourcesVpcConfig?.vpcId ?? '');
  const [launchTemplates, instances, vpcs, vpcAttributes, routeTables, natGateways, networkAcls, vpcEndpoints, rolePolicies] = await Promise.all([
    // One call per template (the API takes one): as many in flight as clusters.
    launchTemplateNetworks(
      clients.ec2,
      readable.flatMap((c) => c.nodegroups.map(launchTemplateRef).filter((r) => r !== undefined)),
      concurrency,
    ),
    instancesByCluster(
      clients.ec2,
      readable.map((c) => c.name),
    ),
    vpcsById(clients.ec2, vpcIds),
    vpcDnsAttributes(clients.ec2, vpcIds),
    routeTablesByVpc(clients.ec2, vpcIds),
    natGatewaysByVpc(clients.ec2, vpcIds),
    networkAclsByVpc(clients.ec2, vpcIds),
    vpcEndpointsByVpc(clients.ec2, vpcIds),
    attachedPoliciesByRole(
      clients.iam,
      readable.map((c) => roleNameOfArn(c.cluster.roleArn ?? '')),
    ),
  ]);

  const instancesOf = (c: ReadableCluster) => instances.found.get(c.name) ?? [];
  const groupIds = readable.flatMap((c) => [
    c.cluster.resourcesVpcConfig?.clusterSecurityGroupId ?? '',
    ...(c.cluster.resourcesVpcConfig?.securityGroupIds ?? []),
    ...c.nodegroups.flatMap((n) => {
      const ref = launchTemplateRef(n);
      return [...(ref ? (launchTemplates.found.get(launchTemplateKey(ref))?.securityGroupIds ?? []) : []), n.resources?.remoteAccessSecurityGroup ?? ''];
    }),
    ...instancesOf(c).flatMap((i) => (i.SecurityGroups ?? []).map((g) => g.GroupId ?? '')),
    ...endpointSecurityGroupIds(vpcEndpoints.found.get(c.cluster.resourcesVpcConfig?.vpcId ?? '') ?? []),
  ]);
  const [subnets, securityGroups, dhcpOptions] = await Promise.all([
    subnetsById(
      clients.ec2,
      readable.flatMap((c) => subnetIdsOf(c, instancesOf(c))),
    ),
    securityGroupsById(clients.ec2, groupIds),
    dhcpOptionsById(
      clients.ec2,
      [...vpcs.found.values()].map((v) => v.DhcpOptionsId ?? '').filter((id) => id !== 'default'),
    ),
  ]);
  // Prefix lists are known only once the security groups that reference them are read.
  const prefixLists = await prefixListsById(clients.ec2, prefixListIdsOf(securityGroups.found.values()));

  const lookups: RegionLookups = {
    account: options.account,
    region,
    collectedAt: options.now.toISOString(),
    clusterVersions: versions.list,
    ...(versions.error ? { clusterVersionsError: versions.error } : {}),
    vpcs,
    vpcAttributes,
    dhcpOptions,
    subnets,
    routeTables,
    natGateways,
    securityGroups,
    networkAcls,
    vpcEndpoints,
    prefixLists,
    launchTemplates,
    instances,
    rolePolicies,
  };
  for (const data of readable) targets.push({ kind: 'snapshot', snapshot: assembleSnapshot(data, lookups) });
  progress(`${region}: ${targets.length} cluster(s) collected`);
  return { region, targets, errors: [], vanished };
}
