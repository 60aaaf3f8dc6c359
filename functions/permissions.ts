/**
 * The IAM actions each function's code calls, assembled from the lists kept next to that code.
 * The deployment tests check serverless.yml's grants against these, and these against the
 * calls the simulator records.
 */
import { COLLECTOR_ACTIONS } from './collect/permissions.js';
import { REPORT_STORE_ACTIONS } from './publishers/s3-report-store.js';
import { STATE_STORE_ACTIONS } from './state/permissions.js';

export const PUBLISH_ACTIONS = ['sns:Publish'] as const;
export const CONFIG_RULE_ACTIONS = ['config:PutEvaluations'] as const;
/** The Security Hub export (functions/securityhub/), granted on the account's default product ARN only. */
export const SECURITY_HUB_ACTIONS = ['securityhub:BatchImportFindings'] as const;

export const FUNCTION_ACTIONS = {
  scan: [...COLLECTOR_ACTIONS, ...STATE_STORE_ACTIONS, ...PUBLISH_ACTIONS, ...REPORT_STORE_ACTIONS, ...SECURITY_HUB_ACTIONS],
  'config-rule': [...COLLECTOR_ACTIONS, ...STATE_STORE_ACTIONS, ...PUBLISH_ACTIONS, ...CONFIG_RULE_ACTIONS],
} as const;
