/**
 * Lambda entry behind every eksguard AWS Config rule (one rule per policy, generated from the
 * policy files by infra/config-rules.cjs). Policies load on the first invocation (validated when the bundle
 * was built: policy-files/lambda-policy-set.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createConfigRuleHandler } from './app/config-rule.js';
import { readHandlerConfig } from './app/environment.js';
import { lambdaPolicySet } from './policy-files/lambda-policy-set.js';
import { awsCollector, configEvaluationSink, dynamoDbStateStore, snsPublisher } from './wiring.js';

const config = readHandlerConfig(process.env);
if (!config.stateTable) throw new Error('config-rule: EKSGUARD_STATE_TABLE must name the state table (the rules share collections through it)');
const logger = new Logger({ serviceName: 'eksguard-config-rule' });
const region = process.env.AWS_REGION ?? config.regions[0]!;

// SDK clients are built at init; the policies load and compile on the first invocation.
const adapters = {
  region,
  store: dynamoDbStateStore(config.stateTable),
  ...(config.topicArn ? { publisher: snsPublisher(config.topicArn) } : {}),
  ...(config.alertMinSeverity ? { alertMinSeverity: config.alertMinSeverity } : {}),
  ...(config.timeReserveSeconds !== undefined ? { timeReserveSeconds: config.timeReserveSeconds } : {}),
  ...(config.alertDigestThreshold !== undefined ? { alertDigestThreshold: config.alertDigestThreshold } : {}),
  evaluations: configEvaluationSink(),
  collector: awsCollector(region),
  log: (message: string, detail: Record<string, unknown>) => logger.info(message, detail),
};

let evaluate: ReturnType<typeof createConfigRuleHandler> | undefined;
export const handler: ReturnType<typeof createConfigRuleHandler> = (event, context) => {
  evaluate ??= createConfigRuleHandler({ ...adapters, ...lambdaPolicySet(config, config.root) });
  return evaluate(event, context);
};
