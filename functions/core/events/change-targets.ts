/**
 * Which clusters a batch of CloudTrail change events (./cloudtrail-events.ts) may have changed:
 * one target per region, so that a burst of calls (one `terraform apply`) becomes one scan per
 * affected cluster. Pure.
 *
 * Decisions:
 * - EC2 calls are matched by the ids they touch against what each stored snapshot references. A
 *   call whose target cannot be known from the event (DisassociateRouteTable,
 *   ReplaceRouteTableAssociation and ReplaceNetworkAclAssociation carry only an association id
 *   for the subnet they move; a call that named no id) re-scans
 *   every known cluster of its region. A call that no stored snapshot references cannot change a
 *   known cluster and targets nothing; but a region where the state has no record at all (never
 *   scanned, or state lost) is unknown, so any EC2 call there re-scans the whole region ('all').
 * - IAM calls arrive in us-east-1 but concern clusters anywhere: a role is matched against the
 *   records of every region. The regions considered are `options.regions` (the scan's configured
 *   regions) when given, where a region without records gets 'all' as above; else the regions the
 *   records are in.
 * - EKS calls target the named cluster directly, known or not (CreateCluster: the new cluster;
 *   DeleteCluster: the deleted one, which the scan then finds gone).
 * - Records are matched within the event's account; records marked deleted are ignored; a live
 *   record without a snapshot (its first collection failed) has unknown references and is
 *   re-scanned by every EC2 or IAM call that could concern it.
 * - With `options.regions`, targets outside those regions are dropped (the scan does not cover them).
 */
import type { ClusterRecord } from '../drift/record.js';
import type { ClusterSnapshot } from '../snapshot/schema.js';
import { roleNameOfArn } from '../aws-names.js';
import type { ChangeEvent, Ec2EventName } from './cloudtrail-events.js';

/** EC2 calls whose event does not say which subnet they affect: they re-scan the whole (known) region. */
export const REGION_WIDE_EVENT_NAMES: ReadonlySet<Ec2EventName> = new Set(['DisassociateRouteTable', 'ReplaceNetworkAclAssociation', 'ReplaceRouteTableAssociation']);

/** What to re-scan in one region: named clusters, or the whole region. */
export interface ChangeTarget {
  region: string;
  clusterNames: string[] | 'all';
}

export interface TargetOptions {
  /** The regions the scan covers: IAM calls consider them all; targets elsewhere are dropped. */
  regions?: readonly string[];
}

/** Every resource a snapshot references, as change events name them ("role/<name>" for the cluster role). */
export function referencedIds(snapshot: ClusterSnapshot): Set<string> {
  const ids = new Set<string>();
  const add = (...values: (string | undefined)[]) => {
    for (const value of values) if (value && value !== 'local' && value !== 'default') ids.add(value);
  };
  const { cluster } = snapshot;
  add(cluster.vpcId, cluster.clusterSecurityGroupId, ...cluster.subnetIds, ...cluster.securityGroupIds);
  add(snapshot.vpc.id, snapshot.vpc.dhcpOptions.id);
  add(...Object.keys(snapshot.subnets), ...Object.keys(snapshot.routeTables), ...Object.keys(snapshot.natGateways), ...Object.keys(snapshot.securityGroups));
  for (const subnet of Object.values(snapshot.subnets)) add(subnet.routeTableId, subnet.defaultRoute.id, subnet.defaultIpv6Route.id);
  for (const table of Object.values(snapshot.routeTables)) add(...table.routes.map((route) => route.target.id));
  for (const nodegroup of snapshot.nodegroups) {
    add(...nodegroup.subnetIds, ...nodegroup.securityGroupIds, ...nodegroup.sshSourceSecurityGroups, nodegroup.remoteAccessSecurityGroupId);
  }
  for (const profile of snapshot.fargateProfiles) add(...profile.subnetIds);
  add(...Object.keys(snapshot.networkAcls), ...Object.keys(snapshot.vpcEndpoints), ...Object.keys(snapshot.prefixLists));
  for (const node of snapshot.nodes) add(node.subnetId, ...node.securityGroupIds);
  for (const role of [snapshot.clusterRole.name, roleNameOfArn(cluster.roleArn)]) {
    if (role) ids.add(`role/${role}`);
  }
  return ids;
}

/**
 * The clusters a batch of change events may have changed, per region, de-duplicated and sorted:
 * a burst of calls about the same resources yields one target per cluster.
 */
export function targetsOf(events: readonly ChangeEvent[], records: readonly ClusterRecord[], options: TargetOptions = {}): ChangeTarget[] {
  const byRegion = new Map<string, Set<string> | 'all'>();
  const target = (region: string, names: Iterable<string> | 'all') => {
    const current = byRegion.get(region);
    if (current === 'all') return;
    if (names === 'all') {
      byRegion.set(region, 'all');
      return;
    }
    const set = current ?? new Set<string>();
    for (const name of names) set.add(name);
    byRegion.set(region, set);
  };

  const references = new Map<ClusterRecord, Set<string> | undefined>();
  const referencesOf = (record: ClusterRecord) => {
    if (!references.has(record)) references.set(record, record.snapshot ? referencedIds(record.snapshot) : undefined);
    return references.get(record);
  };

  /** Re-scans, in one region, the known clusters an EC2 or IAM call may concern. */
  const matchRegion = (event: ChangeEvent, region: string) => {
    const inRegion = records.filter((r) => r.account === event.account && r.region === region);
    if (inRegion.length === 0) return target(region, 'all');
    const live = inRegion.filter((r) => !r.deletedAt);
    const everyCluster = event.eventSource === 'ec2.amazonaws.com' && (REGION_WIDE_EVENT_NAMES.has(event.eventName as Ec2EventName) || event.resourceIds.length === 0);
    target(
      region,
      live
        .filter((record) => {
          const ids = referencesOf(record);
          return everyCluster || ids === undefined || event.resourceIds.some((id) => ids.has(id));
        })
        .map((r) => r.cluster),
    );
  };

  for (const event of events) {
    switch (event.eventSource) {
      case 'eks.amazonaws.com':
        target(event.region, event.clusterNames);
        break;
      case 'ec2.amazonaws.com':
        matchRegion(event, event.region);
        break;
      case 'iam.amazonaws.com': {
        const regions = options.regions ?? records.filter((r) => r.account === event.account).map((r) => r.region);
        for (const region of new Set(regions)) matchRegion(event, region);
        break;
      }
    }
  }

  const allowed = options.regions ? new Set(options.regions) : undefined;
  return [...byRegion.entries()]
    .filter(([region, names]) => (!allowed || allowed.has(region)) && (names === 'all' || names.size > 0))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([region, names]) => ({ region, clusterNames: names === 'all' ? 'all' : [...names].sort() }));
}
