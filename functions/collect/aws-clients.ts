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
import { parseRateCeilings, RateLimiters } from './rate-limiter.js';
import { DEFAULT_RETRY, PacedRetryStrategy, type RetrySettings } from './retry.js';
import { TimedRequestHandler, DEFAULT_TIMEOUTS, type Timeouts } from './timed-request-handler.js';
import { TimeBudget } from './time-budget.js';

export interface RegionClients {
  region: string;
  eks: EKSClient;
  ec2: EC2Client;
  iam: IAMClient;
}

/** What every AWS client of one process shares: the time budget, the rate limiters, retry and timeouts. */
export interface ClientOptions {
  budget?: TimeBudget;
  limiters?: RateLimiters;
  retry?: Partial<RetrySettings>;
  timeouts?: Partial<Timeouts>;
  /** Resolved once by the CLI (profile, checked before the scan); default: the SDK's own chain. */
  credentials?: AwsCredentialIdentityProvider;
}

export type ResolvedClientOptions = Required<Omit<ClientOptions, 'credentials'>> & Pick<ClientOptions, 'credentials'>;

/**
 * Resolves the defaults once, so that every client built from the result shares them. The rate
 * ceilings come from EKSGUARD_RATE_LIMITS (e.g. `eks=10,ec2=20`) over DEFAULT_RATE_CEILINGS.
 */
export function resolveClientOptions(options: ClientOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedClientOptions {
  return {
    ...(options.credentials ? { credentials: options.credentials } : {}),
    budget: options.budget ?? new TimeBudget(),
    limiters: options.limiters ?? new RateLimiters(parseRateCeilings(env.EKSGUARD_RATE_LIMITS)),
    retry: { ...DEFAULT_RETRY, ...options.retry },
    timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
  };
}

/**
 * Retry strategy and request handler for one service in one region: every attempt paced by that
 * service's limiter, every request bounded by the timeouts and the budget.
 */
export function awsClientConfig(service: string, region: string, options: ClientOptions = {}) {
  const { budget, limiters, retry, timeouts, credentials } = resolveClientOptions(options);
  return {
    ...(credentials ? { credentials } : {}),
    retryStrategy: new PacedRetryStrategy(limiters.for(service, region), budget, { ...DEFAULT_RETRY, ...retry }),
    requestHandler: TimedRequestHandler.create(budget, { ...DEFAULT_TIMEOUTS, ...timeouts }),
  };
}

export function createRegionClients(region: string, options: ClientOptions = {}): RegionClients {
  const resolved = resolveClientOptions(options);
  const config = (service: string) => ({ region, ...awsClientConfig(service, region, resolved) });
  return {
    region,
    eks: new EKSClient(config('eks')),
    ec2: new EC2Client(config('ec2')),
    iam: new IAMClient(config('iam')),
  };
}

/** Clients built once per region and reused across invocations. */
export function regionClientCache(options: ClientOptions = {}): (region: string) => RegionClients {
  const resolved = resolveClientOptions(options);
  const cache = new Map<string, RegionClients>();
  return (region) => {
    const cached = cache.get(region);
    if (cached) return cached;
    const clients = createRegionClients(region, resolved);
    cache.set(region, clients);
    return clients;
  };
}

export function createStsClient(region: string, options: ClientOptions = {}): STSClient {
  return new STSClient({ region, ...awsClientConfig('sts', region, options) });
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
      throw new Error(`EKSGUARD_LOCAL_ONLY=1 but the ${service} endpoint is ${endpoint ?? 'the real AWS endpoint'}: set AWS_ENDPOINT_URL to a loopback address`);
    }
  }
}
