/** AWS STS (awsQuery): GetCallerIdentity only. */
import { derivedAwsId } from '../derive.js';
import type { ServiceDefinition } from '../protocols/protocol.js';
import { queryProtocol } from '../protocols/query.js';

export const sts: ServiceDefinition = {
  name: 'sts',
  protocol: queryProtocol({
    flavor: 'awsQuery',
    xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/',
    version: '2011-06-15',
    operations: {
      GetCallerIdentity: (_p, ctx) => {
        const { account, callerIdentity } = ctx.world;
        return {
          UserId: callerIdentity.userId ?? derivedAwsId('AIDA', account, 'caller'),
          Account: account,
          Arn: callerIdentity.arn ?? `arn:aws:iam::${account}:user/eksguard`,
        };
      },
    },
  }),
  faults: {
    AccessDenied: { code: 'AccessDenied', status: 403, message: 'User is not authorized to perform this action' },
    Throttling: { code: 'Throttling', status: 400, message: 'Rate exceeded' },
    InternalError: { code: 'InternalFailure', status: 500, message: 'Internal failure' },
    ServiceUnavailable: { code: 'ServiceUnavailable', status: 503, message: 'Service unavailable' },
  },
};
