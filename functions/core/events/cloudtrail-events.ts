/**
 * CloudTrail management events that can change what eksguard's policies check, as they reach the
 * `scan` function: EventBridge rules (infra/cloudtrail-rules.yml) send "AWS API Call via
 * CloudTrail" events to an SQS queue, and the function receives them in batches (an SQS event whose
 * `Records[].body` is the EventBridge event as JSON). This module is pure: it validates that batch
 * (`parseChangeEvents`); ./change-targets.ts turns the events into the clusters to re-scan.
 *
 * The event contract (envelope, where each service names what it changed): functions/core/README.md,
 * "CloudTrail change events".
 *
 * Decisions:
 * - Only calls that can change a snapshot field are listed (EKS_EVENT_NAMES, EC2_EVENT_NAMES,
 *   IAM_EVENT_NAMES: the one source of truth the rule patterns are tested against). Creating a NAT
 *   gateway or a DHCP option set changes nothing until a route or an association points at it (those
 *   calls are listed); inline role policies are not in the snapshot.
 * - A record is rejected (with the field and what was expected) when its body is not an EventBridge
 *   CloudTrail event for a listed call, when the call failed (errorCode; the rules already drop
 *   those), or when it does not name what it changed (an EKS call without a cluster, an IAM call
 *   without a role). One bad record never affects the others.
 */
import { CLUSTER_NAME, REGION_NAME } from '../aws-names.js';
import { array, type Check, type Checked, nullish, object, oneOf, optional, record, show, string, unknown, validate as check } from '../event-checks.js';

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** EKS calls that change the cluster, its node groups or Fargate profiles (UpdateClusterConfig also covers access config, logging, endpoint access, subnets/SGs and deletion protection). */
export const EKS_EVENT_NAMES = [
  'AssociateEncryptionConfig',
  'CreateCluster',
  'CreateFargateProfile',
  'CreateNodegroup',
  'DeleteCluster',
  'DeleteFargateProfile',
  'DeleteNodegroup',
  'UpdateClusterConfig',
  'UpdateClusterVersion',
  'UpdateNodegroupConfig',
  'UpdateNodegroupVersion',
] as const;

/** EC2 calls that change security groups, routing, DNS, subnets, network ACLs, VPC endpoints or prefix lists a snapshot may reference. */
export const EC2_EVENT_NAMES = [
  'AssociateDhcpOptions',
  'AssociateRouteTable',
  'AttachInternetGateway',
  'AuthorizeSecurityGroupEgress',
  'AuthorizeSecurityGroupIngress',
  'CreateNetworkAclEntry',
  'CreateRoute',
  'CreateVpcEndpoint',
  'DeleteNatGateway',
  'DeleteNetworkAclEntry',
  'DeleteRoute',
  'DeleteSecurityGroup',
  'DeleteSubnet',
  'DeleteVpcEndpoints',
  'DetachInternetGateway',
  'DisassociateRouteTable',
  'ModifyManagedPrefixList',
  'ModifySecurityGroupRules',
  'ModifySubnetAttribute',
  'ModifyVpcAttribute',
  'ModifyVpcEndpoint',
  'ReplaceNetworkAclAssociation',
  'ReplaceNetworkAclEntry',
  'ReplaceRoute',
  'ReplaceRouteTableAssociation',
  'RevokeSecurityGroupEgress',
  'RevokeSecurityGroupIngress',
] as const;

/** IAM calls that change the managed policies attached to a (cluster) role. */
export const IAM_EVENT_NAMES = ['AttachRolePolicy', 'DetachRolePolicy'] as const;

export type EksEventName = (typeof EKS_EVENT_NAMES)[number];
export type Ec2EventName = (typeof EC2_EVENT_NAMES)[number];
export type IamEventName = (typeof IAM_EVENT_NAMES)[number];
export type ChangeEventName = EksEventName | Ec2EventName | IamEventName;

/** One EventBridge rule per service: the pattern's `source`, `detail.eventSource` and `detail.eventName`. */
export const CHANGE_EVENT_SOURCES = [
  { source: 'aws.eks', eventSource: 'eks.amazonaws.com', eventNames: EKS_EVENT_NAMES },
  { source: 'aws.ec2', eventSource: 'ec2.amazonaws.com', eventNames: EC2_EVENT_NAMES },
  { source: 'aws.iam', eventSource: 'iam.amazonaws.com', eventNames: IAM_EVENT_NAMES },
] as const;

export type ChangeEventSource = (typeof CHANGE_EVENT_SOURCES)[number]['eventSource'];

export interface ChangeEvent {
  /** The SQS message it came in (for partial batch failure reports). */
  messageId: string;
  /** EventBridge `region`: where the call was made (us-east-1 for IAM). */
  region: string;
  account: string;
  eventName: ChangeEventName;
  eventSource: ChangeEventSource;
  /** EventBridge `time` (ISO 8601). */
  time: string;
  /** EKS calls: the cluster named by the call. */
  clusterNames: string[];
  /** EC2 calls: sg-, subnet-, rtb-, vpc-, dopt-, nat-, igw-, acl-, vpce-, pl- ids; IAM calls: "role/<role name>". */
  resourceIds: string[];
}

export interface RejectedRecord {
  messageId: string;
  reason: string;
}

export interface ParsedChangeEvents {
  events: ChangeEvent[];
  rejected: RejectedRecord[];
}

// --- Validation -------------------------------------------------------------------------------

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const RESOURCE_ID = /^(sg|subnet|rtb|vpc|dopt|nat|igw|acl|vpce|pl)-[0-9A-Za-z][0-9A-Za-z-]*$/;

const SOURCES = ['aws.eks', 'aws.ec2', 'aws.iam'] as const satisfies readonly (typeof CHANGE_EVENT_SOURCES)[number]['source'][];

const SqsEvent = object({ Records: array('an array of SQS records') }, 'an SQS event ({"Records": [...]})');

const SqsRecord = object(
  {
    messageId: string('the SQS message id', { nonEmpty: true }),
    body: string('a string (the EventBridge event as JSON)'),
  },
  'an SQS record',
);

const jsonObject = (what: string) => record(what);

const Envelope = object(
  {
    'detail-type': oneOf([CLOUDTRAIL_DETAIL_TYPE] as const, JSON.stringify(CLOUDTRAIL_DETAIL_TYPE)),
    source: oneOf(SOURCES, `one of ${SOURCES.join(', ')}`),
    account: string('a 12-digit AWS account id', { pattern: /^\d{12}$/ }),
    region: string('an AWS region', { pattern: REGION_NAME }),
    time: string('an ISO 8601 timestamp', { test: (s) => ISO_TIME.test(s) && !Number.isNaN(Date.parse(s)) }),
    detail: object(
      {
        eventSource: string('the CloudTrail eventSource'),
        eventName: string('the CloudTrail eventName'),
        errorCode: optional(unknown),
        requestParameters: nullish(jsonObject('an object or null (the request parameters)')),
        responseElements: nullish(jsonObject('an object or null (the response elements)')),
      },
      'an object (the CloudTrail record)',
    ),
  },
  'a JSON object (an EventBridge event)',
);
type Envelope = Checked<typeof Envelope>;

class Rejection extends Error {}
function reject(path: string, problem: string): never {
  throw new Rejection(`${path ? `${path}: ` : ''}${problem}`);
}

function validate<T>(schema: Check<T>, value: unknown, prefix: string): T {
  const outcome = check(schema, value, prefix);
  if ('problems' in outcome) throw new Rejection(outcome.problems);
  return outcome.data;
}

// --- Field extraction -------------------------------------------------------------------------

type Path = readonly string[];

/** The value at `path`, matching each key case-insensitively (EC2 mixes camelCase and PascalCase). */
function at(value: unknown, path: Path): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    const record = current as Record<string, unknown>;
    if (key in record) {
      current = record[key];
      continue;
    }
    const lower = key.toLowerCase();
    const found = Object.keys(record).find((k) => k.toLowerCase() === lower);
    current = found === undefined ? undefined : record[found];
  }
  return current;
}

/** Where each EC2 call names the resources it changes (request parameters; ids only, never rule sources). */
const EC2_RESOURCE_PATHS: Record<Ec2EventName, readonly Path[]> = {
  AssociateDhcpOptions: [['dhcpOptionsId'], ['vpcId']],
  AssociateRouteTable: [['routeTableId'], ['subnetId']],
  AttachInternetGateway: [['internetGatewayId'], ['vpcId']],
  AuthorizeSecurityGroupEgress: [['groupId']],
  AuthorizeSecurityGroupIngress: [['groupId']],
  CreateNetworkAclEntry: [['networkAclId']],
  CreateRoute: [['routeTableId']],
  CreateVpcEndpoint: [['CreateVpcEndpointRequest', 'VpcId'], ['vpcId']],
  DeleteNatGateway: [['DeleteNatGatewayRequest', 'NatGatewayId'], ['natGatewayId']],
  DeleteNetworkAclEntry: [['networkAclId']],
  DeleteRoute: [['routeTableId']],
  DeleteSecurityGroup: [['groupId']],
  DeleteSubnet: [['subnetId']],
  DeleteVpcEndpoints: [['DeleteVpcEndpointsRequest', 'VpcEndpointId'], ['vpcEndpointId']],
  DetachInternetGateway: [['internetGatewayId'], ['vpcId']],
  DisassociateRouteTable: [],
  ModifyManagedPrefixList: [['ModifyManagedPrefixListRequest', 'PrefixListId'], ['prefixListId']],
  ModifySecurityGroupRules: [['ModifySecurityGroupRulesRequest', 'GroupId'], ['groupId']],
  ModifySubnetAttribute: [['subnetId']],
  ModifyVpcAttribute: [['vpcId']],
  ModifyVpcEndpoint: [['ModifyVpcEndpointRequest', 'VpcEndpointId'], ['vpcEndpointId']],
  ReplaceNetworkAclAssociation: [],
  ReplaceNetworkAclEntry: [['networkAclId']],
  ReplaceRoute: [['routeTableId']],
  ReplaceRouteTableAssociation: [['routeTableId']],
  RevokeSecurityGroupEgress: [['groupId']],
  RevokeSecurityGroupIngress: [['groupId']],
};

/** Where an EKS call names its cluster, most specific first. */
const EKS_CLUSTER_PATHS: readonly (readonly ['requestParameters' | 'responseElements', ...string[]])[] = [
  ['requestParameters', 'name'],
  ['requestParameters', 'clusterName'],
  ['responseElements', 'cluster', 'name'],
  ['responseElements', 'cluster', 'clusterName'],
  ['responseElements', 'nodegroup', 'clusterName'],
  ['responseElements', 'fargateProfile', 'clusterName'],
];

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

function eksClusters(detail: Envelope['detail']): string[] {
  const names: string[] = [];
  for (const [part, ...path] of EKS_CLUSTER_PATHS) {
    const value = at(detail[part], path);
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || !CLUSTER_NAME.test(value)) reject(`detail.${part}.${path.join('.')}`, `expected an EKS cluster name, got ${show(value)}`);
    names.push(value);
  }
  if (names.length === 0) {
    reject('detail.requestParameters', 'no cluster name (expected requestParameters.name or .clusterName, or the cluster in responseElements)');
  }
  return sorted(names);
}

function ec2Resources(name: Ec2EventName, detail: Envelope['detail']): string[] {
  const ids: string[] = [];
  for (const path of EC2_RESOURCE_PATHS[name]) {
    const value = at(detail.requestParameters, path);
    // Values that are not resource ids ("default" DHCP options, a group named instead of identified) name nothing we can match.
    if (typeof value === 'string' && RESOURCE_ID.test(value)) ids.push(value);
  }
  return sorted(ids);
}

function iamResources(detail: Envelope['detail']): string[] {
  const roleName = at(detail.requestParameters, ['roleName']);
  if (typeof roleName !== 'string' || !ROLE_NAME.test(roleName)) reject('detail.requestParameters.roleName', `expected an IAM role name, got ${show(roleName)}`);
  return [`role/${roleName}`];
}

function parseBody(messageId: string, body: string): ChangeEvent {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return reject('body', `expected an EventBridge event as JSON, got invalid JSON (${(error as Error).message})`);
  }
  const event = validate(Envelope, json, '');
  const service = CHANGE_EVENT_SOURCES.find((s) => s.source === event.source)!;
  const { detail } = event;
  if (detail.eventSource !== service.eventSource) {
    reject('detail.eventSource', `expected ${JSON.stringify(service.eventSource)} for source ${JSON.stringify(service.source)}, got ${show(detail.eventSource)}`);
  }
  if (!(service.eventNames as readonly string[]).includes(detail.eventName)) {
    reject('detail.eventName', `expected one of ${service.eventNames.join(', ')} (the ${service.source} calls eksguard reacts to), got ${show(detail.eventName)}`);
  }
  if (detail.errorCode !== undefined && detail.errorCode !== null) {
    reject('detail.errorCode', `the call failed (${show(detail.errorCode)}), so it changed nothing; the rules should not have sent it`);
  }
  const eventName = detail.eventName as ChangeEventName;
  const base = { messageId, region: event.region, account: event.account, eventName, eventSource: service.eventSource, time: event.time };
  switch (service.source) {
    case 'aws.eks':
      return { ...base, clusterNames: eksClusters(detail), resourceIds: [] };
    case 'aws.ec2':
      return { ...base, clusterNames: [], resourceIds: ec2Resources(eventName as Ec2EventName, detail) };
    case 'aws.iam':
      return { ...base, clusterNames: [], resourceIds: iamResources(detail) };
  }
}

/**
 * Validates the SQS batch the scan function receives. Every record yields either a ChangeEvent
 * or a rejection naming the field and what was expected; this never throws.
 */
export function parseChangeEvents(sqsEvent: unknown): ParsedChangeEvents {
  const events: ChangeEvent[] = [];
  const rejected: RejectedRecord[] = [];
  const envelope = check(SqsEvent, sqsEvent, '');
  if ('issues' in envelope) {
    const issue = envelope.issues[0]!;
    rejected.push({ messageId: '(event)', reason: `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}` });
    return { events, rejected };
  }
  envelope.data.Records.forEach((raw, index) => {
    const candidateId = (raw as { messageId?: unknown } | null)?.messageId;
    const messageId = typeof candidateId === 'string' && candidateId ? candidateId : `(record ${index})`;
    try {
      const record = validate(SqsRecord, raw, `Records.${index}`);
      events.push(parseBody(record.messageId, record.body));
    } catch (error) {
      if (!(error instanceof Rejection)) throw error;
      rejected.push({ messageId, reason: error.message });
    }
  });
  return { events, rejected };
}
