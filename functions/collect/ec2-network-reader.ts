/**
 * EC2 reads for the network path between control plane and nodes: network ACLs and VPC
 * endpoints (per VPC, batched like the other look-ups) and the managed prefix lists that
 * security group rules reference (by id, then one GetManagedPrefixListEntries per list).
 */
import {
  paginateDescribeManagedPrefixLists,
  paginateDescribeNetworkAcls,
  paginateDescribeVpcEndpoints,
  paginateGetManagedPrefixListEntries,
  type EC2Client,
  type ManagedPrefixList,
  type NetworkAcl,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { mapLimit } from './concurrency.js';
import { lookupByFilter, PAGE_SIZE, pages, type Paginate } from './ec2-reader.js';
import { describeError, emptyLookup, type Lookup } from './lookup.js';

/** Every network ACL of each VPC (a subnet's ACL is found through the ACL's associations). */
export async function networkAclsByVpc(ec2: EC2Client, vpcIds: Iterable<string>): Promise<Lookup<NetworkAcl[]>> {
  const paginate: Paginate<NetworkAcl> = (Filters) => pages(paginateDescribeNetworkAcls({ client: ec2, pageSize: PAGE_SIZE }, { Filters }), (p) => p.NetworkAcls);
  return lookupByFilter(vpcIds, 'vpc-id', 'ec2:DescribeNetworkAcls', paginate, (a) => [a.VpcId ?? '']);
}

/** Every VPC endpoint of each VPC: interface endpoints for private nodes, GWLB endpoints on egress paths. */
export async function vpcEndpointsByVpc(ec2: EC2Client, vpcIds: Iterable<string>): Promise<Lookup<VpcEndpoint[]>> {
  const paginate: Paginate<VpcEndpoint> = (Filters) => pages(paginateDescribeVpcEndpoints({ client: ec2, pageSize: PAGE_SIZE }, { Filters }), (p) => p.VpcEndpoints);
  return lookupByFilter(vpcIds, 'vpc-id', 'ec2:DescribeVpcEndpoints', paginate, (e) => [e.VpcId ?? '']);
}

export interface PrefixListData {
  list: ManagedPrefixList;
  cidrs: string[];
}

/** DescribeManagedPrefixLists and GetManagedPrefixListEntries accept at most 100 results per page. */
const PREFIX_LIST_PAGE_SIZE = 100;

/** Managed prefix lists by id, with the entries of their current version. An id not found no longer exists. */
export async function prefixListsById(ec2: EC2Client, ids: Iterable<string>, concurrency = 4): Promise<Lookup<PrefixListData>> {
  const paginate: Paginate<ManagedPrefixList> = (Filters) =>
    pages(paginateDescribeManagedPrefixLists({ client: ec2, pageSize: PREFIX_LIST_PAGE_SIZE }, { Filters }), (p) => p.PrefixLists);
  const lists = await lookupByFilter(ids, 'prefix-list-id', 'ec2:DescribeManagedPrefixLists', paginate, (l) => [l.PrefixListId ?? '']);
  const lookup = emptyLookup<PrefixListData>();
  for (const [id, reason] of lists.failed) lookup.failed.set(id, reason);
  await mapLimit(
    [...lists.found].sort(([a], [b]) => a.localeCompare(b)),
    concurrency,
    async ([PrefixListId, [list]]) => {
      try {
        const cidrs: string[] = [];
        for await (const page of paginateGetManagedPrefixListEntries({ client: ec2, pageSize: PREFIX_LIST_PAGE_SIZE }, { PrefixListId })) {
          cidrs.push(...(page.Entries ?? []).map((e) => e.Cidr ?? '').filter(Boolean));
        }
        lookup.found.set(PrefixListId, { list: list!, cidrs: [...new Set(cidrs)].sort() });
      } catch (error) {
        lookup.failed.set(PrefixListId, describeError(error, 'ec2:GetManagedPrefixListEntries'));
      }
    },
  );
  return lookup;
}
