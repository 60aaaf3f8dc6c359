/** EKS reads: every page of every list, one DescribeX per item. */
import {
  DescribeClusterCommand,
  DescribeFargateProfileCommand,
  DescribeNodegroupCommand,
  paginateDescribeClusterVersions,
  paginateListClusters,
  paginateListFargateProfiles,
  paginateListNodegroups,
  type Cluster,
  type ClusterVersionInformation,
  type EKSClient,
  type FargateProfile,
  type Nodegroup,
} from '@aws-sdk/client-eks';
import { mapLimit } from './concurrency.js';
import { describeError } from './lookup.js';

export interface EksClusterData {
  name: string;
  cluster?: Cluster;
  /** DescribeCluster failed: nothing is known about the cluster. */
  error?: string;
  /** Deleted between ListClusters and DescribeCluster: not a cluster any more. */
  vanished?: boolean;
  nodegroups: Nodegroup[];
  nodegroupsError?: string;
  fargateProfiles: FargateProfile[];
  fargateProfilesError?: string;
}

export async function listClusterNames(eks: EKSClient): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateListClusters({ client: eks, pageSize: 100 }, {})) names.push(...(page.clusters ?? []));
  return names;
}

export async function readClusterVersions(eks: EKSClient): Promise<ClusterVersionInformation[]> {
  const versions: ClusterVersionInformation[] = [];
  for await (const page of paginateDescribeClusterVersions({ client: eks, pageSize: 100 }, { includeAll: true })) {
    versions.push(...(page.clusterVersions ?? []));
  }
  return versions;
}

/** A node group or Fargate profile deleted between List and Describe (node group rotation) is gone, not an error. */
async function unlessVanished<T>(describe: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await describe();
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

async function readNodegroups(eks: EKSClient, clusterName: string, concurrency: number): Promise<Nodegroup[]> {
  const names: string[] = [];
  for await (const page of paginateListNodegroups({ client: eks, pageSize: 100 }, { clusterName })) names.push(...(page.nodegroups ?? []));
  const described = await mapLimit(names, concurrency, (nodegroupName) =>
    unlessVanished(async () => (await eks.send(new DescribeNodegroupCommand({ clusterName, nodegroupName }))).nodegroup),
  );
  return described.filter((n): n is Nodegroup => n !== undefined);
}

async function readFargateProfiles(eks: EKSClient, clusterName: string, concurrency: number): Promise<FargateProfile[]> {
  const names: string[] = [];
  for await (const page of paginateListFargateProfiles({ client: eks, pageSize: 100 }, { clusterName })) {
    names.push(...(page.fargateProfileNames ?? []));
  }
  const described = await mapLimit(names, concurrency, (fargateProfileName) =>
    unlessVanished(async () => (await eks.send(new DescribeFargateProfileCommand({ clusterName, fargateProfileName }))).fargateProfile),
  );
  return described.filter((f): f is FargateProfile => f !== undefined);
}

/**
 * One cluster: DescribeCluster, ListNodegroups and ListFargateProfiles need only its name, so
 * they start together; the Describe calls of the lists follow. A chain of 2 dependent calls.
 */
export async function readCluster(eks: EKSClient, name: string, concurrency = 4): Promise<EksClusterData> {
  const data: EksClusterData = { name, nodegroups: [], fargateProfiles: [] };
  const [described, nodegroups, fargate] = await Promise.allSettled([
    eks.send(new DescribeClusterCommand({ name })),
    readNodegroups(eks, name, concurrency),
    readFargateProfiles(eks, name, concurrency),
  ]);
  if (described.status === 'rejected' || !described.value.cluster) {
    const error = described.status === 'rejected' ? described.reason : new Error('DescribeCluster returned no cluster');
    if ((error as Error).name === 'ResourceNotFoundException') data.vanished = true;
    data.error = describeError(error, 'eks:DescribeCluster');
    return data;
  }
  data.cluster = described.value.cluster;
  if (nodegroups.status === 'fulfilled') data.nodegroups = nodegroups.value;
  else data.nodegroupsError = describeError(nodegroups.reason, 'eks:ListNodegroups/DescribeNodegroup');
  if (fargate.status === 'fulfilled') data.fargateProfiles = fargate.value;
  else data.fargateProfilesError = describeError(fargate.reason, 'eks:ListFargateProfiles/DescribeFargateProfile');
  return data;
}
