/**
 * Lambda entry of the scheduled scan (EventBridge): scans the configured regions, logs a
 * structured summary and emits counts as CloudWatch metrics (EMF). Policies load on the first invocation (validated when the bundle
 * was built: policy-files/lambda-policy-set.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { readHandlerConfig } from './app/environment.js';
import { createScanHandler } from './app/scan-handler.js';
import { lambdaPolicySet } from './policy-files/lambda-policy-set.js';
import { LogPublisher } from './publishers/log-publisher.js';
import { awsCollector, dynamoDbStateStore, s3ReportStore, securityHubExporter, snsPublisher } from './wiring.js';
import { policyIndex, policyInfo } from './core/report/policy-info.js';

const config = readHandlerConfig(process.env);
const logger = new Logger({ serviceName: 'eksguard-scan' });

// SDK clients are built at init; the policies load and compile on the first invocation (they
// cost more than the clients do at cold start, and an invocation that fails on them says why).
const adapters = {
  ...(config.stateTable ? { store: dynamoDbStateStore(config.stateTable), publisher: config.topicArn ? snsPublisher(config.topicArn) : new LogPublisher(logger) } : {}),
  ...(config.reportBucket ? { reportStore: s3ReportStore(config.reportBucket) } : {}),
  ...(config.stateTable && config.securityHub ? { findingsExporter: securityHubExporter() } : {}),
  collector: awsCollector(config.regions[0]!),
  logger,
  metrics: new Metrics({ namespace: 'eksguard', serviceName: 'eksguard-scan' }),
};

let scan: ReturnType<typeof createScanHandler> | undefined;
export const handler: ReturnType<typeof createScanHandler> = (event, context) => {
  scan ??= (() => {
    const set = lambdaPolicySet(config, config.root);
    const { findingsExporter, ...rest } = adapters;
    return createScanHandler({
      config,
      ...set,
      ...rest,
      ...(findingsExporter ? { exporter: { exporter: findingsExporter, policies: policyIndex(set.policies.map(policyInfo)) } } : {}),
    });
  })();
  return scan(event, context);
};
