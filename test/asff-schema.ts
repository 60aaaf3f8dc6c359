/**
 * ASFF has no published JSON Schema. This states, as zod, what the Security Hub API reference
 * requires of a finding that BatchImportFindings accepts: the required top-level attributes
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html) and the
 * shapes and limits of the attributes eksguard sends (API_AwsSecurityFinding, API_Severity,
 * API_Compliance, API_Remediation, API_Recommendation, API_Resource, API_AwsEksClusterDetails,
 * API_Workflow). Strict: a misspelt attribute is an error here, as Security Hub would ignore it.
 */
import { z } from 'zod';

const nonBlank = z.string().regex(/\S/, 'must not be blank');
// "YYYY-MM-DDTHH:MM:SS(.fraction)Z or with an offset" (AwsSecurityFinding CreatedAt).
const timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}(:?\d{2})?)$/, 'an ASFF timestamp');
const severityLabel = z.enum(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
const severity = z
  .object({ Label: severityLabel, Original: nonBlank.optional(), Normalized: z.number().int().min(0).max(100).optional(), Product: z.number().optional() })
  .strict();
// namespace/category/classifier, namespace one of the documented ones (ASFF "Types taxonomy").
const findingType = z
  .string()
  .regex(/^(Software and Configuration Checks|TTPs|Effects|Unusual Behaviors|Sensitive Data Identifications)(\/[^/]+){0,2}$/, 'namespace/category/classifier');

export const AsffFindingSchema = z
  .object({
    SchemaVersion: z.literal('2018-10-08'),
    Id: nonBlank.max(512),
    ProductArn: z.string().regex(/^arn:aws[a-z-]*:securityhub:[a-z0-9-]+:\d{12}:product\/\d{12}\/default$/, "the account's default product ARN"),
    ProductName: nonBlank.optional(),
    CompanyName: nonBlank.optional(),
    GeneratorId: nonBlank.max(512),
    AwsAccountId: z.string().regex(/^\d{12}$/),
    Region: nonBlank.optional(),
    Types: z.array(findingType).min(1).max(50),
    FirstObservedAt: timestamp.optional(),
    LastObservedAt: timestamp.optional(),
    CreatedAt: timestamp,
    UpdatedAt: timestamp,
    Severity: severity,
    Title: nonBlank.max(256),
    Description: nonBlank.max(1024),
    Remediation: z
      .object({ Recommendation: z.object({ Text: nonBlank.max(512).optional(), Url: z.string().url().optional() }).strict() })
      .strict()
      .optional(),
    ProductFields: z
      .record(nonBlank.max(128), nonBlank.max(2048))
      .refine((m) => Object.keys(m).length <= 50, 'at most 50 product fields')
      .optional(),
    Resources: z
      .array(
        z
          .object({
            Type: z.literal('AwsEksCluster'),
            Id: z.string().regex(/^arn:aws[a-z-]*:eks:[a-z0-9-]+:\d{12}:cluster\/[\w-]+$/, 'the cluster ARN'),
            Partition: z.enum(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc']),
            Region: nonBlank,
            Details: z.object({ AwsEksCluster: z.object({ Arn: nonBlank, Name: nonBlank }).strict() }).strict(),
          })
          .strict(),
      )
      .min(1)
      .max(32),
    Compliance: z.object({ Status: z.enum(['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE']), RelatedRequirements: z.array(nonBlank).max(32).optional() }).strict(),
    RecordState: z.enum(['ACTIVE', 'ARCHIVED']),
    Workflow: z
      .object({ Status: z.enum(['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED']) })
      .strict()
      .optional(),
    FindingProviderFields: z.object({ Severity: severity, Types: z.array(findingType).min(1).max(50) }).strict(),
  })
  .strict()
  .refine((f) => Buffer.byteLength(JSON.stringify(f)) <= 240 * 1024, 'a finding is at most 240 KB');

export const BatchImportFindingsRequestSchema = z.object({ Findings: z.array(AsffFindingSchema).min(1) }).strict();
