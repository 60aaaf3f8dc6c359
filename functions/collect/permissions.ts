/**
 * The IAM actions the collector's SDK calls need, kept next to the code that makes the calls
 * (test/deployment.test.ts checks them against the simulator's call log and the deployed roles).
 */
export const COLLECTOR_ACTIONS = [
  'eks:ListClusters',
  'eks:DescribeCluster',
  'eks:ListNodegroups',
  'eks:DescribeNodegroup',
  'eks:ListFargateProfiles',
  'eks:DescribeFargateProfile',
  'eks:DescribeClusterVersions',
  'ec2:DescribeSubnets',
  'ec2:DescribeVpcs',
  'ec2:DescribeVpcAttribute',
  'ec2:DescribeDhcpOptions',
  'ec2:DescribeRouteTables',
  'ec2:DescribeNatGateways',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeLaunchTemplateVersions',
  'ec2:DescribeInstances',
  'ec2:DescribeNetworkAcls',
  'ec2:DescribeVpcEndpoints',
  'ec2:DescribeManagedPrefixLists',
  'ec2:GetManagedPrefixListEntries',
  'iam:ListAttachedRolePolicies',
] as const;
