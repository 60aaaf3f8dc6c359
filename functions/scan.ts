/**
 * Lambda entry of the scheduled scan (EventBridge): scans the configured regions, logs a
 * structured summary and emits counts as CloudWatch metrics (EMF). Policies load at cold start.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { regionOfArn, SnsPublisher } from './publishers/sns-publisher.js';
import { LogPublisher } from './publishers/log-publisher.js';
import { retryStrategyFor } from './collect/retry.js';
import { DynamoDbStateStore } from './state/dynamodb-state-store.js';
import { readHandlerConfig } from './app/environment.js';
import { createScanHandler } from './app/scan-handler.js';
import { regionClientCache, createStsClient } from './collect/aws-clients.js';
import { loadPolicySet } from './policy-files/policy-set.js';

const config = readHandlerConfig(process.env);
const { policies, exceptions } = loadPolicySet(config);
const logger = new Logger({ serviceName: 'eksguard-scan' });

export const handler = createScanHandler({
  config,
  policies,
  exceptions,
  ...(config.stateTable
    ? {
        store: new DynamoDbStateStore(new DynamoDBClient({ retryStrategy: retryStrategyFor() }), config.stateTable),
        publisher: config.topicArn ? new SnsPublisher(new SNSClient({ region: regionOfArn(config.topicArn), retryStrategy: retryStrategyFor() }), config.topicArn) : new LogPublisher(logger),
      }
    : {}),
  clientsFor: regionClientCache(),
  sts: createStsClient(config.regions[0]!),
  logger,
  metrics: new Metrics({ namespace: 'eksguard', serviceName: 'eksguard-scan' }),
});
