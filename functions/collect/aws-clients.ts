/**
 * SDK clients for one region, built once and handed to the collector. Endpoints come from the
 * SDK's own configuration (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>, profiles), so the same
 * code talks to AWS, to the simulated account, or to anything else that speaks the protocols.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { retryStrategyFor, type RetrySettings } from './retry.js';

export interface RegionClients {
  region: string;
  eks: EKSClient;
  ec2: EC2Client;
  iam: IAMClient;
}

export interface ClientOptions {
  retry?: Partial<RetrySettings>;
  /** Resolved once by the CLI (profile, checked before the scan); default: the SDK's own chain. */
  credentials?: AwsCredentialIdentityProvider;
}

export function createRegionClients(region: string, options: ClientOptions = {}): RegionClients {
  const config = { region, retryStrategy: retryStrategyFor(options.retry), ...(options.credentials ? { credentials: options.credentials } : {}) };
  return { region, eks: new EKSClient(config), ec2: new EC2Client(config), iam: new IAMClient(config) };
}

/** Clients built once per region and reused across invocations. */
export function regionClientCache(options: ClientOptions = {}): (region: string) => RegionClients {
  const cache = new Map<string, RegionClients>();
  return (region) => {
    const cached = cache.get(region);
    if (cached) return cached;
    const clients = createRegionClients(region, options);
    cache.set(region, clients);
    return clients;
  };
}

export function createStsClient(region: string, options: ClientOptions = {}): STSClient {
  return new STSClient({ region, retryStrategy: retryStrategyFor(options.retry), ...(options.credentials ? { credentials: options.credentials } : {}) });
}

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/;

/**
 * With EKSGUARD_LOCAL_ONLY=1 (set by the tests and the demo), refuse to run unless every AWS
 * endpoint is overridden to a loopback address: a test must never reach real AWS.
 */
export function assertLocalEndpoints(env: NodeJS.ProcessEnv = process.env): void {
  if (env.EKSGUARD_LOCAL_ONLY !== '1') return;
  const services = ['EKS', 'EC2', 'IAM', 'STS', 'SNS', 'CONFIG_SERVICE', 'DYNAMODB'];
  for (const service of services) {
    const endpoint = env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL;
    if (!endpoint || !LOOPBACK.test(endpoint)) {
      throw new Error(
        `EKSGUARD_LOCAL_ONLY=1 but the ${service} endpoint is ${endpoint ?? 'the real AWS endpoint'}: set AWS_ENDPOINT_URL to a loopback address`,
      );
    }
  }
}
