/**
 * Lower bounds of a scan of one region of a world, from what the APIs allow:
 * - minimum calls per operation: list pages (EKS pages of 100), one Describe per cluster, node
 *   group and Fargate profile, one DescribeLaunchTemplateVersions per template (it takes one id),
 *   two DescribeVpcAttribute per VPC, EC2 look-ups by filter at 200 values per call (and 1,000
 *   results per page), one ListAttachedRolePolicies per role, one GetCallerIdentity;
 * - rate bound: per service, (calls - burst) / refill, the slowest service;
 * - latency bound: the dependent calls a scanner with `concurrency` clusters in flight cannot
 *   overlap: the ListClusters pages, then per cluster the chain DescribeCluster (with the lists
 *   beside it) -> DescribeNodegroup -> DescribeLaunchTemplateVersions (when node groups use
 *   launch templates), in ceil(clusters / concurrency) waves, then the region-wide EC2 round that
 *   needs the launch templates' security groups.
 */
import type { World } from '../simulator/world.js';

export type Calls = Record<string, number>;

const pagesOf = (items: number, pageSize: number) => Math.max(1, Math.ceil(items / pageSize));
const byFilter = (ids: number, results = ids) => (ids === 0 ? 0 : Math.max(Math.ceil(ids / 200), Math.ceil(results / 1000)));

export function minimumCalls(world: World, region: string): Calls {
  const r = world.regions[region];
  if (!r) return { 'sts:GetCallerIdentity': 1, 'eks:ListClusters': 1 };
  const clusters = r.clusters;
  const nodegroups = clusters.flatMap((c) => c.nodegroups);
  const fargate = clusters.flatMap((c) => c.fargateProfiles);
  const vpcIds = new Set(clusters.map((c) => c.vpcId));
  const templates = new Set(nodegroups.map((n) => n.launchTemplate?.id).filter(Boolean));
  const names = new Set(clusters.map((c) => c.name));
  const instances = r.instances.filter((i) => i.state === 'running' && Object.keys(i.tags).some((k) => names.has(k.replace('kubernetes.io/cluster/', ''))));
  const subnetIds = new Set([
    ...clusters.flatMap((c) => c.subnetIds),
    ...nodegroups.flatMap((n) => n.subnets),
    ...fargate.flatMap((f) => f.subnets),
    ...instances.map((i) => i.subnetId),
  ]);
  const groupIds = new Set(
    [
      ...clusters.flatMap((c) => [c.clusterSecurityGroupId ?? '', ...c.securityGroupIds]),
      ...r.launchTemplates.filter((t) => templates.has(t.id)).flatMap((t) => Object.values(t.versions).flatMap((v) => v.securityGroupIds ?? [])),
      ...instances.flatMap((i) => i.securityGroupIds),
    ].filter(Boolean),
  );
  const dhcp = new Set(
    r.vpcs
      .filter((v) => vpcIds.has(v.id))
      .map((v) => v.dhcpOptionsId)
      .filter((id) => id && id !== 'default'),
  );
  const tablesOfVpcs = r.routeTables.filter((t) => vpcIds.has(t.vpcId)).length;
  const calls: Calls = {
    'sts:GetCallerIdentity': 1,
    'eks:ListClusters': pagesOf(clusters.length, 100),
    'eks:DescribeClusterVersions': pagesOf(r.clusterVersions.length, 100),
    'eks:DescribeCluster': clusters.length,
    'eks:ListNodegroups': clusters.reduce((n, c) => n + pagesOf(c.nodegroups.length, 100), 0),
    'eks:DescribeNodegroup': nodegroups.length,
    'eks:ListFargateProfiles': clusters.reduce((n, c) => n + pagesOf(c.fargateProfiles.length, 100), 0),
    'eks:DescribeFargateProfile': fargate.length,
    'ec2:DescribeLaunchTemplateVersions': templates.size,
    'ec2:DescribeInstances': byFilter(clusters.length, instances.length),
    'ec2:DescribeVpcs': byFilter(vpcIds.size),
    'ec2:DescribeVpcAttribute': 2 * vpcIds.size,
    'ec2:DescribeRouteTables': Math.max(byFilter(vpcIds.size), Math.ceil(tablesOfVpcs / 100)),
    'ec2:DescribeNatGateways': byFilter(vpcIds.size),
    'ec2:DescribeNetworkAcls': byFilter(vpcIds.size),
    'ec2:DescribeVpcEndpoints': byFilter(vpcIds.size),
    'ec2:DescribeSubnets': byFilter(subnetIds.size),
    'ec2:DescribeSecurityGroups': byFilter(groupIds.size),
    'ec2:DescribeDhcpOptions': byFilter(dhcp.size),
    'iam:ListAttachedRolePolicies': new Set(clusters.map((c) => c.roleArn.split('/').pop())).size,
  };
  return Object.fromEntries(Object.entries(calls).filter(([, n]) => n > 0));
}

export interface Bucket {
  burst: number;
  refillPerSecond: number;
}

export function perService(calls: Calls): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [op, n] of Object.entries(calls)) {
    const service = op.split(':')[0]!;
    out[service] = (out[service] ?? 0) + n;
  }
  return out;
}

/** Seconds: the slowest service's (calls - burst) / refill. */
export function rateBoundSeconds(calls: Calls, buckets: Partial<Record<string, Bucket>>): { seconds: number; service: string } {
  let worst = { seconds: 0, service: '-' };
  for (const [service, n] of Object.entries(perService(calls))) {
    const bucket = buckets[service];
    if (!bucket) continue;
    const seconds = Math.max(0, n - bucket.burst) / bucket.refillPerSecond;
    if (seconds > worst.seconds) worst = { seconds, service };
  }
  return worst;
}

export function latencyBoundSeconds(world: World, region: string, latencyMs: number, concurrency: number): { seconds: number; chain: number } {
  const clusters = world.regions[region]?.clusters ?? [];
  const usesTemplates = clusters.some((c) => c.nodegroups.some((n) => n.launchTemplate));
  const hasNodegroups = clusters.some((c) => c.nodegroups.length > 0);
  const chain = 1 + (hasNodegroups ? 1 : 0) + (usesTemplates ? 1 : 0);
  const waves = Math.ceil(clusters.length / concurrency);
  const listPages = pagesOf(clusters.length, 100);
  const regionRound = 1;
  return { seconds: ((listPages + chain * waves + regionRound) * latencyMs) / 1000, chain };
}
