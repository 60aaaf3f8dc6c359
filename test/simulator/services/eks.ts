/** Amazon EKS (restJson1), paths as in the EKS API reference. */
import { arn, derivedUuid, epochSeconds, hashHex } from '../derive.js';
import { pageSize, paginate } from '../pagination.js';
import { ApiError, type OpContext, type ServiceDefinition } from '../protocols/protocol.js';
import { restJsonProtocol, type RestInput, type RestRoute } from '../protocols/rest-json.js';
import { LOG_TYPES, type Cluster, type ClusterVersion, type FargateProfile, type Nodegroup } from '../world.js';

const MAX_RESULTS: readonly [number, number] = [1, 100];

const invalidParameter = (message: string) => new ApiError('InvalidParameterException', message, 400);

/** Page size and token of a list call (EKS answers at most 100 items by default). */
function listPage<T>(items: readonly T[], input: RestInput, scope: string) {
  const limit = pageSize(input.query.get('maxResults') ?? undefined, MAX_RESULTS, (v) =>
    invalidParameter(`maxResults must be between ${MAX_RESULTS[0]} and ${MAX_RESULTS[1]}, got ${v}`),
  );
  return paginate(items, {
    scope,
    limit: limit ?? MAX_RESULTS[1],
    token: input.query.get('nextToken') ?? undefined,
    invalidToken: () => invalidParameter('The nextToken provided is not valid'),
  });
}

function findCluster(ctx: OpContext, name: string): Cluster {
  const cluster = ctx.regionData.clusters.find((c) => c.name === name);
  if (!cluster) {
    throw new ApiError('ResourceNotFoundException', `No cluster found for name: ${name}.`, 404, { clusterName: name });
  }
  return cluster;
}

function label(input: RestInput, name: string): string {
  return input.labels[name] ?? '';
}

// ---------------------------------------------------------------- renderers

function renderCluster(c: Cluster, ctx: OpContext) {
  const hex = hashHex(ctx.world.account, ctx.region, c.name).slice(0, 32).toUpperCase();
  const enabled = new Set(c.logging.filter((l) => l.enabled).flatMap((l) => l.types));
  const disabled = LOG_TYPES.filter((t) => !enabled.has(t));
  return {
    name: c.name,
    arn: arn('eks', ctx.region, ctx.world.account, `cluster/${c.name}`),
    createdAt: epochSeconds(c.createdAt),
    version: c.version,
    endpoint: `https://${hex}.gr7.${ctx.region}.eks.amazonaws.com`,
    roleArn: c.roleArn,
    resourcesVpcConfig: {
      subnetIds: c.subnetIds,
      securityGroupIds: c.securityGroupIds,
      clusterSecurityGroupId: c.clusterSecurityGroupId,
      vpcId: c.vpcId,
      endpointPublicAccess: c.endpointPublicAccess,
      endpointPrivateAccess: c.endpointPrivateAccess,
      publicAccessCidrs: c.publicAccessCidrs,
    },
    kubernetesNetworkConfig: {
      serviceIpv4Cidr: c.serviceIpv4Cidr,
      ipFamily: c.ipFamily,
      elasticLoadBalancing: { enabled: c.autoMode },
    },
    computeConfig: c.autoMode ? { enabled: true, nodePools: ['general-purpose', 'system'] } : undefined,
    remoteNetworkConfig: c.remoteNodeNetworks.length
      ? {
          remoteNodeNetworks: [{ cidrs: c.remoteNodeNetworks }],
          remotePodNetworks: c.remotePodNetworks.length ? [{ cidrs: c.remotePodNetworks }] : [],
        }
      : undefined,
    logging: {
      clusterLogging: [
        ...(enabled.size ? [{ types: LOG_TYPES.filter((t) => enabled.has(t)), enabled: true }] : []),
        ...(disabled.length ? [{ types: disabled, enabled: false }] : []),
      ],
    },
    identity: { oidc: { issuer: `https://oidc.eks.${ctx.region}.amazonaws.com/id/${hex}` } },
    status: c.status,
    certificateAuthority: { data: Buffer.from(`simulated CA for ${c.name}\n`).toString('base64') },
    platformVersion: c.platformVersion,
    tags: c.tags,
    encryptionConfig: c.encryptionConfig.map((e) => ({ resources: e.resources, provider: { keyArn: e.keyArn } })),
    health: { issues: c.healthIssues },
    accessConfig: { authenticationMode: c.authenticationMode },
    upgradePolicy: { supportType: c.supportType },
    deletionProtection: c.deletionProtection,
  };
}

function renderNodegroup(c: Cluster, ng: Nodegroup, ctx: OpContext) {
  const uuid = derivedUuid(ctx.world.account, ctx.region, c.name, ng.name);
  const template = ng.launchTemplate;
  const templateName = template && ctx.regionData.launchTemplates.find((lt) => lt.id === template.id)?.name;
  const remote = ng.remoteAccess;
  return {
    nodegroupName: ng.name,
    nodegroupArn: arn('eks', ctx.region, ctx.world.account, `nodegroup/${c.name}/${ng.name}/${uuid}`),
    clusterName: c.name,
    version: ng.version ?? c.version,
    releaseVersion: ng.releaseVersion,
    createdAt: epochSeconds(ng.createdAt),
    modifiedAt: epochSeconds(ng.createdAt),
    status: ng.status,
    capacityType: ng.capacityType,
    scalingConfig: { minSize: ng.scaling.min, maxSize: ng.scaling.max, desiredSize: ng.scaling.desired },
    instanceTypes: ng.instanceTypes,
    subnets: ng.subnets,
    remoteAccess: remote && { ec2SshKey: remote.ec2SshKey, sourceSecurityGroups: remote.sourceSecurityGroups },
    amiType: ng.amiType,
    nodeRole: ng.nodeRole,
    labels: ng.labels,
    taints: ng.taints,
    resources: {
      autoScalingGroups: [{ name: ng.autoScalingGroupName ?? `eks-${ng.name}-${uuid}` }],
      remoteAccessSecurityGroup: remote && (remote.securityGroupId ?? `sg-${hashHex(uuid).slice(0, 17)}`),
    },
    diskSize: template ? undefined : ng.diskSize,
    health: { issues: ng.healthIssues },
    updateConfig: { maxUnavailable: 1 },
    launchTemplate: template && { id: template.id, name: templateName, version: template.version },
    tags: ng.tags,
  };
}

function renderFargateProfile(c: Cluster, fp: FargateProfile, ctx: OpContext) {
  const uuid = derivedUuid(ctx.world.account, ctx.region, c.name, 'fargate', fp.name);
  return {
    fargateProfileName: fp.name,
    fargateProfileArn: arn('eks', ctx.region, ctx.world.account, `fargateprofile/${c.name}/${fp.name}/${uuid}`),
    clusterName: c.name,
    createdAt: epochSeconds(fp.createdAt),
    podExecutionRoleArn: fp.podExecutionRoleArn,
    subnets: fp.subnets,
    selectors: fp.selectors,
    status: fp.status,
    tags: fp.tags,
    health: { issues: [] },
  };
}

function renderVersion(v: ClusterVersion) {
  const date = (d: string | undefined) => (d === undefined ? undefined : epochSeconds(d));
  return {
    clusterVersion: v.version,
    clusterType: 'eks',
    defaultPlatformVersion: v.defaultPlatformVersion ?? 'eks.1',
    defaultVersion: v.defaultVersion,
    releaseDate: date(v.releaseDate),
    endOfStandardSupportDate: date(v.endOfStandardSupportDate),
    endOfExtendedSupportDate: date(v.endOfExtendedSupportDate),
    // Deprecated `status` uses lower-case values (standard-support ...).
    status: v.status.toLowerCase().replace('_', '-'),
    versionStatus: v.status,
    kubernetesPatchVersion: v.kubernetesPatchVersion,
  };
}

// ---------------------------------------------------------------- operations

function describeClusterVersions(input: RestInput, ctx: OpContext) {
  const q = input.query;
  const wanted = q.getAll('clusterVersions');
  const versionStatus = q.get('versionStatus') ?? q.get('status')?.toUpperCase().replace('-', '_');
  const clusterType = q.get('clusterType');
  const versions =
    clusterType && clusterType !== 'eks'
      ? []
      : ctx.regionData.clusterVersions.filter(
          (v) =>
            (wanted.length ? wanted.includes(v.version) : q.get('includeAll') === 'true' || v.status !== 'UNSUPPORTED') &&
            (!versionStatus || v.status === versionStatus) &&
            (q.get('defaultOnly') !== 'true' || v.defaultVersion),
        );
  const page = listPage(versions, input, 'DescribeClusterVersions');
  return { clusterVersions: page.items.map(renderVersion), nextToken: page.nextToken };
}

function describeNodegroup(input: RestInput, ctx: OpContext) {
  const cluster = findCluster(ctx, label(input, 'clusterName'));
  const name = label(input, 'nodegroupName');
  const ng = cluster.nodegroups.find((n) => n.name === name);
  if (!ng) {
    throw new ApiError('ResourceNotFoundException', `No node group found for name: ${name}.`, 404, {
      clusterName: cluster.name,
      nodegroupName: name,
    });
  }
  return { nodegroup: renderNodegroup(cluster, ng, ctx) };
}

function describeFargateProfile(input: RestInput, ctx: OpContext) {
  const cluster = findCluster(ctx, label(input, 'clusterName'));
  const name = label(input, 'fargateProfileName');
  const fp = cluster.fargateProfiles.find((f) => f.name === name);
  if (!fp) {
    throw new ApiError('ResourceNotFoundException', `No Fargate Profile found with name: ${name}.`, 404, {
      clusterName: cluster.name,
      fargateProfileName: name,
    });
  }
  return { fargateProfile: renderFargateProfile(cluster, fp, ctx) };
}

const routes: RestRoute[] = [
  {
    method: 'GET',
    path: '/clusters',
    operation: 'ListClusters',
    handler: (input, ctx) => {
      const page = listPage(
        ctx.regionData.clusters.map((c) => c.name),
        input,
        'ListClusters',
      );
      return { clusters: page.items, nextToken: page.nextToken };
    },
  },
  {
    method: 'GET',
    path: '/clusters/{name}',
    operation: 'DescribeCluster',
    handler: (input, ctx) => ({ cluster: renderCluster(findCluster(ctx, label(input, 'name')), ctx) }),
  },
  {
    method: 'GET',
    path: '/clusters/{clusterName}/node-groups',
    operation: 'ListNodegroups',
    handler: (input, ctx) => {
      const cluster = findCluster(ctx, label(input, 'clusterName'));
      const page = listPage(
        cluster.nodegroups.map((n) => n.name),
        input,
        `ListNodegroups:${cluster.name}`,
      );
      return { nodegroups: page.items, nextToken: page.nextToken };
    },
  },
  {
    method: 'GET',
    path: '/clusters/{clusterName}/node-groups/{nodegroupName}',
    operation: 'DescribeNodegroup',
    handler: describeNodegroup,
  },
  {
    method: 'GET',
    path: '/clusters/{clusterName}/fargate-profiles',
    operation: 'ListFargateProfiles',
    handler: (input, ctx) => {
      const cluster = findCluster(ctx, label(input, 'clusterName'));
      const page = listPage(
        cluster.fargateProfiles.map((f) => f.name),
        input,
        `ListFargateProfiles:${cluster.name}`,
      );
      return { fargateProfileNames: page.items, nextToken: page.nextToken };
    },
  },
  {
    method: 'GET',
    path: '/clusters/{clusterName}/fargate-profiles/{fargateProfileName}',
    operation: 'DescribeFargateProfile',
    handler: describeFargateProfile,
  },
  { method: 'GET', path: '/cluster-versions', operation: 'DescribeClusterVersions', handler: describeClusterVersions },
];

export const eks: ServiceDefinition = {
  name: 'eks',
  protocol: restJsonProtocol(routes),
  faults: {
    AccessDenied: { code: 'AccessDeniedException', status: 403, message: 'User is not authorized to perform this action' },
    Throttling: { code: 'ThrottlingException', status: 429, message: 'Rate exceeded' },
    InternalError: { code: 'ServerException', status: 500, message: 'Internal server error' },
    ServiceUnavailable: { code: 'ServiceUnavailableException', status: 503, message: 'Service unavailable' },
  },
};
