/**
 * Account rate limits as AWS applies them: one token bucket per service and region (IAM is
 * global), `burst` tokens deep and refilled at `refillPerSecond`. A request that finds the
 * bucket empty is answered with that service's own throttling error, as its protocol renders it:
 *
 * | service | code | HTTP |
 * | --- | --- | --- |
 * | eks (restJson1) | TooManyRequestsException "Rate exceeded" (the SDK models ThrottlingException, also 429) | 429 |
 * | ec2 (ec2Query) | RequestLimitExceeded "Request limit exceeded." | 503 |
 * | iam, sts (awsQuery) | Throttling "Rate exceeded" | 400 |
 * | sns (awsQuery) | Throttled | 429 |
 * | config (awsJson1_1) | ThrottlingException | 400 |
 */
import { z } from 'zod';
import { ApiError } from './protocols/protocol.js';
import { SERVICES, type ServiceName } from './world.js';

export const BucketSchema = z.strictObject({
  burst: z.number().positive(),
  refillPerSecond: z.number().positive(),
});

export const RateLimitsSchema = z.partialRecord(z.enum(SERVICES), BucketSchema);

export type Bucket = z.output<typeof BucketSchema>;
export type RateLimitsInput = z.input<typeof RateLimitsSchema>;

const THROTTLE: Record<ServiceName, { code: string; status: number; message: string }> = {
  eks: { code: 'TooManyRequestsException', status: 429, message: 'Rate exceeded' },
  ec2: { code: 'RequestLimitExceeded', status: 503, message: 'Request limit exceeded.' },
  iam: { code: 'Throttling', status: 400, message: 'Rate exceeded' },
  sts: { code: 'Throttling', status: 400, message: 'Rate exceeded' },
  sns: { code: 'Throttled', status: 429, message: 'Rate exceeded' },
  config: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
  securityhub: { code: 'TooManyRequestsException', status: 429, message: 'Rate exceeded' },
};

export const throttleCodes = (): string[] => [...new Set(Object.values(THROTTLE).map((t) => t.code))];

interface BucketState {
  tokens: number;
  at: number;
}

export class AccountRateLimits {
  private readonly limits: Partial<Record<ServiceName, Bucket>>;
  private readonly buckets = new Map<string, BucketState>();

  constructor(
    input: RateLimitsInput = {},
    private readonly now: () => number = () => performance.now(),
  ) {
    this.limits = RateLimitsSchema.parse(input);
  }

  /** The throttling error to answer with, or undefined when the request may proceed (it takes a token). */
  take(service: ServiceName, region: string): ApiError | undefined {
    const limit = this.limits[service];
    if (!limit) return undefined;
    const key = `${service}:${service === 'iam' ? 'global' : region}`;
    const now = this.now();
    const state = this.buckets.get(key) ?? { tokens: limit.burst, at: now };
    state.tokens = Math.min(limit.burst, state.tokens + ((now - state.at) / 1000) * limit.refillPerSecond);
    state.at = now;
    this.buckets.set(key, state);
    if (state.tokens < 1) {
      const t = THROTTLE[service];
      return new ApiError(t.code, t.message, t.status);
    }
    state.tokens -= 1;
    return undefined;
  }
}
