/**
 * Field-level drift between two snapshots of one cluster, in words a person can act on.
 * Only the wiring the policies care about is tracked; counters (free IPs, desired size),
 * timestamps, AWS-managed values (platform version, support dates), the running instances
 * (autoscaling churn) and tags outside the tracked set are noise, not drift.
 */
import { protocolName } from '../snapshot/protocols.js';
import type { ClusterSnapshot, NetworkAclEntry, SecurityGroupRule, Section } from '../snapshot/schema.js';

export interface Change {
  path: string;
  before: unknown;
  after: unknown;
  summary: string;
}

export interface DiffOptions {
  /** Cluster tag keys whose changes count as drift (default none). */
  trackedTags?: readonly string[];
}

type Json = unknown;
const same = (a: Json, b: Json) => JSON.stringify(a) === JSON.stringify(b);
const show = (v: Json) => (Array.isArray(v) ? (v.length ? v.join(', ') : '(none)') : v === '' || v === undefined || v === null ? '(none)' : String(v));

class ChangeList {
  readonly changes: Change[] = [];

  value(path: string, label: string, before: Json, after: Json): void {
    if (!same(before, after)) this.changes.push({ path, before, after, summary: `${label} changed: ${show(before)} -> ${show(after)}` });
  }

  /** Elements added to and removed from a set, one change each. */
  set(path: string, label: string, before: readonly string[], after: readonly string[]): void {
    const was = new Set(before);
    const now = new Set(after);
    for (const item of after) if (!was.has(item)) this.changes.push({ path, before: null, after: item, summary: `${label} added: ${item}` });
    for (const item of before) if (!now.has(item)) this.changes.push({ path, before: item, after: null, summary: `${label} removed: ${item}` });
  }

  /** A keyed collection: added and removed members, then `each` for members on both sides. */
  keyed<T>(path: string, label: string, before: Record<string, T>, after: Record<string, T>, each: (id: string, a: T, b: T) => void): void {
    for (const id of Object.keys(after)) if (!(id in before)) this.changes.push({ path: `${path}.${id}`, before: null, after: id, summary: `${label} ${id} added` });
    for (const id of Object.keys(before)) if (!(id in after)) this.changes.push({ path: `${path}.${id}`, before: id, after: null, summary: `${label} ${id} removed` });
    for (const id of Object.keys(after)) if (id in before) each(id, before[id]!, after[id]!);
  }
}

export function describeRule(rule: SecurityGroupRule, direction: 'ingress' | 'egress'): string {
  const protocol = rule.protocol === '-1' ? 'all traffic' : rule.protocol;
  const ports = rule.protocol === '-1' ? '' : rule.fromPort === rule.toPort ? ` ${rule.fromPort}` : ` ${rule.fromPort}-${rule.toPort}`;
  return `${protocol}${ports} ${direction === 'ingress' ? 'from' : 'to'} ${rule.source}`;
}

/** "inbound rule 90: deny tcp 10250 from 10.0.0.0/16" (protocol numbers as AWS returns them: 6 is TCP). */
export function describeAclEntry(entry: NetworkAclEntry): string {
  const protocol = entry.protocol === '-1' ? 'all traffic' : protocolName(entry.protocol);
  const ports = entry.protocol === '-1' ? '' : entry.fromPort === entry.toPort ? ` ${entry.fromPort}` : ` ${entry.fromPort}-${entry.toPort}`;
  return `${entry.egress ? 'outbound' : 'inbound'} rule ${entry.ruleNumber}: ${entry.action} ${protocol}${ports} ${entry.egress ? 'to' : 'from'} ${entry.cidr}`;
}

const byName = <T extends { name: string }>(items: readonly T[]) => Object.fromEntries(items.map((i) => [i.name, i]));
const target = (t: { type: string; id: string }) => (t.type === 'none' ? 'none' : `${t.type} ${t.id}`);

/**
 * Changes from `before` to `after`. Sections that could not be read in either snapshot are not
 * compared: an unreadable section is a collection error, not drift.
 */
export function diffSnapshots(before: ClusterSnapshot, after: ClusterSnapshot, options: DiffOptions = {}): Change[] {
  const readable = (section: Section) => before.errors[section] === undefined && after.errors[section] === undefined;
  const out = new ChangeList();
  const [b, a] = [before.cluster, after.cluster];

  if (readable('cluster')) {
    out.value('cluster.endpoint.publicAccess', 'public endpoint access', b.endpoint.publicAccess, a.endpoint.publicAccess);
    out.value('cluster.endpoint.privateAccess', 'private endpoint access', b.endpoint.privateAccess, a.endpoint.privateAccess);
    out.set('cluster.endpoint.publicAccessCidrs', 'public access CIDR', b.endpoint.publicAccessCidrs, a.endpoint.publicAccessCidrs);
    out.value('cluster.version', 'Kubernetes version', b.version, a.version);
    out.value('cluster.roleArn', 'cluster role', b.roleArn, a.roleArn);
    out.set('cluster.subnetIds', 'control-plane subnet', b.subnetIds, a.subnetIds);
    out.set('cluster.securityGroupIds', 'additional security group', b.securityGroupIds, a.securityGroupIds);
    out.value('cluster.clusterSecurityGroupId', 'cluster security group', b.clusterSecurityGroupId, a.clusterSecurityGroupId);
    out.set(
      'cluster.encryptionConfig',
      'encryption',
      b.encryptionConfig.map((e) => `${e.resources.join('+')} with ${e.keyArn}`),
      a.encryptionConfig.map((e) => `${e.resources.join('+')} with ${e.keyArn}`),
    );
    out.set('cluster.enabledLogTypes', 'control-plane log type', b.enabledLogTypes, a.enabledLogTypes);
    out.value('cluster.authenticationMode', 'authentication mode', b.authenticationMode, a.authenticationMode);
    out.value('cluster.deletionProtection', 'deletion protection', b.deletionProtection, a.deletionProtection);
    for (const key of options.trackedTags ?? []) out.value(`cluster.tags.${key}`, `tag ${key}`, b.tags[key] ?? '', a.tags[key] ?? '');
  }
  if (readable('vpc')) {
    out.value('vpc.enableDnsSupport', `VPC ${a.vpcId} enableDnsSupport`, before.vpc.enableDnsSupport, after.vpc.enableDnsSupport);
    out.value('vpc.enableDnsHostnames', `VPC ${a.vpcId} enableDnsHostnames`, before.vpc.enableDnsHostnames, after.vpc.enableDnsHostnames);
    out.value('vpc.dhcpOptions.id', `VPC ${a.vpcId} DHCP option set`, before.vpc.dhcpOptions.id, after.vpc.dhcpOptions.id);
    out.set('vpc.dhcpOptions.domainNameServers', `VPC ${a.vpcId} DNS server`, before.vpc.dhcpOptions.domainNameServers, after.vpc.dhcpOptions.domainNameServers);
  }
  if (readable('subnets')) {
    out.keyed('subnets', 'subnet', before.subnets, after.subnets, (id, x, y) => {
      out.value(`subnets.${id}.routeTableId`, `subnet ${id} route table`, x.routeTableId, y.routeTableId);
      out.value(`subnets.${id}.defaultRoute`, `subnet ${id} default route`, target(x.defaultRoute), target(y.defaultRoute));
      out.value(`subnets.${id}.defaultIpv6Route`, `subnet ${id} IPv6 default route`, target(x.defaultIpv6Route), target(y.defaultIpv6Route));
      out.value(`subnets.${id}.mapPublicIpOnLaunch`, `subnet ${id} mapPublicIpOnLaunch`, x.mapPublicIpOnLaunch, y.mapPublicIpOnLaunch);
    });
  }
  if (readable('natGateways')) {
    out.keyed('natGateways', 'NAT gateway', before.natGateways, after.natGateways, (id, x, y) =>
      out.set(`natGateways.${id}.publicIps`, `NAT gateway ${id} public IP`, x.publicIps, y.publicIps),
    );
  }
  if (readable('securityGroups')) {
    out.keyed('securityGroups', 'security group', before.securityGroups, after.securityGroups, (id, x, y) => {
      out.set(
        `securityGroups.${id}.ingress`,
        `security group ${id} ingress rule`,
        x.ingress.map((r) => describeRule(r, 'ingress')),
        y.ingress.map((r) => describeRule(r, 'ingress')),
      );
      out.set(
        `securityGroups.${id}.egress`,
        `security group ${id} egress rule`,
        x.egress.map((r) => describeRule(r, 'egress')),
        y.egress.map((r) => describeRule(r, 'egress')),
      );
    });
  }
  if (readable('networkAcls')) {
    out.keyed('networkAcls', 'network ACL', before.networkAcls, after.networkAcls, (id, x, y) => {
      out.set(`networkAcls.${id}.subnetIds`, `network ACL ${id} subnet`, x.subnetIds, y.subnetIds);
      out.set(`networkAcls.${id}.entries`, `network ACL ${id}`, x.entries.map(describeAclEntry), y.entries.map(describeAclEntry));
    });
  }
  if (readable('vpcEndpoints')) {
    out.keyed('vpcEndpoints', 'VPC endpoint', before.vpcEndpoints, after.vpcEndpoints, (id, x, y) => {
      out.value(`vpcEndpoints.${id}.state`, `VPC endpoint ${id} (${y.serviceName}) state`, x.state, y.state);
      out.value(`vpcEndpoints.${id}.privateDnsEnabled`, `VPC endpoint ${id} (${y.serviceName}) private DNS`, x.privateDnsEnabled, y.privateDnsEnabled);
      out.set(`vpcEndpoints.${id}.subnetIds`, `VPC endpoint ${id} (${y.serviceName}) subnet`, x.subnetIds, y.subnetIds);
      out.set(`vpcEndpoints.${id}.securityGroupIds`, `VPC endpoint ${id} (${y.serviceName}) security group`, x.securityGroupIds, y.securityGroupIds);
      out.set(`vpcEndpoints.${id}.routeTableIds`, `VPC endpoint ${id} (${y.serviceName}) route table`, x.routeTableIds, y.routeTableIds);
    });
  }
  if (readable('prefixLists')) {
    out.keyed('prefixLists', 'prefix list', before.prefixLists, after.prefixLists, (id, x, y) =>
      out.set(`prefixLists.${id}.cidrs`, `prefix list ${id} (${y.name}) entry`, x.cidrs, y.cidrs),
    );
  }
  if (readable('nodegroups')) {
    out.keyed('nodegroups', 'node group', byName(before.nodegroups), byName(after.nodegroups), (name, x, y) => {
      out.set(`nodegroups.${name}.subnetIds`, `node group ${name} subnet`, x.subnetIds, y.subnetIds);
      out.set(`nodegroups.${name}.securityGroupIds`, `node group ${name} security group`, x.securityGroupIds, y.securityGroupIds);
      out.value(`nodegroups.${name}.nodeRole`, `node group ${name} node role`, x.nodeRole, y.nodeRole);
      out.value(`nodegroups.${name}.ec2SshKey`, `node group ${name} SSH key`, x.ec2SshKey, y.ec2SshKey);
      out.set(`nodegroups.${name}.sshSourceSecurityGroups`, `node group ${name} SSH source security group`, x.sshSourceSecurityGroups, y.sshSourceSecurityGroups);
      out.value(
        `nodegroups.${name}.launchTemplate`,
        `node group ${name} launch template`,
        `${x.launchTemplateId}:${x.launchTemplateVersion}`,
        `${y.launchTemplateId}:${y.launchTemplateVersion}`,
      );
    });
  }
  if (readable('fargateProfiles')) {
    out.keyed('fargateProfiles', 'Fargate profile', byName(before.fargateProfiles), byName(after.fargateProfiles), (name, x, y) =>
      out.set(`fargateProfiles.${name}.subnetIds`, `Fargate profile ${name} subnet`, x.subnetIds, y.subnetIds),
    );
  }
  if (readable('clusterRole')) {
    out.set('clusterRole.attachedPolicyArns', `cluster role ${after.clusterRole.name} managed policy`, before.clusterRole.attachedPolicyArns, after.clusterRole.attachedPolicyArns);
  }
  return out.changes;
}
