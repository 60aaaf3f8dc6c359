/**
 * Change events: CloudTrail calls delivered by EventBridge rules to SQS (infra/cloudtrail-rules.yml),
 * parsed and turned into the clusters to re-scan (functions/core/events/cloudtrail-events.ts and change-targets.ts).
 *
 * Sample events (test/events/cloudtrail-*.json) are full SQS events as the scan function receives
 * them, with EventBridge "AWS API Call via CloudTrail" bodies shaped like AWS's examples:
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { DEFAULT_POLICY_DIR, PACKAGE_ROOT } from '../functions/cli/paths.js';
import type { ClusterRecord } from '../functions/core/drift/record.js';
import { referencedIds, targetsOf } from '../functions/core/events/change-targets.js';
import {
  CHANGE_EVENT_SOURCES,
  CLOUDTRAIL_DETAIL_TYPE,
  EC2_EVENT_NAMES,
  EKS_EVENT_NAMES,
  IAM_EVENT_NAMES,
  parseChangeEvents,
  type ChangeEvent,
} from '../functions/core/events/cloudtrail-events.js';
import { loadBaseSnapshot } from '../functions/policy-files/policy-cases.js';
import { ClusterSnapshot } from '../functions/core/snapshot/schema.js';

const ACCOUNT = '111122223333';

// --- Fixtures ---------------------------------------------------------------------------------

const sample = (name: string): unknown => JSON.parse(readFileSync(join(PACKAGE_ROOT, 'test', 'events', name), 'utf8'));

const base = loadBaseSnapshot(DEFAULT_POLICY_DIR);

/** The base snapshot (a valid, fully wired cluster) renamed, moved and with its ids replaced. */
function variant(name: string, region: string, ids: Record<string, string>): ClusterSnapshot {
  let json = JSON.stringify(base);
  for (const [from, to] of Object.entries(ids)) json = json.replaceAll(`"${from}"`, `"${to}"`).replaceAll(`/${from}"`, `/${to}"`);
  json = json.replaceAll('us-east-1', region);
  const snapshot = JSON.parse(json) as ClusterSnapshot;
  snapshot.cluster.name = name;
  snapshot.cluster.arn = `arn:aws:eks:${region}:${ACCOUNT}:cluster/${name}`;
  return ClusterSnapshot.parse(snapshot);
}

/** The cluster the samples are about (eu-west-1). */
const payments = variant('payments', 'eu-west-1', {
  'sg-cluster': 'sg-0c1d2e3f4a5b6c7d8',
  'vpc-0base': 'vpc-0a1b2c3d4e5f67890',
  'subnet-a': 'subnet-0aa11bb22cc33dd44',
  'subnet-b': 'subnet-0ee55ff66aa77bb88',
  'rtb-private': 'rtb-0123abcd4567ef890',
  'nat-0base': 'nat-0a9b8c7d6e5f43210',
  'dopt-0base': 'dopt-0f1e2d3c4b5a69788',
  'acl-default': 'acl-0payments0000001',
  'eks-cluster-role': 'payments-eks-cluster-role',
});
/** Another cluster in the same region, in its own VPC, whose public subnets route to an internet gateway. */
const ledger = (() => {
  const snapshot = variant('ledger', 'eu-west-1', {
    'sg-cluster': 'sg-0ledger00000000001',
    'vpc-0base': 'vpc-0ledger000000001',
    'subnet-a': 'subnet-0ledger0000001',
    'subnet-b': 'subnet-0ledger0000002',
    'rtb-private': 'rtb-0ledger000000001',
    'nat-0base': 'nat-0ledger000000001',
    'dopt-0base': 'dopt-0ledger00000001',
    'acl-default': 'acl-0ledger000000001',
    'eks-cluster-role': 'ledger-cluster-role',
  });
  snapshot.vpcEndpoints = {
    'vpce-0ledger00000001': {
      id: 'vpce-0ledger00000001',
      vpcId: 'vpc-0ledger000000001',
      serviceName: 'com.amazonaws.eu-west-1.ecr.api',
      type: 'Interface',
      state: 'available',
      privateDnsEnabled: true,
      subnetIds: ['subnet-0ledger0000001'],
      routeTableIds: [],
      securityGroupIds: ['sg-0ledger00000000001'],
    },
  };
  snapshot.prefixLists = { 'pl-0ledgeroffice0001': { id: 'pl-0ledgeroffice0001', name: 'office', addressFamily: 'IPv4', cidrs: ['198.51.100.0/24'] } };
  const table = snapshot.routeTables['rtb-0ledger000000001']!;
  table.routes = [table.routes[0]!, { destination: '0.0.0.0/0', target: { type: 'internet-gateway', id: 'igw-0ledger00000001' }, state: 'active' }];
  table.defaultRoute = { type: 'internet-gateway', id: 'igw-0ledger00000001' };
  snapshot.nodegroups = [{ ...snapshot.nodegroups[0]!, securityGroupIds: ['sg-0ledgernodes000001'], launchTemplateId: 'lt-0ledger', usesClusterSecurityGroup: false }];
  return ClusterSnapshot.parse(snapshot);
})();
/** The base cluster as is, in us-east-1. */
const east = base;

const record = (snapshot: ClusterSnapshot | undefined, key?: Partial<ClusterRecord>): ClusterRecord => ({
  account: snapshot?.account ?? ACCOUNT,
  region: snapshot?.region ?? 'eu-west-1',
  cluster: snapshot?.cluster.name ?? 'unknown',
  version: 3,
  ...(snapshot ? { snapshot, snapshotHash: 'h' } : {}),
  findings: {},
  scanId: 'scan-1',
  updatedAt: '2026-11-25T07:00:00Z',
  ...key,
});
const STATE = [record(payments), record(ledger), record(east)];

// --- Building events --------------------------------------------------------------------------

type Service = 'eks' | 'ec2' | 'iam';
interface CallSpec {
  service: Service;
  eventName: string;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  region?: string;
  account?: string;
  errorCode?: string;
}

let counter = 0;
function eventBridge(call: CallSpec): Record<string, unknown> {
  counter += 1;
  const region = call.region ?? (call.service === 'iam' ? 'us-east-1' : 'eu-west-1');
  return {
    version: '0',
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    'detail-type': CLOUDTRAIL_DETAIL_TYPE,
    source: `aws.${call.service}`,
    account: call.account ?? ACCOUNT,
    time: '2026-11-25T08:10:00Z',
    region,
    resources: [],
    detail: {
      eventVersion: '1.09',
      eventTime: '2026-11-25T08:10:00Z',
      eventSource: `${call.service}.amazonaws.com`,
      eventName: call.eventName,
      awsRegion: region,
      requestParameters: call.requestParameters ?? null,
      responseElements: call.responseElements ?? null,
      ...(call.errorCode ? { errorCode: call.errorCode, errorMessage: 'denied' } : {}),
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: call.account ?? ACCOUNT,
      eventCategory: 'Management',
    },
  };
}
const sqsEvent = (...bodies: (Record<string, unknown> | string)[]) => ({
  Records: bodies.map((body, index) => ({
    messageId: `msg-${index}`,
    receiptHandle: 'AQEB',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {},
    messageAttributes: {},
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:eu-west-1:${ACCOUNT}:ChangeEventsQueue`,
    awsRegion: 'eu-west-1',
  })),
});
const calls = (...specs: CallSpec[]) => sqsEvent(...specs.map(eventBridge));
const parsedOk = (...specs: CallSpec[]): ChangeEvent[] => {
  const { events, rejected } = parseChangeEvents(calls(...specs));
  expect(rejected).toEqual([]);
  return events;
};
const targets = (specs: CallSpec[], records = STATE, options = {}) => targetsOf(parsedOk(...specs), records, options);
const ec2 = (eventName: string, requestParameters: Record<string, unknown>, region?: string): CallSpec => ({
  service: 'ec2',
  eventName,
  requestParameters,
  ...(region ? { region } : {}),
});

// --- Samples ----------------------------------------------------------------------------------

describe('sample events', () => {
  const parsedSample = (name: string) => {
    const { events, rejected } = parseChangeEvents(sample(name));
    expect(rejected).toEqual([]);
    expect(events).toHaveLength(1);
    return events;
  };

  it('EKS UpdateClusterConfig (public endpoint opened) names the cluster', () => {
    const events = parsedSample('cloudtrail-eks-update-cluster-config.json');
    expect(events).toEqual([
      {
        messageId: '7c1f3a52-93d4-4b8e-a1c6-2f0e9b7d4a11',
        region: 'eu-west-1',
        account: ACCOUNT,
        eventName: 'UpdateClusterConfig',
        eventSource: 'eks.amazonaws.com',
        time: '2026-11-25T08:00:41Z',
        clusterNames: ['payments'],
        resourceIds: [],
      },
    ]);
    expect(targetsOf(events, STATE)).toEqual([{ region: 'eu-west-1', clusterNames: ['payments'] }]);
  });

  it('EC2 AuthorizeSecurityGroupIngress from 0.0.0.0/0 names the group, not the rule sources', () => {
    const events = parsedSample('cloudtrail-ec2-authorize-security-group-ingress.json');
    expect(events[0]).toMatchObject({
      eventName: 'AuthorizeSecurityGroupIngress',
      eventSource: 'ec2.amazonaws.com',
      region: 'eu-west-1',
      clusterNames: [],
      resourceIds: ['sg-0c1d2e3f4a5b6c7d8'],
    });
    expect(targetsOf(events, STATE)).toEqual([{ region: 'eu-west-1', clusterNames: ['payments'] }]);
  });

  it('EC2 ModifyVpcAttribute names the VPC', () => {
    const events = parsedSample('cloudtrail-ec2-modify-vpc-attribute.json');
    expect(events[0]).toMatchObject({ eventName: 'ModifyVpcAttribute', resourceIds: ['vpc-0a1b2c3d4e5f67890'] });
    expect(targetsOf(events, STATE)).toEqual([{ region: 'eu-west-1', clusterNames: ['payments'] }]);
  });

  it('IAM DetachRolePolicy arrives in us-east-1 and targets the cluster using the role, in its own region', () => {
    const events = parsedSample('cloudtrail-iam-detach-role-policy.json');
    expect(events[0]).toMatchObject({ eventName: 'DetachRolePolicy', eventSource: 'iam.amazonaws.com', region: 'us-east-1', resourceIds: ['role/payments-eks-cluster-role'] });
    expect(targetsOf(events, STATE)).toEqual([{ region: 'eu-west-1', clusterNames: ['payments'] }]);
  });

  it('all samples in one batch coalesce into one target', () => {
    const batch = {
      Records: ['eks-update-cluster-config', 'ec2-authorize-security-group-ingress', 'ec2-modify-vpc-attribute', 'iam-detach-role-policy'].flatMap(
        (name) => (sample(`cloudtrail-${name}.json`) as { Records: unknown[] }).Records,
      ),
    };
    const { events, rejected } = parseChangeEvents(batch);
    expect(rejected).toEqual([]);
    expect(events.map((e) => e.eventName)).toEqual(['UpdateClusterConfig', 'AuthorizeSecurityGroupIngress', 'ModifyVpcAttribute', 'DetachRolePolicy']);
    expect(targetsOf(events, STATE)).toEqual([{ region: 'eu-west-1', clusterNames: ['payments'] }]);
  });
});

// --- EKS --------------------------------------------------------------------------------------

describe('EKS calls target the named cluster', () => {
  it('reads the cluster from requestParameters.name, .clusterName or the response', () => {
    const events = parsedOk(
      { service: 'eks', eventName: 'UpdateClusterVersion', requestParameters: { name: 'payments', version: '1.34' } },
      { service: 'eks', eventName: 'CreateNodegroup', requestParameters: { name: 'payments', nodegroupName: 'ng-2', subnets: ['subnet-0aa11bb22cc33dd44'] } },
      { service: 'eks', eventName: 'AssociateEncryptionConfig', requestParameters: { clusterName: 'ledger', encryptionConfig: [] } },
      { service: 'eks', eventName: 'DeleteNodegroup', requestParameters: null, responseElements: { nodegroup: { nodegroupName: 'ng-1', clusterName: 'ledger' } } },
      { service: 'eks', eventName: 'CreateFargateProfile', requestParameters: { fargateProfileName: 'fp' }, responseElements: { fargateProfile: { clusterName: 'payments' } } },
    );
    expect(events.map((e) => e.clusterNames)).toEqual([['payments'], ['payments'], ['ledger'], ['ledger'], ['payments']]);
    expect(targetsOf(events, STATE)).toEqual([{ region: 'eu-west-1', clusterNames: ['ledger', 'payments'] }]);
  });

  it('CreateCluster targets the new cluster and DeleteCluster the deleted one, known or not', () => {
    // AWS's sample CreateCluster entry (EKS User Guide) names the cluster "clusterName".
    const created = {
      service: 'eks',
      eventName: 'CreateCluster',
      region: 'ap-south-1',
      requestParameters: { clusterName: 'fresh', roleArn: 'arn:aws:iam::111122223333:role/r' },
      responseElements: { cluster: { name: 'fresh', status: 'CREATING' } },
    } as const;
    const deleted = {
      service: 'eks',
      eventName: 'DeleteCluster',
      requestParameters: { name: 'ledger' },
      responseElements: { cluster: { name: 'ledger', status: 'DELETING' } },
    } as const;
    expect(targets([created, deleted])).toEqual([
      { region: 'ap-south-1', clusterNames: ['fresh'] },
      { region: 'eu-west-1', clusterNames: ['ledger'] },
    ]);
  });
});

// --- EC2 --------------------------------------------------------------------------------------

describe('EC2 calls target the clusters whose snapshot references what they changed', () => {
  const cases: [string, CallSpec, string[]][] = [
    ['a cluster security group (AuthorizeSecurityGroupEgress)', ec2('AuthorizeSecurityGroupEgress', { groupId: 'sg-0c1d2e3f4a5b6c7d8', ipPermissions: {} }), ['payments']],
    [
      'a rule change by rule id (RevokeSecurityGroupIngress)',
      ec2('RevokeSecurityGroupIngress', { groupId: 'sg-0ledger00000000001', securityGroupRuleIds: { items: [{ securityGroupRuleId: 'sgr-0abc' }] } }),
      ['ledger'],
    ],
    [
      'a rule modified (ModifySecurityGroupRules, PascalCase request)',
      ec2('ModifySecurityGroupRules', {
        ModifySecurityGroupRulesRequest: {
          GroupId: 'sg-0c1d2e3f4a5b6c7d8',
          SecurityGroupRule: { SecurityGroupRuleId: 'sgr-0abc', SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv4: '0.0.0.0/0' } },
        },
      }),
      ['payments'],
    ],
    ['a node group security group only (DeleteSecurityGroup)', ec2('DeleteSecurityGroup', { groupId: 'sg-0ledgernodes000001' }), ['ledger']],
    ['a subnet (ModifySubnetAttribute)', ec2('ModifySubnetAttribute', { subnetId: 'subnet-0ee55ff66aa77bb88', mapPublicIpOnLaunch: { value: true } }), ['payments']],
    ['a subnet (DeleteSubnet)', ec2('DeleteSubnet', { subnetId: 'subnet-0ledger0000002' }), ['ledger']],
    [
      'a route table (CreateRoute)',
      ec2('CreateRoute', { routeTableId: 'rtb-0123abcd4567ef890', destinationCidrBlock: '0.0.0.0/0', gatewayId: 'igw-0ledger00000001' }),
      ['payments'],
    ],
    [
      'a route table (ReplaceRoute)',
      ec2('ReplaceRoute', { routeTableId: 'rtb-0ledger000000001', destinationCidrBlock: '0.0.0.0/0', natGatewayId: 'nat-0a9b8c7d6e5f43210' }),
      ['ledger'],
    ],
    ['a route table (DeleteRoute)', ec2('DeleteRoute', { routeTableId: 'rtb-0123abcd4567ef890', destinationCidrBlock: '0.0.0.0/0' }), ['payments']],
    ['a subnet associated with another table (AssociateRouteTable)', ec2('AssociateRouteTable', { routeTableId: 'rtb-0new', subnetId: 'subnet-0aa11bb22cc33dd44' }), ['payments']],
    ['a VPC (ModifyVpcAttribute)', ec2('ModifyVpcAttribute', { vpcId: 'vpc-0ledger000000001', enableDnsSupport: { value: false } }), ['ledger']],
    ['a VPC given other DHCP options (AssociateDhcpOptions)', ec2('AssociateDhcpOptions', { dhcpOptionsId: 'dopt-0corporate', vpcId: 'vpc-0a1b2c3d4e5f67890' }), ['payments']],
    ['a VPC back to no DHCP options (AssociateDhcpOptions "default")', ec2('AssociateDhcpOptions', { dhcpOptionsId: 'default', vpcId: 'vpc-0ledger000000001' }), ['ledger']],
    ['a DHCP option set in use (AssociateDhcpOptions)', ec2('AssociateDhcpOptions', { dhcpOptionsId: 'dopt-0f1e2d3c4b5a69788', vpcId: 'vpc-0other' }), ['payments']],
    [
      'a NAT gateway routed to (DeleteNatGateway, PascalCase request)',
      ec2('DeleteNatGateway', { DeleteNatGatewayRequest: { NatGatewayId: 'nat-0a9b8c7d6e5f43210' } }),
      ['payments'],
    ],
    ['an internet gateway routed to (DetachInternetGateway)', ec2('DetachInternetGateway', { internetGatewayId: 'igw-0ledger00000001', vpcId: 'vpc-0elsewhere' }), ['ledger']],
    [
      'a cluster VPC getting an internet gateway (AttachInternetGateway)',
      ec2('AttachInternetGateway', { internetGatewayId: 'igw-0new', vpcId: 'vpc-0a1b2c3d4e5f67890' }),
      ['payments'],
    ],
    [
      'a network ACL entry added (CreateNetworkAclEntry)',
      ec2('CreateNetworkAclEntry', {
        networkAclId: 'acl-0payments0000001',
        ruleNumber: 90,
        egress: false,
        ruleAction: 'deny',
        aclProtocol: '6',
        portRange: { from: 10250, to: 10250 },
        cidrBlock: '10.0.0.0/16',
      }),
      ['payments'],
    ],
    [
      'a network ACL entry replaced (ReplaceNetworkAclEntry)',
      ec2('ReplaceNetworkAclEntry', { networkAclId: 'acl-0ledger000000001', ruleNumber: 100, egress: true, ruleAction: 'allow', aclProtocol: '-1', cidrBlock: '0.0.0.0/0' }),
      ['ledger'],
    ],
    ['a network ACL entry deleted (DeleteNetworkAclEntry)', ec2('DeleteNetworkAclEntry', { networkAclId: 'acl-0ledger000000001', ruleNumber: 100, egress: false }), ['ledger']],
    [
      'an interface endpoint in a cluster VPC (CreateVpcEndpoint, PascalCase request)',
      ec2('CreateVpcEndpoint', { CreateVpcEndpointRequest: { VpcId: 'vpc-0a1b2c3d4e5f67890', ServiceName: 'com.amazonaws.eu-west-1.sts' } }),
      ['payments'],
    ],
    [
      'an endpoint a snapshot holds (ModifyVpcEndpoint)',
      ec2('ModifyVpcEndpoint', { ModifyVpcEndpointRequest: { VpcEndpointId: 'vpce-0ledger00000001', PrivateDnsEnabled: false } }),
      ['ledger'],
    ],
    [
      'a prefix list a rule references (ModifyManagedPrefixList)',
      ec2('ModifyManagedPrefixList', { ModifyManagedPrefixListRequest: { PrefixListId: 'pl-0ledgeroffice0001', CurrentVersion: 3 } }),
      ['ledger'],
    ],
  ];
  it.each(cases)('%s', (_, call, clusters) => {
    expect(targets([call])).toEqual([{ region: 'eu-west-1', clusterNames: clusters }]);
  });

  it('a call about resources no stored snapshot references targets nothing', () => {
    expect(
      targets([
        ec2('AuthorizeSecurityGroupIngress', { groupId: 'sg-0unrelated', ipPermissions: { items: [{ groups: { items: [{ groupId: 'sg-0c1d2e3f4a5b6c7d8' }] } }] } }),
        ec2('AssociateRouteTable', { routeTableId: 'rtb-0unrelated', subnetId: 'subnet-0unrelated' }),
        ec2('AssociateDhcpOptions', { dhcpOptionsId: 'dopt-0new', vpcId: 'vpc-0nocluster' }),
        ec2('CreateRoute', { routeTableId: 'rtb-0unrelated', destinationCidrBlock: '0.0.0.0/0', natGatewayId: 'nat-0a9b8c7d6e5f43210' }),
        ec2('CreateNetworkAclEntry', { networkAclId: 'acl-0unrelated', ruleNumber: 90, egress: false, ruleAction: 'deny', aclProtocol: '-1', cidrBlock: '0.0.0.0/0' }),
        ec2('CreateVpcEndpoint', { CreateVpcEndpointRequest: { VpcId: 'vpc-0nocluster', ServiceName: 'com.amazonaws.eu-west-1.sts' } }),
      ]),
    ).toEqual([]);
  });

  it('route table and network ACL associations known only by association id re-scan every known cluster of the region', () => {
    expect(targets([ec2('DisassociateRouteTable', { associationId: 'rtbassoc-0abc' })])).toEqual([{ region: 'eu-west-1', clusterNames: ['ledger', 'payments'] }]);
    expect(targets([ec2('ReplaceNetworkAclAssociation', { associationId: 'aclassoc-0abc', networkAclId: 'acl-0unrelated' })])).toEqual([
      { region: 'eu-west-1', clusterNames: ['ledger', 'payments'] },
    ]);
    expect(targets([ec2('ReplaceRouteTableAssociation', { associationId: 'rtbassoc-0abc', routeTableId: 'rtb-0unrelated' })])).toEqual([
      { region: 'eu-west-1', clusterNames: ['ledger', 'payments'] },
    ]);
  });

  it('a call that names no resource id re-scans every known cluster of the region', () => {
    const events = parsedOk(ec2('AuthorizeSecurityGroupIngress', { groupName: 'default', ipPermissions: {} }));
    expect(events[0]!.resourceIds).toEqual([]);
    expect(targetsOf(events, STATE)).toEqual([{ region: 'eu-west-1', clusterNames: ['ledger', 'payments'] }]);
  });

  it('a region without any record is unknown: the whole region is scanned', () => {
    expect(targets([ec2('ModifyVpcAttribute', { vpcId: 'vpc-0x', enableDnsSupport: { value: true } }, 'ap-south-1')])).toEqual([{ region: 'ap-south-1', clusterNames: 'all' }]);
    expect(targets([ec2('DeleteSubnet', { subnetId: 'subnet-0x' })], [])).toEqual([{ region: 'eu-west-1', clusterNames: 'all' }]);
    // Records of another account do not make the region known for this one.
    expect(targets([{ ...ec2('DeleteSubnet', { subnetId: 'subnet-0aa11bb22cc33dd44' }), account: '444455556666' }])).toEqual([{ region: 'eu-west-1', clusterNames: 'all' }]);
  });

  it('a whole-region target absorbs named clusters of the same region', () => {
    expect(
      targets(
        [
          { service: 'eks', eventName: 'UpdateClusterConfig', requestParameters: { name: 'payments' }, region: 'ap-south-1' },
          ec2('DeleteSubnet', { subnetId: 'subnet-0x' }, 'ap-south-1'),
        ],
        STATE,
      ),
    ).toEqual([{ region: 'ap-south-1', clusterNames: 'all' }]);
  });

  it('deleted records are ignored; a record without a snapshot is re-scanned by every call of its region', () => {
    const state = [record(payments, { deletedAt: '2026-11-20T00:00:00Z' }), record(ledger), record(undefined, { cluster: 'half-collected' })];
    expect(targets([ec2('AuthorizeSecurityGroupIngress', { groupId: 'sg-0c1d2e3f4a5b6c7d8' })], state)).toEqual([{ region: 'eu-west-1', clusterNames: ['half-collected'] }]);
    // The region has records (even if only deleted ones): it is known, so no whole-region scan.
    expect(targets([ec2('AuthorizeSecurityGroupIngress', { groupId: 'sg-0c1d2e3f4a5b6c7d8' })], [record(payments, { deletedAt: '2026-11-20T00:00:00Z' })])).toEqual([]);
  });
});

// --- IAM --------------------------------------------------------------------------------------

describe('IAM calls are matched across regions', () => {
  const iam = (eventName: string, roleName: string): CallSpec => ({
    service: 'iam',
    eventName,
    requestParameters: { roleName, policyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' },
  });

  it('targets every region where a cluster uses the role, and nothing for other roles', () => {
    const shared = [...STATE, record(variant('payments-dr', 'us-west-2', { 'eks-cluster-role': 'payments-eks-cluster-role' }))];
    expect(targets([iam('AttachRolePolicy', 'payments-eks-cluster-role')], shared)).toEqual([
      { region: 'eu-west-1', clusterNames: ['payments'] },
      { region: 'us-west-2', clusterNames: ['payments-dr'] },
    ]);
    expect(targets([iam('DetachRolePolicy', 'eks-cluster-role')])).toEqual([{ region: 'us-east-1', clusterNames: ['base'] }]);
    expect(targets([iam('DetachRolePolicy', 'some-lambda-role')])).toEqual([]);
  });

  it('matches a role with a path by its name in the cluster role ARN', () => {
    const pathed = variant('pathed', 'eu-central-1', {});
    pathed.clusterRole = { arn: `arn:aws:iam::${ACCOUNT}:role/service/eks/pathed-role`, name: '', exists: true, attachedPolicyArns: [] };
    pathed.cluster.roleArn = pathed.clusterRole.arn;
    expect(referencedIds(pathed).has('role/pathed-role')).toBe(true);
    expect(targets([iam('AttachRolePolicy', 'pathed-role')], [record(pathed)])).toEqual([{ region: 'eu-central-1', clusterNames: ['pathed'] }]);
  });

  it('with the scan regions given, a region without records is scanned whole, and other regions are dropped', () => {
    expect(targets([iam('AttachRolePolicy', 'anything')], [])).toEqual([]);
    expect(targets([iam('AttachRolePolicy', 'payments-eks-cluster-role')], STATE, { regions: ['eu-west-1', 'ap-south-1'] })).toEqual([
      { region: 'ap-south-1', clusterNames: 'all' },
      { region: 'eu-west-1', clusterNames: ['payments'] },
    ]);
    expect(targets([iam('AttachRolePolicy', 'eks-cluster-role')], STATE, { regions: ['eu-west-1'] })).toEqual([]);
    expect(targets([ec2('DeleteSubnet', { subnetId: 'subnet-0x' }, 'ap-south-1')], STATE, { regions: ['eu-west-1'] })).toEqual([]);
  });
});

// --- Coalescing -------------------------------------------------------------------------------

describe('a burst coalesces into one target per cluster', () => {
  it('50 calls about the same security group yield one target', () => {
    const burst = Array.from({ length: 50 }, (_, i) =>
      ec2(i % 2 ? 'AuthorizeSecurityGroupIngress' : 'RevokeSecurityGroupIngress', {
        groupId: 'sg-0c1d2e3f4a5b6c7d8',
        ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 1000 + i, toPort: 1000 + i }] },
      }),
    );
    expect(targets(burst)).toEqual([{ region: 'eu-west-1', clusterNames: ['payments'] }]);
  });

  it('a terraform apply touching two clusters, the cluster config and the role yields one sorted target per region', () => {
    const apply: CallSpec[] = [
      ...Array.from({ length: 20 }, () => ec2('AuthorizeSecurityGroupIngress', { groupId: 'sg-0ledger00000000001' })),
      ec2('ModifySubnetAttribute', { subnetId: 'subnet-0aa11bb22cc33dd44', mapPublicIpOnLaunch: { value: false } }),
      ec2('CreateRoute', { routeTableId: 'rtb-0123abcd4567ef890', destinationCidrBlock: '10.9.0.0/16', transitGatewayId: 'tgw-0abc' }),
      { service: 'eks', eventName: 'UpdateClusterConfig', requestParameters: { name: 'ledger', logging: { clusterLogging: [{ types: ['audit'], enabled: true }] } } },
      { service: 'eks', eventName: 'UpdateClusterConfig', requestParameters: { name: 'ledger', accessConfig: { authenticationMode: 'API' } } },
      { service: 'iam', eventName: 'AttachRolePolicy', requestParameters: { roleName: 'eks-cluster-role', policyArn: 'arn:aws:iam::aws:policy/AmazonEKSVPCResourceController' } },
      { service: 'iam', eventName: 'DetachRolePolicy', requestParameters: { roleName: 'eks-cluster-role', policyArn: 'arn:aws:iam::aws:policy/AmazonEKSVPCResourceController' } },
    ];
    expect(targets(apply)).toEqual([
      { region: 'eu-west-1', clusterNames: ['ledger', 'payments'] },
      { region: 'us-east-1', clusterNames: ['base'] },
    ]);
  });
});

// --- Rejections -------------------------------------------------------------------------------

describe('malformed records are rejected with a reason, never thrown', () => {
  it('rejects what is not an SQS event', () => {
    expect(parseChangeEvents(null)).toEqual({ events: [], rejected: [{ messageId: '(event)', reason: 'expected an SQS event ({"Records": [...]}), got null' }] });
    expect(parseChangeEvents({ Records: 'x' }).rejected).toEqual([{ messageId: '(event)', reason: 'Records: expected an array of SQS records, got "x"' }]);
  });

  it('rejects each bad record precisely and keeps the good ones', () => {
    const good = eventBridge(ec2('DeleteSubnet', { subnetId: 'subnet-0aa11bb22cc33dd44' }));
    const detail = good.detail as Record<string, unknown>;
    const batch = sqsEvent(
      good,
      '{"version": "0", "detail-type": ',
      { ...good, 'detail-type': 'Scheduled Event' },
      { ...good, source: 'aws.s3' },
      { ...good, detail: { ...detail, eventSource: 'iam.amazonaws.com' } },
      { ...good, detail: { ...detail, eventName: 'DescribeSubnets' } },
      eventBridge({ ...ec2('AuthorizeSecurityGroupIngress', { groupId: 'sg-0c1d2e3f4a5b6c7d8' }), errorCode: 'Client.DryRunOperation' }),
      eventBridge({ service: 'eks', eventName: 'UpdateClusterConfig', requestParameters: { resourcesVpcConfig: {} } }),
      eventBridge({ service: 'eks', eventName: 'UpdateClusterConfig', requestParameters: { name: 'bad name!' } }),
      eventBridge({ service: 'iam', eventName: 'DetachRolePolicy', requestParameters: { policyArn: 'arn:aws:iam::aws:policy/X' } }),
      { ...good, account: '1234', time: 'yesterday' },
      { ...good, detail: 'not an object' },
      { ...good, detail: { ...detail, requestParameters: ['subnet-0aa11bb22cc33dd44'] } },
    );
    (batch.Records as Record<string, unknown>[]).push({ receiptHandle: 'AQEB', body: JSON.stringify(good) }, { messageId: 'msg-body', body: { not: 'a string' } });
    const { events, rejected } = parseChangeEvents(batch);
    expect(events.map((e) => e.messageId)).toEqual(['msg-0']);
    expect(rejected).toEqual([
      { messageId: 'msg-1', reason: expect.stringMatching(/^body: expected an EventBridge event as JSON, got invalid JSON \(.+\)$/) },
      { messageId: 'msg-2', reason: 'detail-type: expected "AWS API Call via CloudTrail", got "Scheduled Event"' },
      { messageId: 'msg-3', reason: 'source: expected one of aws.eks, aws.ec2, aws.iam, got "aws.s3"' },
      { messageId: 'msg-4', reason: 'detail.eventSource: expected "ec2.amazonaws.com" for source "aws.ec2", got "iam.amazonaws.com"' },
      { messageId: 'msg-5', reason: `detail.eventName: expected one of ${EC2_EVENT_NAMES.join(', ')} (the aws.ec2 calls eksguard reacts to), got "DescribeSubnets"` },
      { messageId: 'msg-6', reason: 'detail.errorCode: the call failed ("Client.DryRunOperation"), so it changed nothing; the rules should not have sent it' },
      { messageId: 'msg-7', reason: 'detail.requestParameters: no cluster name (expected requestParameters.name or .clusterName, or the cluster in responseElements)' },
      { messageId: 'msg-8', reason: 'detail.requestParameters.name: expected an EKS cluster name, got "bad name!"' },
      { messageId: 'msg-9', reason: 'detail.requestParameters.roleName: expected an IAM role name, got nothing' },
      { messageId: 'msg-10', reason: 'account: expected a 12-digit AWS account id, got "1234"; time: expected an ISO 8601 timestamp, got "yesterday"' },
      { messageId: 'msg-11', reason: 'detail: expected an object (the CloudTrail record), got "not an object"' },
      { messageId: 'msg-12', reason: 'detail.requestParameters: expected an object or null (the request parameters), got an array' },
      { messageId: '(record 13)', reason: 'Records.13.messageId: expected the SQS message id, got nothing' },
      { messageId: 'msg-body', reason: 'Records.14.body: expected a string (the EventBridge event as JSON), got an object' },
    ]);
  });
});

// --- The EventBridge rules --------------------------------------------------------------------

type Node = Record<string, unknown>;
const template = (() => {
  const document = parseDocument(readFileSync(join(PACKAGE_ROOT, 'infra', 'cloudtrail-rules.yml'), 'utf8'));
  return { document, json: document.toJS() as { Conditions: Node; Resources: Record<string, { Type: string; Condition?: string; Properties: Node }> } };
})();
const resources = template.json.Resources;
const rules = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Events::Rule');
interface Pattern {
  source: string[];
  'detail-type': string[];
  detail: { eventSource: string[]; eventName: string[]; errorCode: unknown };
}
const patternOf = (name: string) => resources[name]!.Properties.EventPattern as Pattern;

/** The subset of EventBridge pattern matching the rules use: value lists, {exists: false}, nesting. */
function matches(pattern: unknown, event: unknown): boolean {
  if (Array.isArray(pattern)) {
    return pattern.some((allowed) =>
      typeof allowed === 'object' && allowed !== null && 'exists' in allowed ? (event !== undefined) === (allowed as { exists: boolean }).exists : event === allowed,
    );
  }
  const fields = (event ?? {}) as Node;
  return Object.entries(pattern as Node).every(([key, sub]) => matches(sub, fields[key]));
}

describe('infra/cloudtrail-rules.yml', () => {
  it('is plain YAML (long-form intrinsics, no tags)', () => {
    expect(template.document.errors).toEqual([]);
    expect(template.document.warnings).toEqual([]);
    expect(readFileSync(join(PACKAGE_ROOT, 'infra', 'cloudtrail-rules.yml'), 'utf8')).not.toMatch(/!(Ref|GetAtt|Sub|If|Equals)\b/);
  });

  it('has one rule per service whose event names are exactly those the parser understands', () => {
    expect(rules.map(([, r]) => (r.Properties.EventPattern as Pattern).source).sort()).toEqual(CHANGE_EVENT_SOURCES.map((s) => [s.source]).sort());
    for (const service of CHANGE_EVENT_SOURCES) {
      const [, rule] = rules.find(([, r]) => (r.Properties.EventPattern as Pattern).source[0] === service.source)!;
      const pattern = rule.Properties.EventPattern as Pattern;
      expect(pattern.detail.eventSource).toEqual([service.eventSource]);
      expect([...pattern.detail.eventName].sort()).toEqual([...service.eventNames].sort());
    }
    const inRules = rules.flatMap(([, r]) => (r.Properties.EventPattern as Pattern).detail.eventName).sort();
    expect(inRules).toEqual([...EKS_EVENT_NAMES, ...EC2_EVENT_NAMES, ...IAM_EVENT_NAMES].sort());
  });

  it('matches only successful CloudTrail API calls and sends them to the queue', () => {
    for (const [, rule] of rules) {
      const pattern = rule.Properties.EventPattern as Pattern;
      expect(pattern['detail-type']).toEqual([CLOUDTRAIL_DETAIL_TYPE]);
      expect(pattern.detail.errorCode).toEqual([{ exists: false }]);
      expect(rule.Properties.State).toBe('ENABLED');
      expect(rule.Properties.Targets).toEqual([{ Id: 'ChangeEventsQueue', Arn: { 'Fn::GetAtt': ['ChangeEventsQueue', 'Arn'] } }]);
    }
  });

  it('creates the IAM rule in us-east-1 only, where IAM events are delivered', () => {
    expect(resources.IamChangeEventsRule!.Condition).toBe('ChangeEventsIamRegion');
    expect(template.json.Conditions.ChangeEventsIamRegion).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] });
    expect(patternOf('IamChangeEventsRule').source).toEqual(['aws.iam']);
  });

  it('its patterns match the sample events and not the same calls when they failed', () => {
    for (const name of ['eks-update-cluster-config', 'ec2-authorize-security-group-ingress', 'ec2-modify-vpc-attribute', 'iam-detach-role-policy']) {
      const body = JSON.parse((sample(`cloudtrail-${name}.json`) as { Records: { body: string }[] }).Records[0]!.body) as Node;
      expect(rules.filter(([, r]) => matches(r.Properties.EventPattern, body)).length, name).toBe(1);
      const failed = { ...body, detail: { ...(body.detail as Node), errorCode: 'AccessDenied' } };
      expect(rules.filter(([, r]) => matches(r.Properties.EventPattern, failed)).length, name).toBe(0);
    }
    expect(matches(patternOf('Ec2ChangeEventsRule'), eventBridge(ec2('DescribeSubnets', {})))).toBe(false);
  });

  it('lets only these rules send to the queue', () => {
    const policy = resources.ChangeEventsQueuePolicy!.Properties as { Queues: unknown; PolicyDocument: { Statement: Node[] } };
    expect(policy.Queues).toEqual([{ Ref: 'ChangeEventsQueue' }]);
    expect(policy.PolicyDocument.Statement).toHaveLength(1);
    const [statement] = policy.PolicyDocument.Statement as [Node];
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: { 'Fn::GetAtt': ['ChangeEventsQueue', 'Arn'] },
    });
    expect(Object.keys(statement.Condition as Node)).toEqual(['ArnEquals']);
    const sourceArns = (statement.Condition as { ArnEquals: { 'aws:SourceArn': unknown[] } }).ArnEquals['aws:SourceArn'];
    const ruleOf = (arn: unknown): string => {
      const node = arn as { 'Fn::GetAtt'?: [string, string]; 'Fn::If'?: [string, unknown, unknown] };
      if (node['Fn::If']) {
        const [condition, then, otherwise] = node['Fn::If'];
        expect(otherwise).toEqual({ Ref: 'AWS::NoValue' });
        expect(resources[ruleOf(then)]!.Condition).toBe(condition);
        return ruleOf(then);
      }
      expect(node['Fn::GetAtt']![1]).toBe('Arn');
      return node['Fn::GetAtt']![0];
    };
    expect(sourceArns.map(ruleOf).sort()).toEqual(rules.map(([name]) => name).sort());
  });

  it('configures the queue for a Lambda event source: SSE, visibility, retention, dead-letter queue', () => {
    const queue = resources.ChangeEventsQueue!.Properties as { SqsManagedSseEnabled: boolean; VisibilityTimeout: number; MessageRetentionPeriod: number; RedrivePolicy: Node };
    const dlq = resources.ChangeEventsDeadLetterQueue!.Properties as { SqsManagedSseEnabled: boolean; MessageRetentionPeriod: number };
    const SCAN_TIMEOUT = 600;
    expect(queue.SqsManagedSseEnabled).toBe(true);
    expect(dlq.SqsManagedSseEnabled).toBe(true);
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * SCAN_TIMEOUT);
    expect(queue.VisibilityTimeout).toBeLessThanOrEqual(43_200);
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': ['ChangeEventsDeadLetterQueue', 'Arn'] }, maxReceiveCount: 5 });
    expect(dlq.MessageRetentionPeriod).toBeGreaterThan(queue.MessageRetentionPeriod);
  });
});
