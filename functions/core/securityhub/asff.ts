/**
 * eksguard results as AWS Security Finding Format (ASFF) findings, for Security Hub's
 * BatchImportFindings and for `--format asff`. Pure.
 *
 * Shapes and limits from the Security Hub API reference (AwsSecurityFinding, Compliance,
 * Remediation, Resource, Severity: https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFinding.html)
 * and the user guide's required attributes (AwsAccountId, CreatedAt, Description, GeneratorId, Id,
 * ProductArn, Resources, SchemaVersion, Severity, Title, Types, UpdatedAt:
 * https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html).
 *
 * - One finding per (policy, cluster): `Id` is stable per account/region/cluster/policy, so a
 *   re-import updates the finding instead of adding one. `GeneratorId` is the policy id.
 * - Product: the account's own default product,
 *   `arn:<partition>:securityhub:<region>:<account>:product/<account>/default`.
 * - Compliance.Status: fail FAILED, pass PASSED, error WARNING ("could not evaluate" is never a
 *   pass), not-applicable NOT_AVAILABLE; excepted PASSED, as for AWS Config (a reviewed, expiring
 *   risk acceptance; the exception is named in the description and ProductFields). A resolved
 *   finding (it failed before) is PASSED and its record ARCHIVED, which takes it out of the open
 *   views; it stays archived while it passes, and a new failure makes it ACTIVE again (and Security
 *   Hub resets its workflow to NEW). BatchImportFindings cannot change `Workflow` once a finding exists ("After a finding is
 *   created, BatchImportFindings cannot be used to update ... Workflow", API_BatchImportFindings),
 *   so `Workflow.Status` RESOLVED is sent with every PASSED finding and takes effect where Security
 *   Hub accepts it (a finding created already passing); PASSED findings sent again never reopen.
 * - Severity: the policy's for FAILED and WARNING, INFORMATIONAL otherwise (as Security Hub's own
 *   control findings do); `Original` keeps the policy severity. Also given in
 *   FindingProviderFields, which is how a provider updates severity and types later.
 */
import { controlLabels, relatedRequirements } from '../report/controls.js';
import { clusterArnOf, partitionOfRegion } from '../report/cluster-arn.js';
import type { PolicyInfo } from '../report/policy-info.js';
import type { ReportResult } from '../report/report.js';
import type { Severity } from '../severities.js';

export const ASFF_SCHEMA_VERSION = '2018-10-08';
/** Documented limits (API_AwsSecurityFinding, API_Recommendation, API_Compliance). */
export const ASFF_LIMITS = { title: 256, description: 1024, recommendationText: 512, productFieldValue: 2048, relatedRequirements: 32 } as const;

export type ComplianceStatus = 'PASSED' | 'WARNING' | 'FAILED' | 'NOT_AVAILABLE';
export type SeverityLabel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export interface AsffFinding {
  SchemaVersion: typeof ASFF_SCHEMA_VERSION;
  Id: string;
  ProductArn: string;
  ProductName: string;
  CompanyName: string;
  GeneratorId: string;
  AwsAccountId: string;
  Region: string;
  Types: string[];
  FirstObservedAt: string;
  LastObservedAt: string;
  CreatedAt: string;
  UpdatedAt: string;
  Severity: { Label: SeverityLabel; Original: string };
  Title: string;
  Description: string;
  Remediation: { Recommendation: { Text: string; Url?: string } };
  ProductFields: Record<string, string>;
  Resources: { Type: 'AwsEksCluster'; Id: string; Partition: string; Region: string; Details: { AwsEksCluster: { Arn: string; Name: string } } }[];
  Compliance: { Status: ComplianceStatus; RelatedRequirements?: string[] };
  RecordState: 'ACTIVE' | 'ARCHIVED';
  Workflow?: { Status: 'RESOLVED' };
  FindingProviderFields: { Severity: { Label: SeverityLabel; Original: string }; Types: string[] };
}

const LABEL: Record<Severity, SeverityLabel> = { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW', info: 'INFORMATIONAL' };

export const productArn = (account: string, region: string) => `arn:${partitionOfRegion(region) ?? 'aws'}:securityhub:${region}:${account}:product/${account}/default`;
export const findingId = (r: Pick<ReportResult, 'account' | 'region' | 'cluster' | 'policy'>) => `eksguard/${r.account}/${r.region}/${r.cluster}/${r.policy}`;

export function complianceStatusOf(r: Pick<ReportResult, 'status' | 'transition'>): ComplianceStatus {
  if (r.transition === 'resolved') return 'PASSED';
  switch (r.status) {
    case 'fail':
      return 'FAILED';
    case 'error':
      return 'WARNING';
    case 'not-applicable':
      return 'NOT_AVAILABLE';
    default:
      return 'PASSED';
  }
}

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

export interface FindingTimes {
  /** When the finding was first exported (kept on every later import). */
  createdAt: string;
  /** This scan. */
  updatedAt: string;
  /** The finding was archived as resolved before: a pass keeps it archived. */
  archived?: boolean;
}

export function asffFinding(r: ReportResult, policy: PolicyInfo | undefined, times: FindingTimes): AsffFinding {
  const status = complianceStatusOf(r);
  const arn = clusterArnOf(r.account, r.region, r.cluster) ?? `arn:aws:eks:${r.region}:${r.account}:cluster/${r.cluster}`;
  const severity: AsffFinding['Severity'] = { Label: status === 'FAILED' || status === 'WARNING' ? LABEL[r.severity] : 'INFORMATIONAL', Original: r.severity };
  const types = [
    'Software and Configuration Checks/AWS Security Best Practices',
    ...(policy?.controls?.awsFsbp ? ['Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices'] : []),
    ...(policy?.controls?.cisEks ? ['Software and Configuration Checks/Industry and Regulatory Standards/CIS Amazon EKS Benchmark'] : []),
  ];
  const requirements = relatedRequirements(policy?.controls);
  const prefix = r.status === 'error' ? 'Could not evaluate: ' : r.status === 'excepted' ? 'Excepted: ' : '';
  const archived = status === 'PASSED' && (r.transition === 'resolved' || times.archived === true);
  const fix =
    r.remediation ?? (policy ? `${policy.remediation.description.trim()}${policy.remediation.cli ? ` Run: ${policy.remediation.cli.trim()}` : ''}` : 'See the eksguard policy.');
  const productFields: Record<string, string> = {
    'eksguard/policy': r.policy,
    'eksguard/status': r.status,
    'eksguard/cluster': r.cluster,
    'eksguard/severity': r.severity,
    ...(r.transition ? { 'eksguard/transition': r.transition } : {}),
    ...(r.controls?.length || policy?.controls ? { 'eksguard/controls': (r.controls ?? controlLabels(policy?.controls)).join(', ') } : {}),
    ...(r.remediation ? { 'eksguard/remediation': clip(r.remediation, ASFF_LIMITS.productFieldValue) } : {}),
  };
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: findingId(r),
    ProductArn: productArn(r.account, r.region),
    ProductName: 'eksguard',
    CompanyName: 'eksguard',
    GeneratorId: r.policy,
    AwsAccountId: r.account,
    Region: r.region,
    Types: types,
    FirstObservedAt: times.createdAt,
    LastObservedAt: times.updatedAt,
    CreatedAt: times.createdAt,
    UpdatedAt: times.updatedAt,
    Severity: severity,
    Title: clip(policy?.title ?? r.policy, ASFF_LIMITS.title),
    Description: clip(`${prefix}${r.message}`, ASFF_LIMITS.description),
    Remediation: { Recommendation: { Text: clip(fix, ASFF_LIMITS.recommendationText), ...(policy?.references[0] ? { Url: policy.references[0] } : {}) } },
    ProductFields: productFields,
    Resources: [{ Type: 'AwsEksCluster', Id: arn, Partition: partitionOfRegion(r.region) ?? 'aws', Region: r.region, Details: { AwsEksCluster: { Arn: arn, Name: r.cluster } } }],
    Compliance: { Status: status, ...(requirements.length ? { RelatedRequirements: requirements } : {}) },
    RecordState: archived ? 'ARCHIVED' : 'ACTIVE',
    ...(status === 'PASSED' ? { Workflow: { Status: 'RESOLVED' as const } } : {}),
    FindingProviderFields: { Severity: severity, Types: types },
  };
}

/** `--format asff`: every result of the report as a finding, in the BatchImportFindings request shape. */
export function renderAsff(report: { generatedAt: string; results: readonly ReportResult[] }, policies: ReadonlyMap<string, PolicyInfo>): string {
  const findings = report.results.map((r) => asffFinding(r, policies.get(r.policy), { createdAt: report.generatedAt, updatedAt: report.generatedAt }));
  return `${JSON.stringify({ Findings: findings }, null, 2)}\n`;
}
