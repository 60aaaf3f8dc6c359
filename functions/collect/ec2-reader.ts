/**
 * Batched EC2 reads for all clusters of a region. Look-ups by id use filters rather than id
 * parameters: an id parameter that names a deleted resource fails the whole call
 * (InvalidSubnetID.NotFound), a filter just leaves it out, so one stale reference cannot hide
 * the resources of every other cluster.
 */
import {
  DescribeLaunchTemplateVersionsCommand,
  DescribeVpcAttributeCommand,
  paginateDescribeDhcpOptions,
  paginateDescribeInstances,
  paginateDescribeNatGateways,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcs,
  type DhcpOptions,
  type EC2Client,
  type Filter,
  type Instance,
  type NatGateway,
  type RouteTable,
  type SecurityGroup,
  type Subnet,
  type Vpc,
} from '@aws-sdk/client-ec2';
import { chunk, mapLimit } from './concurrency.js';
import { describeError, emptyLookup, type Lookup } from './lookup.js';

/** EC2 accepts up to 200 values in one filter. */
const FILTER_VALUES_PER_CALL = 200;
export const PAGE_SIZE = 1000;

export type Paginate<T> = (filters: Filter[]) => AsyncIterable<T[]>;

/** Extra calls one failed batch may spend on its halves: enough to isolate a few bad ids among 200. */
const SPLIT_CALLS_PER_BATCH = 32;

/** A denied call fails the same way for any subset of ids: splitting it would only multiply calls. */
function isPermissionError(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return /AccessDenied|UnauthorizedOperation|AuthFailure|Forbidden/i.test(e?.name ?? '') || e?.$metadata?.httpStatusCode === 403;
}

/**
 * Looks `ids` up `FILTER_VALUES_PER_CALL` at a time with `filterName`, all pages each, and
 * groups the items by `keysOf` (an item may belong to several keys). A call that still fails
 * after the SDK's retries is split in halves and each half retried (within a budget of calls),
 * so a fault tied to some ids, or a one-off that outlasted the retries, marks only the ids of
 * the smallest batch that still failed, not every cluster of the region.
 */
export async function lookupByFilter<T>(
  ids: Iterable<string>,
  filterName: string,
  operation: string,
  paginate: Paginate<T>,
  keysOf: (item: T) => string[],
  extraFilters: Filter[] = [],
  concurrency = 4,
): Promise<Lookup<T[]>> {
  const lookup = emptyLookup<T[]>();
  const unique = [...new Set(ids)].filter(Boolean).sort();
  const fetchBatch = async (values: string[], budget: { calls: number }): Promise<void> => {
    const wanted = new Set(values);
    const found = new Map<string, T[]>();
    try {
      for await (const items of paginate([{ Name: filterName, Values: values }, ...extraFilters])) {
        for (const item of items) {
          for (const key of keysOf(item)) {
            if (!wanted.has(key)) continue;
            const list = found.get(key) ?? [];
            list.push(item);
            found.set(key, list);
          }
        }
      }
    } catch (error) {
      if (values.length > 1 && budget.calls >= 2 && !isPermissionError(error)) {
        budget.calls -= 2;
        const middle = Math.ceil(values.length / 2);
        // One half after the other: a struggling endpoint gets no more load than before.
        await fetchBatch(values.slice(0, middle), budget);
        await fetchBatch(values.slice(middle), budget);
        return;
      }
      const reason = describeError(error, operation);
      for (const id of values) lookup.failed.set(id, reason);
      return;
    }
    for (const [key, items] of found) lookup.found.set(key, items);
  };
  await mapLimit(chunk(unique, FILTER_VALUES_PER_CALL), concurrency, (values) => fetchBatch(values, { calls: SPLIT_CALLS_PER_BATCH }));
  return lookup;
}

function single<T>(lookup: Lookup<T[]>): Lookup<T> {
  return { found: new Map([...lookup.found].map(([k, v]) => [k, v[0]!])), failed: lookup.failed };
}

export const pages = <P, T>(iterable: AsyncIterable<P>, pick: (page: P) => T[] | undefined): AsyncIterable<T[]> => ({
  async *[Symbol.asyncIterator]() {
    for await (const page of iterable) yield pick(page) ?? [];
  },
});

export async function subnetsById(ec2: EC2Client, ids: Iterable<string>): Promise<Lookup<Subnet>> {
  const paginate: Paginate<Subnet> = (Filters) => pages(paginateDescribeSubnets({ client: ec2, pageSize: PAGE_SIZE }, { Filters }), (p) => p.Subnets);
  return single(await lookupByFilter(ids, 'subnet-id', 'ec2:DescribeSubnets', paginate, (s) => [s.SubnetId ?? '']));
}

export async function vpcsById(ec2: EC2Client, ids: Iterable<string>): Promise<Lookup<Vpc>> {
  const paginate: Paginate<Vpc> = (Filters) => pages(paginateDescribeVpcs({ client: ec2, pageSize: PAGE_SIZE }, { Filters }), (p) => p.Vpcs);
  return single(await lookupByFilter(ids, 'vpc-id', 'ec2:DescribeVpcs', paginate, (v) => [v.VpcId ?? '']));
}

export async function dhcpOptionsById(ec2: EC2Client, ids: Iterable<string>): Promise<Lookup<DhcpOptions>> {
  const paginate: Paginate<DhcpOptions> = (Filters) => pages(paginateDescribeDhcpOptions({ client: ec2, pageSize: PAGE_SIZE }, { Filters }), (p) => p.DhcpOptions);
  return single(await lookupByFilter(ids, 'dhcp-options-id', 'ec2:DescribeDhcpOptions', paginate, (d) => [d.DhcpOptionsId ?? '']));
}

export async function securityGroupsById(ec2: EC2Client, ids: Iterable<string>): Promise<Lookup<SecurityGroup>> {
  const paginate: Paginate<SecurityGroup> = (Filters) => pages(paginateDescribeSecurityGroups({ client: ec2, pageSize: PAGE_SIZE }, { Filters }), (p) => p.SecurityGroups);
  return single(await lookupByFilter(ids, 'group-id', 'ec2:DescribeSecurityGroups', paginate, (g) => [g.GroupId ?? '']));
}

/** All route tables of each VPC (the main table is needed for subnets without an explicit association). */
export async function routeTablesByVpc(ec2: EC2Client, vpcIds: Iterable<string>): Promise<Lookup<RouteTable[]>> {
  const paginate: Paginate<RouteTable> = (Filters) => pages(paginateDescribeRouteTables({ client: ec2, pageSize: 100 }, { Filters }), (p) => p.RouteTables);
  return lookupByFilter(vpcIds, 'vpc-id', 'ec2:DescribeRouteTables', paginate, (r) => [r.VpcId ?? '']);
}

export async function natGatewaysByVpc(ec2: EC2Client, vpcIds: Iterable<string>): Promise<Lookup<NatGateway[]>> {
  const paginate: Paginate<NatGateway> = (Filter) => pages(paginateDescribeNatGateways({ client: ec2, pageSize: PAGE_SIZE }, { Filter }), (p) => p.NatGateways);
  return lookupByFilter(vpcIds, 'vpc-id', 'ec2:DescribeNatGateways', paginate, (n) => [n.VpcId ?? '']);
}

export const clusterTagKey = (clusterName: string) => `kubernetes.io/cluster/${clusterName}`;

/** Running instances tagged kubernetes.io/cluster/<name>, by cluster name. */
export async function instancesByCluster(ec2: EC2Client, clusterNames: Iterable<string>): Promise<Lookup<Instance[]>> {
  const names = [...clusterNames];
  const paginate: Paginate<Instance> = (Filters) =>
    pages(paginateDescribeInstances({ client: ec2, pageSize: PAGE_SIZE }, { Filters }), (p) => (p.Reservations ?? []).flatMap((r) => r.Instances ?? []));
  const byTag = await lookupByFilter(names.map(clusterTagKey), 'tag-key', 'ec2:DescribeInstances', paginate, (instance) => (instance.Tags ?? []).map((t) => t.Key ?? ''), [
    { Name: 'instance-state-name', Values: ['running'] },
  ]);
  const lookup = emptyLookup<Instance[]>();
  for (const name of names) {
    const key = clusterTagKey(name);
    const failed = byTag.failed.get(key);
    if (failed) lookup.failed.set(name, failed);
    else lookup.found.set(name, byTag.found.get(key) ?? []);
  }
  return lookup;
}

export interface VpcDnsAttributes {
  enableDnsSupport: boolean;
  enableDnsHostnames: boolean;
}

/** DescribeVpcAttribute takes one attribute of one VPC per call. */
export async function vpcDnsAttributes(ec2: EC2Client, vpcIds: Iterable<string>, concurrency = 4): Promise<Lookup<VpcDnsAttributes>> {
  const lookup = emptyLookup<VpcDnsAttributes>();
  await mapLimit([...new Set(vpcIds)].sort(), concurrency, async (VpcId) => {
    try {
      const [support, hostnames] = await Promise.all([
        ec2.send(new DescribeVpcAttributeCommand({ VpcId, Attribute: 'enableDnsSupport' })),
        ec2.send(new DescribeVpcAttributeCommand({ VpcId, Attribute: 'enableDnsHostnames' })),
      ]);
      const enableDnsSupport = support.EnableDnsSupport?.Value;
      const enableDnsHostnames = hostnames.EnableDnsHostnames?.Value;
      if (enableDnsSupport === undefined || enableDnsHostnames === undefined) throw new Error('the response carries no attribute value');
      lookup.found.set(VpcId, { enableDnsSupport, enableDnsHostnames });
    } catch (error) {
      lookup.failed.set(VpcId, describeError(error, 'ec2:DescribeVpcAttribute'));
    }
  });
  return lookup;
}

export interface LaunchTemplateRef {
  id: string;
  version: string;
}
export const launchTemplateKey = (ref: LaunchTemplateRef) => `${ref.id}:${ref.version}`;

/** The network settings of a launch template version that decide a node's security groups and public IP. */
export interface LaunchTemplateNetwork {
  securityGroupIds: string[];
  /** A network interface of the template sets AssociatePublicIpAddress=true. */
  associatePublicIp: boolean;
}

/** Network settings of launch template versions, by "id:version" (one call per template). */
export async function launchTemplateNetworks(ec2: EC2Client, refs: readonly LaunchTemplateRef[], concurrency = 4): Promise<Lookup<LaunchTemplateNetwork>> {
  const lookup = emptyLookup<LaunchTemplateNetwork>();
  const versionsById = new Map<string, Set<string>>();
  for (const ref of refs) versionsById.set(ref.id, (versionsById.get(ref.id) ?? new Set()).add(ref.version));
  await mapLimit(
    [...versionsById].sort(([a], [b]) => a.localeCompare(b)),
    concurrency,
    async ([LaunchTemplateId, versions]) => {
      const wanted = [...versions].sort();
      try {
        const response = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId, Versions: wanted }));
        const byNumber = new Map((response.LaunchTemplateVersions ?? []).map((v) => [String(v.VersionNumber), v]));
        const latest = [...byNumber.values()].sort((a, b) => (b.VersionNumber ?? 0) - (a.VersionNumber ?? 0))[0];
        const defaultVersion = [...byNumber.values()].find((v) => v.DefaultVersion);
        for (const version of wanted) {
          const match = version === '$Latest' ? latest : version === '$Default' ? defaultVersion : byNumber.get(version);
          if (!match) {
            lookup.failed.set(launchTemplateKey({ id: LaunchTemplateId, version }), `ec2:DescribeLaunchTemplateVersions: version ${version} of ${LaunchTemplateId} not found`);
            continue;
          }
          const data = match.LaunchTemplateData ?? {};
          const interfaces = data.NetworkInterfaces ?? [];
          const groups = [...(data.SecurityGroupIds ?? []), ...interfaces.flatMap((n) => n.Groups ?? [])];
          lookup.found.set(launchTemplateKey({ id: LaunchTemplateId, version }), {
            securityGroupIds: [...new Set(groups)].sort(),
            associatePublicIp: interfaces.some((n) => n.AssociatePublicIpAddress === true),
          });
        }
      } catch (error) {
        const reason = describeError(error, 'ec2:DescribeLaunchTemplateVersions');
        for (const version of wanted) lookup.failed.set(launchTemplateKey({ id: LaunchTemplateId, version }), reason);
      }
    },
  );
  return lookup;
}
