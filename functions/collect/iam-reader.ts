import { paginateListAttachedRolePolicies, type IAMClient } from '@aws-sdk/client-iam';
import { mapLimit } from './concurrency.js';
import { describeError, emptyLookup, type Lookup } from './lookup.js';

/** Managed policies attached to each role, by role name. */
export async function attachedPoliciesByRole(iam: IAMClient, roleNames: Iterable<string>, concurrency = 4): Promise<Lookup<string[]>> {
  const lookup = emptyLookup<string[]>();
  await mapLimit([...new Set(roleNames)].filter(Boolean).sort(), concurrency, async (RoleName) => {
    try {
      const arns: string[] = [];
      for await (const page of paginateListAttachedRolePolicies({ client: iam, pageSize: 100 }, { RoleName })) {
        arns.push(...(page.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? ''));
      }
      lookup.found.set(RoleName, arns.filter(Boolean).sort());
    } catch (error) {
      lookup.failed.set(RoleName, describeError(error, 'iam:ListAttachedRolePolicies'));
    }
  });
  return lookup;
}
