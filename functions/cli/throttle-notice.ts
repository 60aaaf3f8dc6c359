/**
 * Tells the person when AWS throttles the scan, so a long wait reads as waiting, not as hung.
 * A middleware in the deserialize step sees every attempt (the SDK's retries happen outside it,
 * in finalizeRequest), so each throttled attempt is counted, whatever the retry strategy.
 */
import type { DeserializeHandlerOptions, DeserializeMiddleware } from '@smithy/types';
import type { RegionClients } from '../collect/aws-clients.js';

const THROTTLING = /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|RequestThrottled|PriorRequestNotComplete/;

interface ThrottleAware {
  name?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

export const isThrottling = (error: unknown): boolean => {
  const e = error as ThrottleAware;
  return THROTTLING.test(e?.name ?? '') || e?.$metadata?.httpStatusCode === 429 || e?.$retryable?.throttling === true;
};

type Stack = { add(middleware: DeserializeMiddleware<object, object>, options: DeserializeHandlerOptions & { name: string; priority: 'high' }): void };

export function noticeThrottling(clients: RegionClients, notice: (region: string, operation: string, throttled: number) => void): RegionClients {
  let throttled = 0;
  const middleware: DeserializeMiddleware<object, object> = (next, context) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      if (isThrottling(error)) notice(clients.region, String(context.commandName ?? 'a call').replace(/Command$/, ''), ++throttled);
      throw error;
    }
  };
  for (const client of [clients.eks, clients.ec2, clients.iam]) {
    (client.middlewareStack as unknown as Stack).add(middleware, { step: 'deserialize', priority: 'high', name: 'eksguardThrottleNotice' });
  }
  return clients;
}
