/** Shapes of AWS names and identifiers, shared by the collector, the events and the renderers. */

/** A region name, in any partition: us-east-1, us-gov-west-1, cn-north-1, eusc-de-east-1. */
export const REGION_NAME = /^[a-z]{2,4}(-[a-z0-9]+)+-\d+$/;

/** An EKS cluster name: 1-100 letters, digits, hyphens and underscores, starting with a letter or digit. */
export const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

/** The role name of an IAM role ARN (the last path segment: role paths are allowed). */
export const roleNameOfArn = (roleArn: string): string => roleArn.split('/').pop() ?? roleArn;
