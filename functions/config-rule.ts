/**
 * Lambda entry behind every eksguard AWS Config rule (one rule per policy, generated from the
 * policy files by infra/config-rules.cjs). Policies load at cold start.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { readHandlerConfig } from './app/environment.js';
import { createConfigRuleHandler } from './app/config-rule.js';
import { createStsClient, regionClientCache } from './collect/aws-clients.js';
import { retryStrategyFor } from './collect/retry.js';
import { loadPolicySet } from './policy-files/policy-set.js';
import { regionOfArn, SnsPublisher } from './publishers/sns-publisher.js';
import { DynamoDbStateStore } from './state/dynamodb-state-store.js';

const config = readHandlerConfig(process.env);
if (!config.stateTable) throw new Error('config-rule: EKSGUARD_STATE_TABLE must name the state table (the rules share collections through it)');
const { policies, exceptions } = loadPolicySet(config);
const logger = new Logger({ serviceName: 'eksguard-config-rule' });
const region = process.env.AWS_REGION ?? config.regions[0]!;
const retryStrategy = retryStrategyFor();

export const handler = createConfigRuleHandler({
  region,
  policies,
  exceptions,
  store: new DynamoDbStateStore(new DynamoDBClient({ retryStrategy }), config.stateTable),
  ...(config.topicArn ? { publisher: new SnsPublisher(new SNSClient({ region: regionOfArn(config.topicArn), retryStrategy }), config.topicArn) } : {}),
  ...(config.alertMinSeverity ? { alertMinSeverity: config.alertMinSeverity } : {}),
  configService: new ConfigServiceClient({ retryStrategy }),
  clientsFor: regionClientCache(),
  sts: createStsClient(region),
  log: (message, detail) => logger.info(message, detail),
});
