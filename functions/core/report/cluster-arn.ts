/** The cluster ARN the report formats name a cluster by (undefined when account or region is not a real one). */
import { clusterLocation } from '../notification/cluster-location.js';

export const clusterArnOf = (account: string, region: string, cluster: string): string | undefined => clusterLocation(account, region, cluster).clusterArn;
export { partitionOf as partitionOfRegion } from '../notification/cluster-location.js';
