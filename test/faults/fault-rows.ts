/** The faults of the matrix (see fault-matrix.ts for what is counted). */
import type { World } from '../simulator/world.js';
import type { FaultRow } from './fault-matrix.js';
import type { ProxyRule } from './fault-proxy.js';

const EC2_DESCRIBE = /Action=Describe/;
const EKS_DESCRIBE_CLUSTER = /^GET \/clusters\/[^/?\s]+ /;
const EKS_LIST_CLUSTERS = /^GET \/clusters(\?| )/;
const SNS_PUBLISH = /Action=Publish/;
const DYNAMO_WRITE = / DynamoDB_20120810\.(PutItem|UpdateItem)\n/;
const DYNAMO_PUT = / DynamoDB_20120810\.PutItem\n/;

/** A subnet that exactly one cluster of the world uses (control plane or node groups). */
function subnetOfOneCluster(world: World): { subnet: string; cluster: string } {
  const users = new Map<string, Set<string>>();
  for (const region of Object.values(world.regions)) {
    for (const cluster of region.clusters) {
      for (const id of [...cluster.subnetIds, ...cluster.nodegroups.flatMap((n) => n.subnets)]) users.set(id, (users.get(id) ?? new Set()).add(cluster.name));
    }
  }
  const [subnet, clusters] = [...users].find(([, c]) => c.size === 1) ?? [];
  if (!subnet || !clusters) throw new Error('the world has no subnet used by a single cluster');
  return { subnet, cluster: [...clusters][0]! };
}

const ec2Error = (code: string) => ({
  kind: 'error' as const,
  status: 400,
  contentType: 'text/xml',
  body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>injected by the fault proxy</Message></Error></Errors><RequestID>fault</RequestID></Response>`,
});

const dynamoThrottled = {
  kind: 'error' as const,
  status: 400,
  contentType: 'application/x-amz-json-1.0',
  body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'injected by the fault proxy' }),
};

/** Deletes, once the clusters have been listed, one cluster and a security group another cluster uses. */
function deleteAfterList(world: World): ProxyRule[] {
  const region = world.regions['us-east-1']!;
  const [, doomed, victim] = region.clusters;
  return [
    {
      service: 'eks',
      match: EKS_LIST_CLUSTERS,
      times: 1,
      action: {
        kind: 'after-upstream',
        effect: () => {
          region.clusters = region.clusters.filter((c) => c.name !== doomed!.name);
          const groups = new Set([victim!.clusterSecurityGroupId, ...victim!.securityGroupIds].filter(Boolean));
          region.securityGroups = region.securityGroups.filter((g) => !groups.has(g.id));
        },
      },
    },
  ];
}

export const FAULT_ROWS: FaultRow[] = [
  { id: 'throttling-30pct', description: '30% of all AWS calls throttled (each service its own throttling error)', simulator: { seed: 7, throttleRate: 0.3 } },
  { id: 'service-500-503', description: "10% of all AWS calls answered 500/503 in the service's own error format", simulator: { seed: 3, serverErrorRate: 0.1 } },
  {
    id: 'lb-502-503-html',
    description: 'a load balancer answers every 11th call 502 and every 13th 503, with an HTML body',
    aws: () => [
      { every: 13, action: { kind: 'status', status: 503 } },
      { every: 11, action: { kind: 'status', status: 502 } },
    ],
  },
  { id: 'connection-reset', description: 'every 9th connection reset before any response', aws: () => [{ every: 9, action: { kind: 'reset' } }] },
  {
    id: 'truncated-200',
    description: 'every 9th response cut to half its body, Content-Length matching (unparseable 200)',
    aws: () => [{ every: 9, action: { kind: 'truncate' } }],
    maxErrorClusters: 0,
  },
  {
    id: 'never-answers',
    description: 'three EC2 Describe calls never answered (the connection stays open)',
    aws: () => [{ service: 'ec2', match: EC2_DESCRIBE, times: 3, action: { kind: 'hang' } }],
    maxErrorClusters: 0,
  },
  {
    id: 'slow-60s',
    description: 'two DescribeCluster answers delayed 60 s, past the request timeout',
    aws: () => [{ service: 'eks', match: EKS_DESCRIBE_CLUSTER, times: 2, action: { kind: 'slow', delayMs: 60_000 } }],
    maxErrorClusters: 0,
  },
  {
    id: 'denied-vpc-attribute',
    description: 'ec2:DescribeVpcAttribute denied: what it feeds is error, never pass',
    simulator: { rules: [{ service: 'ec2', operation: 'DescribeVpcAttribute', error: 'AccessDenied' }] },
  },
  {
    id: 'failing-batch-split',
    description: "every DescribeSubnets batch that holds one cluster's subnet fails (400): only that cluster may error",
    aws: (world) => {
      const { subnet } = subnetOfOneCluster(world);
      return [{ service: 'ec2', match: new RegExp(`^(?=[\\s\\S]*Action=DescribeSubnets)(?=[\\s\\S]*=${subnet}(&|$))`), action: ec2Error('InvalidParameterValue') }];
    },
    maxErrorClusters: 1,
  },
  {
    id: 'deleted-after-list',
    description: "a cluster and another cluster's security group deleted between ListClusters and the describes",
    aws: deleteAfterList,
    truthAfterFault: true,
  },
  {
    id: 'overlap-dynamodb-4',
    description: 'four overlapping scans on one DynamoDB table (dynalite), calls 1-20 ms slow',
    simulator: { latencyMs: { min: 1, max: 20 } },
    runs: { kind: 'in-process', count: 4 },
  },
  { id: 'overlap-file-state-3', description: 'three eksguard scan processes on one --state file, publishing to SNS', runs: { kind: 'cli-file-state', count: 3 } },
  {
    id: 'sns-publish-500',
    description: "the first 12 SNS Publish calls answered 500 (one cluster's publish fails past the retries)",
    simulator: { rules: [{ service: 'sns', operation: 'Publish', error: 'InternalError', times: 12 }] },
  },
  {
    id: 'sns-throttled',
    description: "the first 12 SNS Publish calls throttled (one cluster's publish fails past the retries)",
    simulator: { rules: [{ service: 'sns', operation: 'Publish', error: 'Throttling', times: 12 }] },
  },
  {
    id: 'sns-response-lost',
    description: 'two Publish calls reach SNS but their response is lost (the SDK retries: that message repeats once)',
    aws: () => [{ service: 'sns', match: SNS_PUBLISH, every: 3, times: 2, action: { kind: 'lose-response' } }],
  },
  { id: 'dynamodb-500', description: 'every 4th DynamoDB write answered 500 (HTML)', dynamo: [{ match: DYNAMO_WRITE, every: 4, action: { kind: 'status', status: 500 } }] },
  {
    id: 'dynamodb-response-lost',
    description: 'three DynamoDB writes take effect but their response is lost',
    dynamo: [{ match: DYNAMO_WRITE, every: 5, times: 3, action: { kind: 'lose-response' } }],
  },
  {
    id: 'dynamodb-throttled-mid-publish',
    description: 'the first 10 DynamoDB saves throttled: one save after its publish fails past the retries',
    dynamo: [{ match: DYNAMO_PUT, times: 10, action: dynamoThrottled }],
  },
];

/** The subset `npm test` runs: one of each kind, seconds each. */
export const FAST_ROWS = ['service-500-503', 'connection-reset', 'failing-batch-split', 'deleted-after-list', 'overlap-dynamodb-4', 'sns-response-lost'];
