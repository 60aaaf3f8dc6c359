import type { ClusterSnapshot } from './schema.js';

/** A cluster found by the scan: either snapshotted, or listed but unreadable (DescribeCluster failed). */
export type ScanTarget = { kind: 'snapshot'; snapshot: ClusterSnapshot } | { kind: 'unreadable'; account: string; region: string; cluster: string; reason: string };

export function targetIdentity(target: ScanTarget): { account: string; region: string; cluster: string } {
  return target.kind === 'snapshot'
    ? { account: target.snapshot.account, region: target.snapshot.region, cluster: target.snapshot.cluster.name }
    : { account: target.account, region: target.region, cluster: target.cluster };
}

export function compareTargets(a: ScanTarget, b: ScanTarget): number {
  const x = targetIdentity(a);
  const y = targetIdentity(b);
  return x.account.localeCompare(y.account) || x.region.localeCompare(y.region) || x.cluster.localeCompare(y.cluster);
}
