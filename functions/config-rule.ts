/**
 * Lambda entry behind every eksguard AWS Config rule (one rule per policy, generated from the
 * policy files by infra/config-rules.cjs). Policies load at cold start.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createConfigRuleHandler } from './app/config-rule.js';
import { readHandlerConfig } from './app/environment.js';
import { loadPolicySet } from './policy-files/policy-set.js';
import { awsCollector, configEvaluationSink, dynamoDbStateStore, snsPublisher } from './wiring.js';

const config = readHandlerConfig(process.env);
if (!config.stateTable) throw new Error('config-rule: EKSGUARD_STATE_TABLE must name the state table (the rules share collections through it)');
const { policies, exceptions } = loadPolicySet(config);
const logger = new Logger({ serviceName: 'eksguard-config-rule' });
const region = process.env.AWS_REGION ?? config.regions[0]!;

export const handler = createConfigRuleHandler({
  region,
  policies,
  exceptions,
  store: dynamoDbStateStore(config.stateTable),
  ...(config.topicArn ? { publisher: snsPublisher(config.topicArn) } : {}),
  ...(config.alertMinSeverity ? { alertMinSeverity: config.alertMinSeverity } : {}),
  evaluations: configEvaluationSink(),
  collector: awsCollector(region),
  log: (message, detail) => logger.info(message, detail),
});
