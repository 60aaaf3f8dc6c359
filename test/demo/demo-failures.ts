/** What each cluster of the demo world is built to fail (README lists them; test/demo.test.ts checks them). */
export const DEMO_FAILURES: Record<string, string[]> = {
  'payments-prod': [],
  analytics: ['endpoint-public-access-disabled', 'endpoint-public-cidrs-restricted'],
  'batch-jobs': ['endpoint-nodes-can-reach-api', 'endpoint-private-access-enabled', 'endpoint-public-access-disabled'],
  'ml-training': ['private-endpoint-vpc-dns'],
  'legacy-hybrid': ['private-endpoint-amazon-dns'],
  'edge-gateway': ['cluster-sg-no-public-ingress', 'nodegroup-ssh-restricted'],
  'web-frontend': ['nodegroups-multi-az', 'nodegroups-private-subnets'],
  'data-pipeline': ['cluster-node-sg-connectivity', 'control-plane-subnets-free-ips'],
  'old-reporting': ['authentication-mode-access-entries', 'deletion-protection-enabled', 'kubernetes-version-supported'],
  sandbox: ['cluster-role-eks-policy', 'control-plane-audit-logging', 'control-plane-subnets-multi-az', 'secrets-encryption-cmk'],
  'stream-ingest': ['subnet-nacls-allow-cluster-traffic'],
  'air-gapped': ['private-nodes-vpc-endpoints'],
  'store-edge': ['hybrid-nodes-network'],
};
