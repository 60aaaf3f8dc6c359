/** AWS IAM (awsQuery). IAM data is account-global: the request's region is ignored. */
import { derivedAwsId, isoTimestamp } from '../derive.js';
import { pageSize, paginate } from '../pagination.js';
import { ApiError, type OpContext, type ServiceDefinition } from '../protocols/protocol.js';
import { queryProtocol } from '../protocols/query.js';
import type { QueryParams } from '../protocols/query-params.js';
import type { Role } from '../world.js';

const DEFAULT_TRUST_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

const validationError = (detail: string) => new ApiError('ValidationError', `1 validation error detected: ${detail}`);

function findRole(p: QueryParams, ctx: OpContext): Role {
  const name = p.require('RoleName', () => validationError("Value null at 'roleName' failed to satisfy constraint: Member must not be null"));
  const role = ctx.world.iam.roles.find((r) => r.name === name);
  if (!role) throw new ApiError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
  return role;
}

/** IAM returns the trust policy URL-encoded, as the real API does. */
function trustPolicy(role: Role): string {
  const doc = role.assumeRolePolicyDocument ?? DEFAULT_TRUST_POLICY;
  return encodeURIComponent(typeof doc === 'string' ? doc : JSON.stringify(doc));
}

const policyName = (policyArn: string) => policyArn.slice(policyArn.lastIndexOf('/') + 1);

export const iam: ServiceDefinition = {
  name: 'iam',
  protocol: queryProtocol({
    flavor: 'awsQuery',
    xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/',
    version: '2010-05-08',
    operations: {
      GetRole(p, ctx) {
        const role = findRole(p, ctx);
        const tags = Object.entries(role.tags);
        return {
          Role: {
            Path: role.path,
            RoleName: role.name,
            RoleId: role.roleId ?? derivedAwsId('AROA', ctx.world.account, role.name),
            Arn: `arn:aws:iam::${ctx.world.account}:role${role.path}${role.name}`,
            CreateDate: isoTimestamp(role.createDate),
            AssumeRolePolicyDocument: trustPolicy(role),
            Description: role.description,
            MaxSessionDuration: role.maxSessionDuration,
            Tags: tags.length ? tags.map(([Key, Value]) => ({ Key, Value })) : undefined,
            RoleLastUsed: {},
          },
        };
      },
      ListAttachedRolePolicies(p, ctx) {
        const role = findRole(p, ctx);
        const prefix = p.get('PathPrefix') ?? '/';
        const policies = role.attachedPolicies.filter((a) => {
          const path = a.slice(a.indexOf(':policy') + ':policy'.length, a.lastIndexOf('/') + 1);
          return path.startsWith(prefix);
        });
        const limit = pageSize(p.get('MaxItems'), [1, 1000], (v) =>
          validationError(
            `Value '${v}' at 'maxItems' failed to satisfy constraint: ` + `Member must have value ${Number(v) < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000'}`,
          ),
        );
        const page = paginate(policies, {
          scope: `ListAttachedRolePolicies:${role.name}:${prefix}`,
          limit: limit ?? 100,
          token: p.get('Marker'),
          invalidToken: () => new ApiError('InvalidInput', 'Invalid Marker.'),
        });
        return {
          AttachedPolicies: page.items.map((a) => ({ PolicyName: policyName(a), PolicyArn: a })),
          IsTruncated: page.nextToken !== undefined,
          Marker: page.nextToken,
        };
      },
    },
  }),
  faults: {
    AccessDenied: {
      code: 'AccessDenied',
      status: 403,
      message: 'User is not authorized to perform this action',
    },
    Throttling: { code: 'Throttling', status: 400, message: 'Rate exceeded' },
    InternalError: { code: 'ServiceFailure', status: 500, message: 'Service failure' },
    ServiceUnavailable: { code: 'ServiceUnavailable', status: 503, message: 'Service unavailable' },
  },
};
