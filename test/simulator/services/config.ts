/** AWS Config (awsJson1_1, target prefix StarlingDoveService): PutEvaluations is validated and recorded. */
import { ApiError, type ServiceDefinition } from '../protocols/protocol.js';
import { jsonRpcProtocol } from '../protocols/json-rpc.js';

const MAX_EVALUATIONS = 100;
const COMPLIANCE_TYPES = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA'];
const REQUIRED_MEMBERS = ['ComplianceResourceType', 'ComplianceResourceId', 'ComplianceType', 'OrderingTimestamp'];

const camelCase = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);
const validation = (detail: string) => new ApiError('ValidationException', `1 validation error detected: ${detail}`);

function checkEvaluation(e: unknown, i: number): Record<string, unknown> {
  if (!e || typeof e !== 'object') throw validation(`Value at 'evaluations.${i + 1}' must be an object`);
  const evaluation = e as Record<string, unknown>;
  for (const member of REQUIRED_MEMBERS) {
    if (evaluation[member] === undefined || evaluation[member] === null) {
      throw validation(`Value null at 'evaluations.${i + 1}.member.${camelCase(member)}' failed to satisfy constraint: Member must not be null`);
    }
  }
  if (!COMPLIANCE_TYPES.includes(String(evaluation.ComplianceType))) {
    throw validation(
      `Value '${String(evaluation.ComplianceType)}' at 'evaluations.${i + 1}.member.complianceType' ` +
        `failed to satisfy constraint: Member must satisfy enum value set: [${COMPLIANCE_TYPES.join(', ')}]`,
    );
  }
  const annotation = evaluation.Annotation;
  if (typeof annotation === 'string' && annotation.length > 256) {
    throw validation(`Value at 'evaluations.${i + 1}.member.annotation' failed to satisfy constraint: ` + 'Member must have length less than or equal to 256');
  }
  return evaluation;
}

export const config: ServiceDefinition = {
  name: 'config',
  protocol: jsonRpcProtocol({
    targetPrefix: 'StarlingDoveService',
    operations: {
      PutEvaluations(input, ctx) {
        const token = input.ResultToken;
        if (token === undefined || token === null) {
          throw validation("Value null at 'resultToken' failed to satisfy constraint: Member must not be null");
        }
        if (typeof token !== 'string' || token.trim() === '') {
          throw new ApiError('InvalidResultTokenException', 'The specified ResultToken is not valid.');
        }
        const raw = input.Evaluations ?? [];
        if (!Array.isArray(raw)) throw validation("Value at 'evaluations' must be a list");
        if (raw.length > MAX_EVALUATIONS) {
          throw validation("Value at 'evaluations' failed to satisfy constraint: " + `Member must have length less than or equal to ${MAX_EVALUATIONS}`);
        }
        ctx.evaluations.push({
          region: ctx.region,
          resultToken: token,
          testMode: input.TestMode === true,
          evaluations: raw.map(checkEvaluation),
        });
        return { FailedEvaluations: [] };
      },
    },
  }),
  faults: {
    AccessDenied: {
      code: 'AccessDeniedException',
      status: 400,
      message: 'User is not authorized to perform config:PutEvaluations',
    },
    Throttling: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
    InternalError: { code: 'InternalFailure', status: 500, message: 'Internal failure' },
    ServiceUnavailable: { code: 'ServiceUnavailable', status: 503, message: 'Service unavailable' },
  },
};
