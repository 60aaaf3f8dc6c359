import { paginateListAttachedRolePolicies, type IAMClient } from '@aws-sdk/client-iam';
import { mapLimit } from './concurrency.js';
import { describeError, emptyLookup, type Lookup } from './lookup.js';

export interface RolePolicies {
  /** false when IAM answered NoSuchEntity: a definite answer (the role is gone), not a failed read. */
  exists: boolean;
  attachedPolicyArns: string[];
}

/** Managed policies attached to each role, by role name. */
export async function attachedPoliciesByRole(iam: IAMClient, roleNames: Iterable<string>, concurrency = 4): Promise<Lookup<RolePolicies>> {
  const lookup = emptyLookup<RolePolicies>();
  await mapLimit([...new Set(roleNames)].filter(Boolean).sort(), concurrency, async (RoleName) => {
    try {
      const arns: string[] = [];
      for await (const page of paginateListAttachedRolePolicies({ client: iam, pageSize: 100 }, { RoleName })) {
        arns.push(...(page.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? ''));
      }
      lookup.found.set(RoleName, { exists: true, attachedPolicyArns: arns.filter(Boolean).sort() });
    } catch (error) {
      if ((error as Error).name === 'NoSuchEntityException' || (error as Error).name === 'NoSuchEntity') {
        lookup.found.set(RoleName, { exists: false, attachedPolicyArns: [] });
      } else {
        lookup.failed.set(RoleName, describeError(error, 'iam:ListAttachedRolePolicies'));
      }
    }
  });
  return lookup;
}
