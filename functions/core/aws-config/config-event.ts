/**
 * The event AWS Config passes to the Lambda function of a custom (CUSTOM_LAMBDA) rule, validated
 * and reduced to what eksguard needs: which rule and policy, the result token, and what triggered
 * the evaluation (one cluster's change, or the periodic schedule).
 *
 * The event contract: functions/core/README.md, "AWS Config rule events".
 *
 * Decisions:
 * - A change for a resource type other than AWS::EKS::Cluster is an error, not a NOT_APPLICABLE
 *   evaluation: every eksguard rule is scoped to AWS::EKS::Cluster (infra/config-rules.cjs), so such
 *   an event means the rule was re-scoped by hand; failing the invocation makes that visible in the
 *   rule's status instead of quietly reporting foreign resources as not applicable.
 * - The cluster name is the item's resourceName, else the name in its ARN
 *   (arn:<partition>:eks:<region>:<account>:cluster/<name>), else its resourceId. No AWS page
 *   states the resourceId of an AWS::EKS::Cluster outright; in practice it is the cluster name too
 *   (Cloud Custodian's Config source for AWS::EKS::Cluster keys clusters by name). `resourceId` is
 *   returned as sent, so an evaluation can echo exactly the ComplianceResourceId Config knows.
 * - `eventLeftScope` absent reads as false (AWS documents it on every event; absence must not make a
 *   cluster look out of scope).
 */
import { boolean, type Check, type Checked, map, nullish, object, oneOf, optional, refine, show, string, validate as check } from '../event-checks.js';

export const EKS_CLUSTER_RESOURCE_TYPE = 'AWS::EKS::Cluster';

export const MESSAGE_TYPES = ['ConfigurationItemChangeNotification', 'OversizedConfigurationItemChangeNotification', 'ScheduledNotification'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const CONFIGURATION_ITEM_STATUSES = ['OK', 'ResourceDiscovered', 'ResourceNotRecorded', 'ResourceDeleted', 'ResourceDeletedNotRecorded'] as const;
export type ConfigurationItemStatus = (typeof CONFIGURATION_ITEM_STATUSES)[number];

const DELETED: ReadonlySet<ConfigurationItemStatus> = new Set(['ResourceDeleted', 'ResourceDeletedNotRecorded']);
const NOT_RECORDED: ReadonlySet<ConfigurationItemStatus> = new Set(['ResourceNotRecorded', 'ResourceDeletedNotRecorded']);

/** One cluster's configuration change (a full configuration item, or the summary of an oversized one). */
export interface ResourceTrigger {
  region: string;
  clusterName: string;
  /** The resourceId exactly as Config sent it: the ComplianceResourceId Config expects back. */
  resourceId: string;
  arn?: string;
  status: ConfigurationItemStatus;
  /** configurationItemCaptureTime: the OrderingTimestamp of the evaluation. */
  captureTime: Date;
  /** ResourceDeleted or ResourceDeletedNotRecorded. */
  deleted: boolean;
  /** ResourceNotRecorded or ResourceDeletedNotRecorded: the recorder did not record its configuration. */
  notRecorded: boolean;
}

export type ConfigRuleTrigger = ({ kind: 'change' } & ResourceTrigger) | ({ kind: 'oversized' } & ResourceTrigger) | { kind: 'scheduled'; notificationTime: Date };

export interface ConfigRuleInvocation {
  ruleName: string;
  /** From ruleParameters.policyId (the rule's InputParameters). */
  policyId: string;
  resultToken: string;
  accountId: string;
  /** eventLeftScope: the resource left the rule's scope; evaluate it NOT_APPLICABLE. */
  leftScope: boolean;
  trigger: ConfigRuleTrigger;
}

const text = (what: string) => string(what, { nonEmpty: true });
const optionalText = (what: string) => nullish(string(what));
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const isoTime = (what: string) => map(string(`${what} (an ISO 8601 timestamp)`, { test: (s) => ISO_TIME.test(s) && !Number.isNaN(Date.parse(s)) }), (s) => new Date(s));
const POLICY_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const Envelope = object(
  {
    invokingEvent: text('a JSON string (the invoking event)'),
    ruleParameters: text('a JSON string of the rule parameters ({"policyId": "<policy id>"})'),
    resultToken: text('a non-empty string (the token PutEvaluations needs)'),
    eventLeftScope: optional(boolean('a boolean')),
    executionRoleArn: optionalText('a string'),
    configRuleArn: optionalText('a string'),
    configRuleName: text('the Config rule name'),
    configRuleId: optionalText('a string'),
    accountId: string('a 12-digit AWS account id', { pattern: /^\d{12}$/ }),
    version: optionalText('a string'),
    evaluationMode: optionalText('a string'),
  },
  'an object',
);

const RuleParameters = object(
  {
    policyId: refine(
      string('the eksguard policy id (the rule InputParameters need "policyId")'),
      (id) => POLICY_ID.test(id),
      'an eksguard policy id (lower-case words separated by dashes)',
    ),
  },
  'a JSON object',
);

/** Fields shared by a configurationItem and a configurationItemSummary. */
const ConfigurationItem = object(
  {
    configurationItemStatus: oneOf(CONFIGURATION_ITEM_STATUSES, `one of ${CONFIGURATION_ITEM_STATUSES.join(', ')}`),
    resourceType: text('a resource type'),
    resourceId: text('the resource id'),
    resourceName: optionalText('a string or null'),
    awsRegion: text('an AWS region'),
    configurationItemCaptureTime: isoTime('the capture time'),
    ARN: optionalText('a string or null'),
  },
  'an object',
);

const ChangeNotification = object({ configurationItem: ConfigurationItem }, 'an object');
const OversizedNotification = object({ configurationItemSummary: ConfigurationItem }, 'an object');
const ScheduledNotification = object({ notificationCreationTime: isoTime('the notification creation time') }, 'an object');

function fail(path: string, problem: string): never {
  throw new Error(`config-rule event: ${path ? `${path}: ` : ''}${problem}`);
}

function validate<T>(schema: Check<T>, value: unknown, prefix: string): T {
  const outcome = check(schema, value, prefix);
  if ('problems' in outcome) throw new Error(`config-rule event: ${outcome.problems}`);
  return outcome.data;
}

function parseJsonField(value: string, path: string): unknown {
  try {
    return JSON.parse(value);
  } catch (error) {
    return fail(path, `expected a JSON string, got invalid JSON (${(error as Error).message})`);
  }
}

const ARN_CLUSTER = /^arn:[^:]+:eks:[^:]*:\d*:cluster\/(.+)$/;

function resourceTrigger(item: Checked<typeof ConfigurationItem>, path: string): ResourceTrigger {
  if (item.resourceType !== EKS_CLUSTER_RESOURCE_TYPE) {
    fail(`${path}.resourceType`, `expected ${EKS_CLUSTER_RESOURCE_TYPE} (the scope of every eksguard rule), got ${show(item.resourceType)}`);
  }
  const fromArn = item.ARN ? ARN_CLUSTER.exec(item.ARN)?.[1] : undefined;
  const status = item.configurationItemStatus;
  return {
    region: item.awsRegion,
    clusterName: item.resourceName || fromArn || item.resourceId,
    resourceId: item.resourceId,
    ...(item.ARN ? { arn: item.ARN } : {}),
    status,
    captureTime: item.configurationItemCaptureTime,
    deleted: DELETED.has(status),
    notRecorded: NOT_RECORDED.has(status),
  };
}

/** Validates a Config custom-rule event; throws an Error naming the field and what was expected. */
export function parseConfigRuleEvent(event: unknown): ConfigRuleInvocation {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) fail('', `expected an object, got ${show(event)}`);
  const envelope = validate(Envelope, event, '');
  const parameters = validate(RuleParameters, parseJsonField(envelope.ruleParameters, 'ruleParameters'), 'ruleParameters');
  const invoking = parseJsonField(envelope.invokingEvent, 'invokingEvent');
  if (typeof invoking !== 'object' || invoking === null || Array.isArray(invoking)) fail('invokingEvent', `expected a JSON object, got ${show(invoking)}`);
  const messageType = (invoking as { messageType?: unknown }).messageType;
  let trigger: ConfigRuleTrigger;
  switch (messageType) {
    case 'ConfigurationItemChangeNotification': {
      const { configurationItem } = validate(ChangeNotification, invoking, 'invokingEvent');
      trigger = { kind: 'change', ...resourceTrigger(configurationItem, 'invokingEvent.configurationItem') };
      break;
    }
    case 'OversizedConfigurationItemChangeNotification': {
      const { configurationItemSummary } = validate(OversizedNotification, invoking, 'invokingEvent');
      trigger = { kind: 'oversized', ...resourceTrigger(configurationItemSummary, 'invokingEvent.configurationItemSummary') };
      break;
    }
    case 'ScheduledNotification': {
      const { notificationCreationTime } = validate(ScheduledNotification, invoking, 'invokingEvent');
      trigger = { kind: 'scheduled', notificationTime: notificationCreationTime };
      break;
    }
    default:
      return fail('invokingEvent.messageType', `expected one of ${MESSAGE_TYPES.join(', ')}, got ${show(messageType)}`);
  }
  return {
    ruleName: envelope.configRuleName,
    policyId: parameters.policyId,
    resultToken: envelope.resultToken,
    accountId: envelope.accountId,
    leftScope: envelope.eventLeftScope ?? false,
    trigger,
  };
}
