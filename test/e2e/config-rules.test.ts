/**
 * The AWS Config rules end to end: a configuration change notification for one cluster is
 * delivered to every rule at once; the rules share one collection of the cluster (through the
 * state store, dynalite here) and each puts one evaluation with its result token.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConfigRuleHandler } from '../../functions/app/config-rule.js';
import { awsCollector } from '../../functions/wiring.js';
import { ConfigEvaluationSink } from '../../functions/publishers/config-evaluations.js';
import { DEFAULT_POLICY_DIR } from '../../functions/cli/paths.js';
import { loadPolicies } from '../../functions/policy-files/load-policies.js';
import { DynamoDbStateStore } from '../../functions/state/dynamodb-state-store.js';
import { loadDemoWorld } from '../demo/run-demo.js';
import type { Simulator } from '../simulator/server.js';
import type { LocalDynamo } from '../support/dynalite.js';
import { startSimulatedAws, type SimulatedAws } from '../support/simulated-aws.js';

const policies = loadPolicies(DEFAULT_POLICY_DIR);
let simulator: Simulator;
let dynamo: LocalDynamo;
let handler: ReturnType<typeof createConfigRuleHandler>;

function changeEvent(policyId: string, cluster: string, options: { status?: string; leftScope?: boolean } = {}) {
  const configurationItem = {
    configurationItemCaptureTime: new Date(Date.now() - 1000).toISOString(),
    awsAccountId: '111122223333',
    configurationItemStatus: options.status ?? 'OK',
    resourceId: cluster,
    resourceName: cluster,
    ARN: `arn:aws:eks:us-east-1:111122223333:cluster/${cluster}`,
    awsRegion: 'us-east-1',
    availabilityZone: 'Regional',
    resourceType: 'AWS::EKS::Cluster',
    tags: {},
    relationships: [],
    configuration: {},
  };
  return {
    invokingEvent: JSON.stringify({
      configurationItem,
      notificationCreationTime: new Date().toISOString(),
      messageType: 'ConfigurationItemChangeNotification',
      recordVersion: '1.3',
    }),
    ruleParameters: JSON.stringify({ policyId }),
    resultToken: `token-${policyId}-${Math.random().toString(36).slice(2)}`,
    eventLeftScope: options.leftScope ?? false,
    executionRoleArn: 'arn:aws:iam::111122223333:role/config-role',
    configRuleArn: `arn:aws:config:us-east-1:111122223333:config-rule/config-rule-${policyId}`,
    configRuleName: `eksguard-${policyId}`,
    configRuleId: `config-rule-${policyId}`,
    accountId: '111122223333',
    version: '1.0',
  };
}

function scheduledEvent(policyId: string) {
  return {
    ...changeEvent(policyId, 'unused'),
    invokingEvent: JSON.stringify({ awsAccountId: '111122223333', notificationCreationTime: new Date().toISOString(), messageType: 'ScheduledNotification', recordVersion: '1.0' }),
  };
}

const evaluationsFor = (token: string) => simulator.evaluations.filter((e) => e.resultToken === token).flatMap((e) => e.evaluations);

let aws: SimulatedAws;
beforeAll(async () => {
  aws = await startSimulatedAws(await loadDemoWorld());
  ({ simulator, dynamo } = aws);
});
afterAll(() => aws.close());
beforeEach(async () => {
  const table = await dynamo.createStateTable();
  handler = createConfigRuleHandler({
    region: 'us-east-1',
    policies,
    store: new DynamoDbStateStore(dynamo.client, table),
    evaluations: new ConfigEvaluationSink(new ConfigServiceClient({ region: 'us-east-1' })),
    collector: awsCollector('us-east-1'),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 100))),
  });
  simulator.clearLog();
});

describe('AWS Config rules', () => {
  it('a change delivered to every rule costs one collection and yields one evaluation per rule', async () => {
    const events = policies.map((p) => changeEvent(p.id, 'batch-jobs'));
    await Promise.all(events.map((e) => handler(e)));

    const calls = (operation: string) => simulator.log.filter((l) => l.operation === operation).length;
    expect(calls('DescribeCluster')).toBe(1);
    expect(calls('ListClusters')).toBe(0);
    expect(calls('DescribeSubnets')).toBe(1);
    expect(calls('DescribeSecurityGroups')).toBe(1);
    expect(calls('PutEvaluations')).toBe(policies.length);

    const byPolicy = Object.fromEntries(events.map((e, i) => [policies[i]!.id, evaluationsFor(e.resultToken)]));
    for (const evaluations of Object.values(byPolicy)) {
      expect(evaluations).toHaveLength(1);
      expect(evaluations[0]).toMatchObject({ ComplianceResourceType: 'AWS::EKS::Cluster', ComplianceResourceId: 'batch-jobs' });
    }
    expect(byPolicy['endpoint-nodes-can-reach-api']![0]).toMatchObject({ ComplianceType: 'NON_COMPLIANT' });
    expect(String(byPolicy['endpoint-nodes-can-reach-api']![0]!.Annotation)).toContain('203.0.113.10');
    expect(byPolicy['private-endpoint-vpc-dns']![0]).toMatchObject({ ComplianceType: 'NOT_APPLICABLE' });
    expect(byPolicy['deletion-protection-enabled']![0]).toMatchObject({ ComplianceType: 'COMPLIANT' });
  });

  it('the periodic notification evaluates every cluster of the region', async () => {
    const event = scheduledEvent('deletion-protection-enabled');
    await handler(event);
    const evaluations = evaluationsFor(event.resultToken);
    expect(evaluations).toHaveLength(13);
    expect(evaluations.filter((e) => e.ComplianceType === 'NON_COMPLIANT').map((e) => e.ComplianceResourceId)).toEqual(['old-reporting']);
  });

  it('a deleted cluster and an event that left scope are NOT_APPLICABLE, without collecting', async () => {
    const deleted = changeEvent('deletion-protection-enabled', 'gone-cluster', { status: 'ResourceDeleted' });
    const left = changeEvent('deletion-protection-enabled', 'old-reporting', { leftScope: true });
    await handler(deleted);
    await handler(left);
    expect(evaluationsFor(deleted.resultToken)).toMatchObject([{ ComplianceResourceId: 'gone-cluster', ComplianceType: 'NOT_APPLICABLE' }]);
    expect(evaluationsFor(left.resultToken)).toMatchObject([{ ComplianceResourceId: 'old-reporting', ComplianceType: 'NOT_APPLICABLE' }]);
    expect(simulator.log.filter((l) => l.service === 'eks')).toEqual([]);
  });

  it('an error result is never COMPLIANT: it is NON_COMPLIANT and says what could not be read', async () => {
    simulator.setFaults({ rules: [{ service: 'ec2', operation: 'DescribeVpcAttribute', error: 'AccessDenied' }] });
    try {
      const event = changeEvent('private-endpoint-vpc-dns', 'payments-prod');
      await handler(event);
      const [evaluation] = evaluationsFor(event.resultToken);
      expect(evaluation).toMatchObject({ ComplianceType: 'NON_COMPLIANT' });
      expect(String(evaluation!.Annotation)).toMatch(/^Could not evaluate: .*DescribeVpcAttribute/);
    } finally {
      simulator.setFaults(undefined);
    }
  });
});
