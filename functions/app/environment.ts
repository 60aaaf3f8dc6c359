/** Lambda configuration from the environment, validated once at cold start. */
import { isAbsolute, join } from 'node:path';
import { REGION_NAME } from '../core/aws-names.js';
import { SEVERITIES, type Severity } from '../core/severities.js';

export interface HandlerConfig {
  regions: string[];
  /** Where the bundle is (LAMBDA_TASK_ROOT, else the working directory): relative paths start here. */
  root: string;
  policyDir: string;
  configFile?: string;
  exceptionsFile?: string;
  /** DynamoDB table of the state store; without it scans are stateless. */
  stateTable?: string;
  /** SNS topic for alerts; without it news is only logged. */
  topicArn?: string;
  /** Re-notify ongoing failures after this many hours (default: never). */
  reminderHours?: number;
  /** Findings below this severity are not published (default: all). */
  alertMinSeverity?: Severity;
  /** S3 bucket for the latest HTML report of every full scan; without it no report is written. */
  reportBucket?: string;
  /** Seconds of an invocation kept back from collecting, for storing, publishing and reporting. */
  timeReserveSeconds?: number;
  /** More clusters with news than this in one account/region: one digest (default 10). */
  alertDigestThreshold?: number;
  /** Import findings into AWS Security Hub (news only, plus refreshes of open findings). */
  securityHub?: boolean;
}

/** S3 bucket naming rules (general purpose buckets): 3-63 lower-case letters, digits, dots and hyphens. */
const BUCKET_NAME = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function readHandlerConfig(env: NodeJS.ProcessEnv): HandlerConfig {
  const home = env.AWS_REGION;
  const regions = (env.EKSGUARD_REGIONS ?? home ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  if (regions.length === 0) throw new Error('EKSGUARD_REGIONS (or AWS_REGION) must name at least one region');
  const bad = regions.find((r) => !REGION_NAME.test(r));
  if (bad) throw new Error(`EKSGUARD_REGIONS: "${bad}" is not an AWS region name (e.g. us-east-1)`);
  const reminder = env.EKSGUARD_REMINDER_HOURS?.trim();
  const reminderHours = reminder ? Number(reminder) : undefined;
  if (reminderHours !== undefined && !(reminderHours > 0)) {
    throw new Error(`EKSGUARD_REMINDER_HOURS: expected a positive number of hours, got "${reminder}"`);
  }
  const minSeverity = env.EKSGUARD_ALERT_MIN_SEVERITY?.trim();
  if (minSeverity && !(SEVERITIES as readonly string[]).includes(minSeverity)) {
    throw new Error(`EKSGUARD_ALERT_MIN_SEVERITY: expected one of ${SEVERITIES.join(', ')}, got "${minSeverity}"`);
  }
  const reportBucket = env.EKSGUARD_REPORT_BUCKET?.trim();
  if (reportBucket && !BUCKET_NAME.test(reportBucket))
    throw new Error(`EKSGUARD_REPORT_BUCKET: "${reportBucket}" is not an S3 bucket name (3-63 lower-case letters, digits, dots and hyphens)`);
  const reserve = env.EKSGUARD_TIME_RESERVE_SECONDS?.trim();
  const timeReserveSeconds = reserve ? Number(reserve) : undefined;
  if (timeReserveSeconds !== undefined && !(timeReserveSeconds >= 0)) {
    throw new Error(`EKSGUARD_TIME_RESERVE_SECONDS: expected a number of seconds (0 or more), got "${reserve}"`);
  }
  const digest = env.EKSGUARD_ALERT_DIGEST_THRESHOLD?.trim();
  const alertDigestThreshold = digest ? Number(digest) : undefined;
  if (alertDigestThreshold !== undefined && !(Number.isInteger(alertDigestThreshold) && alertDigestThreshold >= 0)) {
    throw new Error(`EKSGUARD_ALERT_DIGEST_THRESHOLD: expected a whole number of clusters (0 or more), got "${digest}"`);
  }
  const securityHub = (env.EKSGUARD_SECURITY_HUB ?? '').trim().toLowerCase();
  if (!['', 'true', 'false'].includes(securityHub)) throw new Error(`EKSGUARD_SECURITY_HUB: expected true or false, got "${env.EKSGUARD_SECURITY_HUB}"`);
  const root = env.LAMBDA_TASK_ROOT ?? process.cwd();
  // Relative paths are relative to the bundle root, where serverless.yml packages them.
  const inBundle = (path: string | undefined) => (path ? (isAbsolute(path) ? path : join(root, path)) : undefined);
  return {
    regions,
    root,
    policyDir: inBundle(env.EKSGUARD_POLICY_DIR) ?? join(root, 'policies'),
    ...(env.EKSGUARD_CONFIG ? { configFile: inBundle(env.EKSGUARD_CONFIG) } : {}),
    ...(env.EKSGUARD_EXCEPTIONS ? { exceptionsFile: inBundle(env.EKSGUARD_EXCEPTIONS) } : {}),
    ...(env.EKSGUARD_STATE_TABLE ? { stateTable: env.EKSGUARD_STATE_TABLE } : {}),
    ...(env.EKSGUARD_TOPIC_ARN ? { topicArn: env.EKSGUARD_TOPIC_ARN } : {}),
    ...(reminderHours !== undefined ? { reminderHours } : {}),
    ...(minSeverity ? { alertMinSeverity: minSeverity as Severity } : {}),
    ...(reportBucket ? { reportBucket } : {}),
    ...(timeReserveSeconds !== undefined ? { timeReserveSeconds } : {}),
    ...(alertDigestThreshold !== undefined ? { alertDigestThreshold } : {}),
    ...(securityHub === 'true' ? { securityHub: true } : {}),
  };
}
