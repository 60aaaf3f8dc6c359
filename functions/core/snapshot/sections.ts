/** The snapshot's version and sections, without its zod schema (schema.ts): what the Lambda code needs at run time. */
export const SNAPSHOT_SCHEMA_VERSION = 1;

/** The parts of a snapshot that are collected separately and may fail separately. */
export const SECTIONS = [
  'cluster',
  'vpc',
  'subnets',
  'routeTables',
  'natGateways',
  'securityGroups',
  'networkAcls',
  'vpcEndpoints',
  'prefixLists',
  'nodegroups',
  'fargateProfiles',
  'nodes',
  'clusterRole',
  'versionSupport',
] as const;
export type Section = (typeof SECTIONS)[number];

/** The snapshot fields that policy expressions see as CEL variables (one per section). */
export const POLICY_VARIABLES = SECTIONS;
