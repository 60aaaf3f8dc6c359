/**
 * The AWS Config custom rule contract: the Lambda event (AWS's documented example events, adapted
 * to AWS::EKS::Cluster), eksguard results as PutEvaluations evaluations, and one
 * AWS::Config::ConfigRule per policy file generated for the stack.
 *
 * Example events: https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_example-events.html
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutEvaluationsCommand, type Evaluation } from '@aws-sdk/client-config-service';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../functions/cli/paths.js';
import { parseConfigRuleEvent } from '../functions/core/aws-config/config-event.js';
import { annotation, batchEvaluations, buildEvaluations, type ClusterVerdict } from '../functions/core/aws-config/evaluations.js';
import type { ResultStatus } from '../functions/core/results.js';

const require = createRequire(import.meta.url);

// --- Events -----------------------------------------------------------------------------------

/** AWS's "Example Event for Evaluations Triggered by Configuration Changes", for an EKS cluster. */
const CHANGE_EXAMPLE = {
  invokingEvent:
    '{"configurationItem":{"configurationItemCaptureTime":"2016-02-17T01:36:34.043Z","awsAccountId":"123456789012","configurationItemStatus":"OK","resourceId":"prod-eu","resourceName":"prod-eu","ARN":"arn:aws:eks:us-east-2:123456789012:cluster/prod-eu","awsRegion":"us-east-2","availabilityZone":"Regional","resourceType":"AWS::EKS::Cluster","tags":{"Foo":"Bar"},"relationships":[{"resourceId":"vpc-00000000","resourceType":"AWS::EC2::VPC","name":"Is contained in Vpc"}],"configuration":{"foo":"bar"}},"messageType":"ConfigurationItemChangeNotification"}',
  ruleParameters: '{"policyId":"endpoint-public-access-disabled"}',
  resultToken: 'myResultToken',
  eventLeftScope: false,
  executionRoleArn: 'arn:aws:iam::123456789012:role/config-role',
  configRuleArn: 'arn:aws:config:us-east-2:123456789012:config-rule/config-rule-0123456',
  configRuleName: 'eksguard-endpoint-public-access-disabled',
  configRuleId: 'config-rule-0123456',
  accountId: '123456789012',
  version: '1.0',
};

/** AWS's "Example Event for Evaluations Triggered by Oversized Configuration Changes" (resourceName null). */
const OVERSIZED_EXAMPLE = {
  invokingEvent:
    '{"configurationItemSummary": {"changeType": "UPDATE","configurationItemVersion": "1.2","configurationItemCaptureTime":"2016-10-06T16:46:16.261Z","configurationStateId": 0,"awsAccountId":"123456789012","configurationItemStatus": "OK","resourceType": "AWS::EKS::Cluster","resourceId":"analytics","resourceName":null,"ARN":"arn:aws:eks:us-west-2:123456789012:cluster/analytics","awsRegion": "us-west-2","availabilityZone":"Regional","configurationStateMd5Hash":"8f1ee69b287895a0f8bc5753eca68e96","resourceCreationTime":"2016-10-06T16:46:10.489Z"},"messageType":"OversizedConfigurationItemChangeNotification"}',
  ruleParameters: '{"policyId":"secrets-encryption-cmk"}',
  resultToken: 'myResultToken',
  eventLeftScope: false,
  executionRoleArn: 'arn:aws:iam::123456789012:role/config-role',
  configRuleArn: 'arn:aws:config:us-east-2:123456789012:config-rule/config-rule-ec2-managed-instance-inventory',
  configRuleName: 'eksguard-secrets-encryption-cmk',
  configRuleId: 'config-rule-0123456',
  accountId: '123456789012',
  version: '1.0',
};

/** AWS's "Example Event for Evaluations Triggered by Periodic Frequency". */
const SCHEDULED_EXAMPLE = {
  invokingEvent: '{"awsAccountId":"123456789012","notificationCreationTime":"2016-07-13T21:50:00.373Z","messageType":"ScheduledNotification","recordVersion":"1.0"}',
  ruleParameters: '{"policyId":"kubernetes-version-supported"}',
  resultToken: 'myResultToken',
  eventLeftScope: false,
  executionRoleArn: 'arn:aws:iam::123456789012:role/config-role',
  configRuleArn: 'arn:aws:config:us-east-2:123456789012:config-rule/config-rule-0123456',
  configRuleName: 'eksguard-kubernetes-version-supported',
  configRuleId: 'config-rule-6543210',
  accountId: '123456789012',
  version: '1.0',
};

/** The change example with its configuration item patched. */
function changeEvent(item: Record<string, unknown>, envelope: Record<string, unknown> = {}) {
  const invoking = JSON.parse(CHANGE_EXAMPLE.invokingEvent) as { configurationItem: Record<string, unknown> };
  return { ...CHANGE_EXAMPLE, invokingEvent: JSON.stringify({ ...invoking, configurationItem: { ...invoking.configurationItem, ...item } }), ...envelope };
}
function without<T extends object>(event: T, key: keyof T): Partial<T> {
  const copy: Partial<T> = { ...event };
  delete copy[key];
  return copy;
}
const errorOf = (event: unknown): string => {
  try {
    parseConfigRuleEvent(event);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected parseConfigRuleEvent to throw');
};

describe('parseConfigRuleEvent', () => {
  it('reads a configuration change for an EKS cluster (AWS example event)', () => {
    expect(parseConfigRuleEvent(CHANGE_EXAMPLE)).toEqual({
      ruleName: 'eksguard-endpoint-public-access-disabled',
      policyId: 'endpoint-public-access-disabled',
      resultToken: 'myResultToken',
      accountId: '123456789012',
      leftScope: false,
      trigger: {
        kind: 'change',
        region: 'us-east-2',
        clusterName: 'prod-eu',
        resourceId: 'prod-eu',
        arn: 'arn:aws:eks:us-east-2:123456789012:cluster/prod-eu',
        status: 'OK',
        captureTime: new Date('2016-02-17T01:36:34.043Z'),
        deleted: false,
        notRecorded: false,
      },
    });
  });

  it('reads an oversized change from its summary; with resourceName null the name comes from the ARN', () => {
    const invocation = parseConfigRuleEvent(OVERSIZED_EXAMPLE);
    expect(invocation.policyId).toBe('secrets-encryption-cmk');
    expect(invocation.trigger).toEqual({
      kind: 'oversized',
      region: 'us-west-2',
      clusterName: 'analytics',
      resourceId: 'analytics',
      arn: 'arn:aws:eks:us-west-2:123456789012:cluster/analytics',
      status: 'OK',
      captureTime: new Date('2016-10-06T16:46:16.261Z'),
      deleted: false,
      notRecorded: false,
    });
  });

  it('reads a periodic evaluation, which names no resource', () => {
    const invocation = parseConfigRuleEvent(SCHEDULED_EXAMPLE);
    expect(invocation).toMatchObject({ ruleName: 'eksguard-kubernetes-version-supported', policyId: 'kubernetes-version-supported', leftScope: false });
    expect(invocation.trigger).toEqual({ kind: 'scheduled', notificationTime: new Date('2016-07-13T21:50:00.373Z') });
  });

  it('passes eventLeftScope through, and reads its absence as in scope', () => {
    expect(parseConfigRuleEvent({ ...CHANGE_EXAMPLE, eventLeftScope: true }).leftScope).toBe(true);
    expect(parseConfigRuleEvent(without(CHANGE_EXAMPLE, 'eventLeftScope')).leftScope).toBe(false);
  });

  it('flags deleted and unrecorded clusters', () => {
    const status = (configurationItemStatus: string) => {
      const { trigger } = parseConfigRuleEvent(changeEvent({ configurationItemStatus, configuration: null }));
      if (trigger.kind === 'scheduled') throw new Error('expected a change');
      return { deleted: trigger.deleted, notRecorded: trigger.notRecorded, clusterName: trigger.clusterName };
    };
    expect(status('ResourceDeleted')).toEqual({ deleted: true, notRecorded: false, clusterName: 'prod-eu' });
    expect(status('ResourceDeletedNotRecorded')).toEqual({ deleted: true, notRecorded: true, clusterName: 'prod-eu' });
    expect(status('ResourceNotRecorded')).toEqual({ deleted: false, notRecorded: true, clusterName: 'prod-eu' });
    expect(status('ResourceDiscovered')).toEqual({ deleted: false, notRecorded: false, clusterName: 'prod-eu' });
  });

  it('falls back to the resourceId when neither resourceName nor ARN name the cluster', () => {
    const { trigger } = parseConfigRuleEvent(changeEvent({ resourceName: null, ARN: null, resourceId: 'legacy' }));
    expect(trigger).toMatchObject({ clusterName: 'legacy', resourceId: 'legacy' });
    expect(trigger).not.toHaveProperty('arn');
  });

  it('accepts attributes AWS may add in later event versions', () => {
    expect(parseConfigRuleEvent({ ...SCHEDULED_EXAMPLE, version: '1.1', somethingNew: { a: 1 }, evaluationMode: 'DETECTIVE' }).policyId).toBe('kubernetes-version-supported');
  });

  it('rejects bad events, naming the field and what was expected', () => {
    expect(errorOf(without(CHANGE_EXAMPLE, 'resultToken'))).toBe('config-rule event: resultToken: expected a non-empty string (the token PutEvaluations needs), got nothing');
    expect(errorOf({ ...CHANGE_EXAMPLE, resultToken: '' })).toBe('config-rule event: resultToken: expected a non-empty string (the token PutEvaluations needs), got ""');
    expect(errorOf({ ...SCHEDULED_EXAMPLE, invokingEvent: SCHEDULED_EXAMPLE.invokingEvent.replace('ScheduledNotification', 'ConfigurationSnapshotDeliveryCompleted') })).toBe(
      'config-rule event: invokingEvent.messageType: expected one of ConfigurationItemChangeNotification, OversizedConfigurationItemChangeNotification, ScheduledNotification, got "ConfigurationSnapshotDeliveryCompleted"',
    );
    expect(errorOf({ ...SCHEDULED_EXAMPLE, ruleParameters: '{"myParameterKey":"myParameterValue"}' })).toBe(
      'config-rule event: ruleParameters.policyId: expected the eksguard policy id (the rule InputParameters need "policyId"), got nothing',
    );
    expect(errorOf(without(SCHEDULED_EXAMPLE, 'ruleParameters'))).toBe(
      'config-rule event: ruleParameters: expected a JSON string of the rule parameters ({"policyId": "<policy id>"}), got nothing',
    );
    expect(errorOf({ ...SCHEDULED_EXAMPLE, ruleParameters: '{"policyId":"../etc"}' })).toBe(
      'config-rule event: ruleParameters.policyId: expected an eksguard policy id (lower-case words separated by dashes), got "../etc"',
    );
  });

  it('rejects malformed invoking events and items precisely', () => {
    expect(errorOf({ ...CHANGE_EXAMPLE, invokingEvent: '{not json' })).toMatch(/^config-rule event: invokingEvent: expected a JSON string, got invalid JSON \(/);
    expect(errorOf({ ...CHANGE_EXAMPLE, invokingEvent: '{"messageType":"ConfigurationItemChangeNotification"}' })).toBe(
      'config-rule event: invokingEvent.configurationItem: expected an object, got nothing',
    );
    expect(errorOf(changeEvent({ configurationItemStatus: 'Gone' }))).toBe(
      'config-rule event: invokingEvent.configurationItem.configurationItemStatus: expected one of OK, ResourceDiscovered, ResourceNotRecorded, ResourceDeleted, ResourceDeletedNotRecorded, got "Gone"',
    );
    expect(errorOf(changeEvent({ configurationItemCaptureTime: 'yesterday' }))).toBe(
      'config-rule event: invokingEvent.configurationItem.configurationItemCaptureTime: expected the capture time (an ISO 8601 timestamp), got "yesterday"',
    );
    expect(errorOf({ ...SCHEDULED_EXAMPLE, invokingEvent: '{"messageType":"ScheduledNotification"}' })).toBe(
      'config-rule event: invokingEvent.notificationCreationTime: expected the notification creation time (an ISO 8601 timestamp), got nothing',
    );
    expect(errorOf({ ...CHANGE_EXAMPLE, accountId: '1234' })).toBe('config-rule event: accountId: expected a 12-digit AWS account id, got "1234"');
    expect(errorOf('{}')).toBe('config-rule event: expected an object, got "{}"');
    expect(errorOf({ ...CHANGE_EXAMPLE, eventLeftScope: 'false' })).toBe('config-rule event: eventLeftScope: expected a boolean, got "false"');
  });

  it('refuses a change of another resource type: every eksguard rule is scoped to AWS::EKS::Cluster', () => {
    expect(errorOf(changeEvent({ resourceType: 'AWS::EC2::Instance', resourceId: 'i-00000000' }))).toBe(
      'config-rule event: invokingEvent.configurationItem.resourceType: expected AWS::EKS::Cluster (the scope of every eksguard rule), got "AWS::EC2::Instance"',
    );
  });
});

// --- Evaluations ------------------------------------------------------------------------------

const at = new Date('2024-05-01T10:00:00.000Z');
const one = (cluster: ClusterVerdict, policyId = 'endpoint-public-access-disabled') => buildEvaluations({ policyId, orderingTimestamp: at, clusters: [cluster] })[0]!;
const withStatus = (status: ResultStatus, message: string) => one({ clusterName: 'prod', result: { status, message } });

describe('buildEvaluations', () => {
  it('maps pass, fail and not-applicable, one AWS::EKS::Cluster evaluation per cluster', () => {
    const evaluations = buildEvaluations({
      policyId: 'endpoint-public-access-disabled',
      orderingTimestamp: at,
      clusters: [
        { clusterName: 'a', result: { status: 'pass', message: 'The API server endpoint is private only.' } },
        { clusterName: 'b', result: { status: 'fail', message: 'cluster b has endpointPublicAccess=true: the API server is reachable from 0.0.0.0/0' } },
        { clusterName: 'c', result: { status: 'not-applicable', message: 'the cluster has no managed node groups' } },
      ],
    });
    expect(evaluations).toEqual([
      {
        ComplianceResourceType: 'AWS::EKS::Cluster',
        ComplianceResourceId: 'a',
        ComplianceType: 'COMPLIANT',
        Annotation: 'The API server endpoint is private only.',
        OrderingTimestamp: at,
      },
      {
        ComplianceResourceType: 'AWS::EKS::Cluster',
        ComplianceResourceId: 'b',
        ComplianceType: 'NON_COMPLIANT',
        Annotation: 'cluster b has endpointPublicAccess=true: the API server is reachable from 0.0.0.0/0',
        OrderingTimestamp: at,
      },
      {
        ComplianceResourceType: 'AWS::EKS::Cluster',
        ComplianceResourceId: 'c',
        ComplianceType: 'NOT_APPLICABLE',
        Annotation: 'Not applicable: the cluster has no managed node groups',
        OrderingTimestamp: at,
      },
    ]);
    // The shape PutEvaluations takes, without casts.
    const sdk: Evaluation[] = evaluations;
    expect(new PutEvaluationsCommand({ ResultToken: 'token', Evaluations: sdk }).input.Evaluations).toHaveLength(3);
  });

  it('reports a deleted cluster NOT_APPLICABLE so it stops counting as non-compliant', () => {
    expect(one({ clusterName: 'old', gone: true })).toMatchObject({
      ComplianceResourceId: 'old',
      ComplianceType: 'NOT_APPLICABLE',
      Annotation: "Cluster old was deleted or left the rule's scope; eksguard no longer evaluates it.",
    });
    expect(one({ clusterName: 'old', gone: true, result: { status: 'fail', message: 'x' } }).ComplianceType).toBe('NOT_APPLICABLE');
  });

  it('reports an excepted failure COMPLIANT, saying it is excepted, until when and by whom', () => {
    const exception = { owner: 'platform-team', reason: 'migration to private endpoint in Q1', expires: '2099-01-31', location: 'policies/settings/exceptions.yaml:4' };
    const evaluation = one({ clusterName: 'prod', result: { status: 'excepted', message: 'cluster prod has endpointPublicAccess=true', exception } });
    expect(evaluation.ComplianceType).toBe('COMPLIANT');
    expect(evaluation.Annotation).toBe(
      'Excepted until 2099-01-31 by platform-team: migration to private endpoint in Q1 (reviewed risk acceptance). Failure: cluster prod has endpointPublicAccess=true',
    );
    expect(withStatus('excepted', 'public endpoint').Annotation).toBe('Excepted (reviewed, expiring risk acceptance). Failure: public endpoint');
  });

  it('still says until when and by whom for a finding stored before exceptions were data (the note is in its message)', () => {
    const stored = withStatus('excepted', 'cluster prod has endpointPublicAccess=true [excepted until 2099-01-31 by platform-team: migration to private endpoint in Q1]');
    expect(stored.ComplianceType).toBe('COMPLIANT');
    expect(stored.Annotation).toBe(
      'Excepted (reviewed, expiring risk acceptance). Failure: cluster prod has endpointPublicAccess=true [excepted until 2099-01-31 by platform-team: migration to private endpoint in Q1]',
    );
  });

  it('reports an error NON_COMPLIANT with "Could not evaluate:" and what could not be read, never compliant', () => {
    const evaluation = withStatus('error', 'could not read nodegroups: AccessDeniedException: not authorized to perform eks:ListNodegroups');
    expect(evaluation.ComplianceType).toBe('NON_COMPLIANT');
    expect(evaluation.Annotation).toBe('Could not evaluate: could not read nodegroups: AccessDeniedException: not authorized to perform eks:ListNodegroups');
    expect(withStatus('error', '  ').Annotation).toBe('Could not evaluate: the cluster could not be read');
    expect(one({ clusterName: 'prod' })).toMatchObject({
      ComplianceType: 'NON_COMPLIANT',
      Annotation: 'Could not evaluate: no eksguard result for policy endpoint-public-access-disabled on this cluster.',
    });
  });

  it('never sends INSUFFICIENT_DATA', () => {
    const statuses: ResultStatus[] = ['pass', 'fail', 'error', 'not-applicable', 'excepted'];
    const types = statuses.map((status) => withStatus(status, 'm').ComplianceType);
    expect(types).not.toContain('INSUFFICIENT_DATA');
    expect(new Set(types)).toEqual(new Set(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE']));
  });

  it('keeps annotations within 256 characters, never empty, cut at a word boundary with "…"', () => {
    const cidrs = Array.from({ length: 40 }, (_, i) => `10.${i}.0.0/16`).join(', ');
    const long = `cluster prod allows the API server from ${cidrs}`;
    const evaluation = withStatus('fail', long);
    expect(long.length).toBeGreaterThan(256);
    expect(evaluation.Annotation.length).toBeLessThanOrEqual(256);
    expect(evaluation.Annotation.endsWith('…')).toBe(true);
    expect(evaluation.Annotation.startsWith('cluster prod allows the API server from 10.0.0.0/16, 10.1.0.0/16')).toBe(true);
    // Cut between words: what precedes the ellipsis is a whole CIDR from the message.
    const lastWord = evaluation.Annotation.slice(0, -1).split(' ').at(-1)!;
    expect(long.split(/[ ,]+/)).toContain(lastWord);

    expect(withStatus('fail', '').Annotation).toBe('Fails eksguard policy endpoint-public-access-disabled.');
    expect(withStatus('pass', ' \n ').Annotation).toBe('Passes eksguard policy endpoint-public-access-disabled.');
    expect(withStatus('fail', 'line one\n  line two').Annotation).toBe('line one line two');
  });

  it('truncates exactly at the limit and cuts a word-less text hard', () => {
    expect(annotation('x'.repeat(256))).toBe('x'.repeat(256));
    const hard = annotation('x'.repeat(300));
    expect(hard).toHaveLength(256);
    expect(hard).toBe(`${'x'.repeat(255)}…`);
    expect(annotation('😀'.repeat(200)).length).toBeLessThanOrEqual(256);
    expect(annotation('😀'.repeat(200)).slice(-2, -1)).not.toMatch(/[\uD800-\uDBFF]/);
    for (const status of ['pass', 'fail', 'error', 'not-applicable', 'excepted'] as const) {
      const note = withStatus(status, 'word '.repeat(100)).Annotation;
      expect(note.length, status).toBeLessThanOrEqual(256);
      expect(note.length, status).toBeGreaterThan(0);
    }
  });

  it('uses a given resourceId as ComplianceResourceId, and refuses duplicates and bad timestamps', () => {
    expect(one({ clusterName: 'prod', resourceId: 'prod-id', result: { status: 'pass', message: 'ok' } }).ComplianceResourceId).toBe('prod-id');
    expect(() =>
      buildEvaluations({
        policyId: 'p',
        orderingTimestamp: at,
        clusters: [
          { clusterName: 'a', gone: true },
          { clusterName: 'a', gone: true },
        ],
      }),
    ).toThrow('config evaluations: cluster "a" appears twice for policy p');
    expect(() => buildEvaluations({ policyId: 'p', orderingTimestamp: new Date('nope'), clusters: [] })).toThrow('orderingTimestamp must be a valid Date');
  });
});

describe('batchEvaluations', () => {
  it('splits into PutEvaluations calls of at most 100', () => {
    const clusters = Array.from({ length: 250 }, (_, i): ClusterVerdict => ({ clusterName: `c${i}`, result: { status: 'pass', message: 'ok' } }));
    const batches = batchEvaluations(buildEvaluations({ policyId: 'p', orderingTimestamp: at, clusters }));
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batches.flat().map((e) => e.ComplianceResourceId)).toEqual(clusters.map((c) => c.clusterName));
    expect(batchEvaluations([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batchEvaluations([])).toEqual([]);
  });

  it('refuses batch sizes PutEvaluations would reject', () => {
    expect(() => batchEvaluations([1], 101)).toThrow('batch size must be an integer from 1 to 100, got 101');
    expect(() => batchEvaluations([1], 0)).toThrow(RangeError);
  });
});

// --- The generated rules ----------------------------------------------------------------------

interface ConfigRuleResource {
  Type: string;
  DependsOn: string;
  Properties: {
    ConfigRuleName: string;
    Description: string;
    Scope: { ComplianceResourceTypes: string[] };
    Source: { Owner: string; SourceIdentifier: unknown; SourceDetails: { EventSource: string; MessageType: string; MaximumExecutionFrequency?: string }[] };
    InputParameters: Record<string, string>;
  };
}
type Template = { Resources: Record<string, ConfigRuleResource> };
interface ConfigRulesModule {
  (context?: { options?: object; resolveVariable?: (variable: string) => Promise<unknown> }): Promise<Template>;
  buildConfigRules(policyDir?: string, settings?: { frequency?: string }): Template;
  logicalIdFor(policyId: string): string;
  constants: { LAMBDA_LOGICAL_ID: string; PERMISSION_LOGICAL_ID: string; FREQUENCIES: readonly string[]; DEFAULT_FREQUENCY: string };
}

const configRules = require('../infra/config-rules.cjs') as ConfigRulesModule;
const POLICY_DIR = join(PACKAGE_ROOT, 'policies');
const policyIds = readdirSync(POLICY_DIR)
  .filter((f) => /^[^.]+\.ya?ml$/.test(f))
  .map((f) => f.replace(/\.ya?ml$/, ''))
  .sort();

describe('infra/config-rules.cjs', () => {
  const { Resources } = configRules.buildConfigRules(POLICY_DIR);
  const rules = Object.entries(Resources);

  it('emits one AWS::Config::ConfigRule per policy file in policies/ (not tests, settings or testdata)', () => {
    expect(policyIds.length).toBeGreaterThan(10);
    expect(rules.every(([, r]) => r.Type === 'AWS::Config::ConfigRule')).toBe(true);
    expect(rules.map(([, r]) => r.Properties.InputParameters.policyId).sort()).toEqual(policyIds);
    expect(rules.map(([, r]) => r.Properties.ConfigRuleName).sort()).toEqual(policyIds.map((id) => `eksguard-${id}`));
  });

  it('uses valid, unique names and logical ids', () => {
    expect(Resources.ConfigRuleEndpointPublicAccessDisabled?.Properties.ConfigRuleName).toBe('eksguard-endpoint-public-access-disabled');
    const logicalIds = rules.map(([id]) => id);
    expect(new Set(logicalIds.map((id) => id.toLowerCase())).size).toBe(logicalIds.length);
    for (const [logicalId, rule] of rules) {
      expect(logicalId).toMatch(/^ConfigRule[A-Za-z0-9]+$/);
      expect(logicalId).not.toBe(configRules.constants.PERMISSION_LOGICAL_ID);
      expect(rule.Properties.ConfigRuleName.length).toBeLessThanOrEqual(64);
      expect(rule.Properties.ConfigRuleName).toMatch(/^eksguard-[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.Properties.Description.length).toBeGreaterThan(0);
      expect(rule.Properties.Description.length).toBeLessThanOrEqual(256);
    }
  });

  it('describes each rule by the policy title and severity', () => {
    expect(Resources.ConfigRuleEndpointPublicAccessDisabled?.Properties.Description).toBe(
      '[medium] The Kubernetes API server endpoint is not publicly accessible (eksguard policy endpoint-public-access-disabled)',
    );
  });

  it('scopes every rule to EKS clusters and points it at the config-rule Lambda, after its invoke permission', () => {
    for (const [, rule] of rules) {
      expect(rule.DependsOn).toBe('ConfigRuleInvokePermission');
      expect(rule.Properties.Scope).toEqual({ ComplianceResourceTypes: ['AWS::EKS::Cluster'] });
      expect(rule.Properties.Source).toEqual({
        Owner: 'CUSTOM_LAMBDA',
        SourceIdentifier: { 'Fn::GetAtt': ['ConfigDashruleLambdaFunction', 'Arn'] },
        SourceDetails: [
          { EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' },
          { EventSource: 'aws.config', MessageType: 'OversizedConfigurationItemChangeNotification' },
          { EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: 'TwentyFour_Hours' },
        ],
      });
    }
  });

  it("names the Lambda as osls does for the function 'config-rule'", () => {
    const naming = require('osls/lib/plugins/aws/lib/naming.js') as { getLambdaLogicalId(name: string): string };
    expect(naming.getLambdaLogicalId('config-rule')).toBe(configRules.constants.LAMBDA_LOGICAL_ID);
  });

  it('takes the periodic frequency from a setting, and refuses values Config does not know', () => {
    const details = configRules.buildConfigRules(POLICY_DIR, { frequency: 'Six_Hours' }).Resources.ConfigRuleEndpointPublicAccessDisabled!.Properties.Source.SourceDetails;
    expect(details.at(-1)).toEqual({ EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: 'Six_Hours' });
    expect(() => configRules.buildConfigRules(POLICY_DIR, { frequency: 'Daily' })).toThrow(
      'config rules: configRuleFrequency must be one of One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours, got "Daily"',
    );
  });

  it('configRules=false leaves every rule out; only true or false are accepted', async () => {
    const answer = (enabled: unknown) => async (variable: string) => (variable.startsWith('param:configRules,') ? enabled : 'TwentyFour_Hours');
    expect(await configRules({ resolveVariable: answer('false') })).toEqual({ Resources: {} });
    expect(await configRules({ resolveVariable: answer(false) })).toEqual({ Resources: {} });
    expect(Object.keys((await configRules({ resolveVariable: answer(true) })).Resources)).toHaveLength(policyIds.length);
    await expect(configRules({ resolveVariable: answer('no') })).rejects.toThrow('config rules: configRules must be true or false, got "no"');
  });

  it('resolves as $' + '{file(infra/config-rules.cjs)} through osls, with the configRuleFrequency param or its default', async () => {
    const fileSource = require('osls/lib/configuration/variables/sources/file.js') as {
      resolve(args: Record<string, unknown>): Promise<{ value: Template }>;
    };
    const asked: string[] = [];
    const resolve = (answer: unknown, enabled: unknown = true) =>
      fileSource.resolve({
        serviceDir: PACKAGE_ROOT,
        params: ['infra/config-rules.cjs'],
        options: {},
        resolveConfigurationProperty: async () => undefined,
        resolveVariablesInString: async (s: string) => s,
        resolveVariable: async (variable: string) => {
          asked.push(variable);
          return variable.startsWith('param:configRules,') ? enabled : answer;
        },
      });
    const defaulted = (await resolve('TwentyFour_Hours')).value;
    expect(asked).toEqual(["param:configRules, 'true'", "param:configRuleFrequency, 'TwentyFour_Hours'"]);
    expect(Object.keys(defaulted.Resources).sort()).toEqual(rules.map(([id]) => id).sort());
    const hourly = (await resolve('One_Hour')).value;
    expect(hourly.Resources.ConfigRuleEndpointPublicAccessDisabled!.Properties.Source.SourceDetails.at(-1)?.MaximumExecutionFrequency).toBe('One_Hour');
    expect((await configRules()).Resources.ConfigRuleEndpointPublicAccessDisabled!.Properties.Source.SourceDetails.at(-1)?.MaximumExecutionFrequency).toBe('TwentyFour_Hours');
  });

  it('reports policy files it cannot use and ids that would collide', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eksguard-config-rules-'));
    const policy = (id: string, extra = '') => `apiVersion: eksguard.dev/v1\nkind: Policy\nid: ${id}\ntitle: T ${id}\nseverity: high\n${extra}`;
    expect(() => configRules.buildConfigRules(dir)).toThrow(`config rules: no policy files (<id>.yaml) in ${dir}`);
    writeFileSync(join(dir, 'a1-b.yaml'), policy('a1-b'));
    writeFileSync(join(dir, 'a1-b.test.yaml'), 'cases: []');
    expect(Object.keys(configRules.buildConfigRules(dir).Resources)).toEqual(['ConfigRuleA1B']);
    writeFileSync(join(dir, 'a1b.yaml'), policy('a1b'));
    expect(() => configRules.buildConfigRules(dir)).toThrow('config rules: policies "a1-b" and "a1b" map to the same logical id ConfigRuleA1b');

    const other = mkdtempSync(join(tmpdir(), 'eksguard-config-rules-'));
    writeFileSync(join(other, 'x.yaml'), policy('y'));
    expect(() => configRules.buildConfigRules(other)).toThrow(`config rules: ${join(other, 'x.yaml')}: id "y" must equal the file name "x"`);
    writeFileSync(join(other, 'x.yaml'), policy('x').replace('title: T x\n', ''));
    expect(() => configRules.buildConfigRules(other)).toThrow('title is missing');
    writeFileSync(join(other, 'x.yaml'), policy('x'));
    writeFileSync(join(other, 'invoke-permission.yaml'), policy('invoke-permission'));
    expect(() => configRules.buildConfigRules(other)).toThrow('maps to the logical id ConfigRuleInvokePermission, which another resource of the stack uses');

    const long = mkdtempSync(join(tmpdir(), 'eksguard-config-rules-'));
    const longId = Array.from({ length: 12 }, () => 'abcde').join('-');
    writeFileSync(join(long, `${longId}.yaml`), policy(longId));
    expect(() => configRules.buildConfigRules(long)).toThrow(/is too long: the rule name eksguard-abcde.* has 80 characters \(at most 64\)/);
  });
});
