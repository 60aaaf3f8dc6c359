/** Where a cluster is: its partition, ARN and EKS console link, from its account, region and name. */
import { REGION_NAME } from '../aws-names.js';

export interface ClusterLocation {
  partition: string | undefined;
  clusterArn: string | undefined;
  consoleUrl: string | undefined;
  /** Why there is no console link, when there is none. */
  noConsoleReason?: string;
}

const PARTITION_PREFIXES: [RegExp, string][] = [
  [/^cn-/, 'aws-cn'],
  [/^us-gov-/, 'aws-us-gov'],
  [/^us-iso-/, 'aws-iso'],
  [/^us-isob-/, 'aws-iso-b'],
  [/^eu-isoe-/, 'aws-iso-e'],
  [/^us-isof-/, 'aws-iso-f'],
  [/^eusc-/, 'aws-eusc'],
];

/** The partition a region belongs to, from its name; undefined for a name that is not a region. */
export function partitionOf(region: string): string | undefined {
  if (!REGION_NAME.test(region)) return undefined;
  for (const [prefix, partition] of PARTITION_PREFIXES) if (prefix.test(region)) return partition;
  return 'aws';
}

/**
 * The cluster ARN (arn:${Partition}:eks:${Region}:${Account}:cluster/${ClusterName}, per
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelastickubernetesservice.html)
 * and the EKS console link. Console hosts: aws -> <region>.console.aws.amazon.com, aws-us-gov ->
 * console.amazonaws-us-gov.com, aws-cn -> console.amazonaws.cn. Other partitions (ISO, European
 * Sovereign Cloud) get no link rather than a wrong one, and the message says why.
 */
export function clusterLocation(account: string, region: string, cluster: string): ClusterLocation {
  const partition = partitionOf(region);
  const clusterArn = partition && /^\d{12}$/.test(account) ? `arn:${partition}:eks:${region}:${account}:cluster/${cluster}` : undefined;
  const path = `/eks/home?region=${region}#/clusters/${encodeURIComponent(cluster)}`;
  switch (partition) {
    case 'aws':
      return { partition, clusterArn, consoleUrl: `https://${region}.console.aws.amazon.com${path}` };
    case 'aws-us-gov':
      return { partition, clusterArn, consoleUrl: `https://console.amazonaws-us-gov.com${path}` };
    case 'aws-cn':
      return { partition, clusterArn, consoleUrl: `https://console.amazonaws.cn${path}` };
    case undefined:
      return { partition, clusterArn, consoleUrl: undefined, noConsoleReason: `"${region}" is not a recognised AWS region name` };
    default:
      return { partition, clusterArn, consoleUrl: undefined, noConsoleReason: `eksguard has no console address for partition ${partition}` };
  }
}
