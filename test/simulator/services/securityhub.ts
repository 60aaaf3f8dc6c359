/**
 * AWS Security Hub (restJson1, as the SDK's model has it: BatchImportFindings is
 * POST /findings/import with {"Findings": [...]}, answering {FailedCount, SuccessCount,
 * FailedFindings}). Findings are validated and kept by ProductArn and Id, with the behaviour a
 * finding provider relies on (API_BatchImportFindings, API_Workflow):
 * - at most 100 findings per call (more is an InvalidInputException for the whole call);
 * - a finding missing a required attribute, or whose ProductArn is not the caller's own default
 *   product (`arn:aws:securityhub:<region>:<account>:product/<account>/default`, AwsAccountId the
 *   caller's account) fails alone, in FailedFindings;
 * - an import with an existing Id updates the finding; Workflow is taken only when a finding is
 *   created ("After a finding is created, BatchImportFindings cannot be used to update ...
 *   Workflow") and is reset from NOTIFIED/RESOLVED to NEW when RecordState goes from ARCHIVED to
 *   ACTIVE or Compliance.Status from PASSED to WARNING, FAILED or NOT_AVAILABLE.
 */
import { ApiError, type OpContext, type ServiceDefinition, type StoredFinding } from '../protocols/protocol.js';
import { restJsonProtocol, type RestInput } from '../protocols/rest-json.js';

const MAX_FINDINGS = 100;
const REQUIRED = ['AwsAccountId', 'CreatedAt', 'Description', 'GeneratorId', 'Id', 'ProductArn', 'Resources', 'SchemaVersion', 'Severity', 'Title', 'Types', 'UpdatedAt'] as const;
const COMPLIANCE = ['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE'];
const LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

const invalidInput = (message: string) => new ApiError('InvalidInputException', message, 400, { Code: 'InvalidInputException' });

function problemOf(f: Record<string, unknown>, ctx: OpContext): string | undefined {
  const missing = REQUIRED.filter((k) => f[k] === undefined || f[k] === null || f[k] === '');
  if (missing.length) return `Finding does not adhere to Amazon Web Services Security Finding Format. Missing: ${missing.join(', ')}`;
  const product = `arn:aws:securityhub:${ctx.region}:${ctx.world.account}:product/${ctx.world.account}/default`;
  if (f['ProductArn'] !== product) return `Invalid ProductArn ${String(f['ProductArn'])}: this account may only import into ${product}`;
  if (f['AwsAccountId'] !== ctx.world.account) return `AwsAccountId ${String(f['AwsAccountId'])} is not the calling account`;
  const resources = f['Resources'];
  if (!Array.isArray(resources) || resources.length === 0 || resources.length > 32) return 'Resources must list 1 to 32 resources';
  if (resources.some((r) => !r || typeof (r as Record<string, unknown>)['Type'] !== 'string' || typeof (r as Record<string, unknown>)['Id'] !== 'string'))
    return 'Each resource needs Type and Id';
  const compliance = (f['Compliance'] as { Status?: string } | undefined)?.Status;
  if (compliance !== undefined && !COMPLIANCE.includes(compliance)) return `Compliance.Status ${compliance} is not one of ${COMPLIANCE.join(', ')}`;
  const label = (f['Severity'] as { Label?: string } | undefined)?.Label;
  if (label !== undefined && !LABELS.includes(label)) return `Severity.Label ${label} is not one of ${LABELS.join(', ')}`;
  if (String(f['Title']).length > 256) return 'Title is longer than 256 characters';
  if (String(f['Description']).length > 1024) return 'Description is longer than 1024 characters';
  const text = (f['Remediation'] as { Recommendation?: { Text?: string } } | undefined)?.Recommendation?.Text;
  if (text !== undefined && text.length > 512) return 'Remediation.Recommendation.Text is longer than 512 characters';
  if (Buffer.byteLength(JSON.stringify(f)) > 240 * 1024) return 'Finding is larger than 240 KB';
  return undefined;
}

function store(f: Record<string, unknown>, ctx: OpContext): void {
  const key = `${String(f['ProductArn'])}|${String(f['Id'])}`;
  const before = ctx.findings.get(key);
  if (!before) {
    const requested = (f['Workflow'] as { Status?: StoredFinding['workflowStatus'] } | undefined)?.Status;
    ctx.findings.set(key, { region: ctx.region, finding: f, workflowStatus: requested ?? 'NEW', imports: 1 });
    return;
  }
  const status = (x: Record<string, unknown>) => (x['Compliance'] as { Status?: string } | undefined)?.Status;
  const reopened =
    (before.finding['RecordState'] === 'ARCHIVED' && (f['RecordState'] ?? 'ACTIVE') === 'ACTIVE') ||
    (status(before.finding) === 'PASSED' && status(f) !== undefined && status(f) !== 'PASSED');
  const workflowStatus = reopened && (before.workflowStatus === 'NOTIFIED' || before.workflowStatus === 'RESOLVED') ? 'NEW' : before.workflowStatus;
  ctx.findings.set(key, { region: ctx.region, finding: f, workflowStatus, imports: before.imports + 1 });
}

function batchImportFindings(input: RestInput, ctx: OpContext) {
  let body: { Findings?: unknown };
  try {
    body = JSON.parse(input.body || '{}') as { Findings?: unknown };
  } catch {
    throw invalidInput('The request body is not valid JSON');
  }
  const list = body.Findings;
  if (!Array.isArray(list)) throw invalidInput('Findings is required');
  if (list.length > MAX_FINDINGS) throw invalidInput(`Findings: at most ${MAX_FINDINGS} findings per request, got ${list.length}`);
  const failed: { Id: string; ErrorCode: string; ErrorMessage: string }[] = [];
  for (const item of list as Record<string, unknown>[]) {
    const problem = item && typeof item === 'object' ? problemOf(item, ctx) : 'A finding must be an object';
    if (problem) failed.push({ Id: String(item?.['Id'] ?? ''), ErrorCode: 'InvalidInput', ErrorMessage: problem });
    else store(item, ctx);
  }
  return { FailedCount: failed.length, SuccessCount: list.length - failed.length, FailedFindings: failed };
}

export const securityhub: ServiceDefinition = {
  name: 'securityhub',
  protocol: restJsonProtocol([{ method: 'POST', path: '/findings/import', operation: 'BatchImportFindings', handler: batchImportFindings }]),
  faults: {
    AccessDenied: { code: 'AccessDeniedException', status: 403, message: 'User is not authorized to perform: securityhub:BatchImportFindings' },
    Throttling: { code: 'TooManyRequestsException', status: 429, message: 'Rate exceeded' },
    InternalError: { code: 'InternalException', status: 500, message: 'Internal service error' },
    ServiceUnavailable: { code: 'ServiceUnavailableException', status: 503, message: 'Service unavailable' },
  },
};
