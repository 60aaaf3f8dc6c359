/**
 * Lambda entry of the scheduled scan (EventBridge): scans the configured regions, logs a
 * structured summary and emits counts as CloudWatch metrics (EMF). Policies load at cold start.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { readHandlerConfig } from './app/config.js';
import { createScanHandler } from './app/scan-handler.js';
import { regionClientCache, createStsClient } from './collect/aws-clients.js';
import { loadPolicySet } from './core/policy/policy-set.js';

const config = readHandlerConfig(process.env);
const { policies, exceptions } = loadPolicySet(config);

export const handler = createScanHandler({
  config,
  policies,
  exceptions,
  clientsFor: regionClientCache(),
  sts: createStsClient(config.regions[0]!),
  logger: new Logger({ serviceName: 'eksguard-scan' }),
  metrics: new Metrics({ namespace: 'eksguard', serviceName: 'eksguard-scan' }),
});
