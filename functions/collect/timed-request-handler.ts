/**
 * Every AWS request ends: a connection timeout, a request timeout that covers the whole exchange
 * (headers and body: a response that stalls half-way is cut off too) and the scan's deadline,
 * whichever comes first. A request cut off by its timeout fails with a TimeoutError (ETIMEDOUT),
 * which the retry policy treats as transient; one cut off by the deadline fails with
 * TimeBudgetExceededError and is not retried.
 */
import { Readable } from 'node:stream';
import { NodeHttpHandler, type NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import type { HttpHandlerOptions, HttpRequest, HttpResponse } from '@smithy/types';
import { type TimeBudget, TimeBudgetExceededError } from './time-budget.js';

export interface Timeouts {
  /** Time to open the TCP (and TLS) connection. */
  connectionMs: number;
  /** Time for a whole request, from sending it to the last byte of its response. */
  requestMs: number;
}

/** AWS read APIs answer in well under a second; these leave room for a slow day, not a hang. */
export const DEFAULT_TIMEOUTS: Timeouts = { connectionMs: 3_000, requestMs: 10_000 };

/**
 * Sockets per client (one client per service and region). The SDK's default, 50, queued the
 * requests of 32 clusters in flight (DescribeCluster and its two lists start together: 96) behind
 * each other; the rate limiter, not the pool, paces them, and sockets open only when needed.
 */
export const MAX_SOCKETS = 256;

/** The smallest part of an HttpHandler the SDK clients call. */
export interface InnerHandler {
  handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }>;
  updateHttpClientConfig?(key: never, value: never): void;
  httpHandlerConfigs?(): object;
  destroy?(): void;
}

function timeoutError(ms: number): Error {
  return Object.assign(new Error(`request timed out after ${ms} ms`), { name: 'TimeoutError', code: 'ETIMEDOUT' });
}

export class TimedRequestHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };

  constructor(
    private readonly inner: InnerHandler,
    private readonly budget: TimeBudget,
    private readonly timeouts: Timeouts = DEFAULT_TIMEOUTS,
  ) {}

  static create(budget: TimeBudget, timeouts: Timeouts = DEFAULT_TIMEOUTS, extra: NodeHttpHandlerOptions = {}): TimedRequestHandler {
    const inner = new NodeHttpHandler({
      connectionTimeout: timeouts.connectionMs,
      requestTimeout: timeouts.requestMs,
      throwOnRequestTimeout: true,
      httpAgent: { maxSockets: MAX_SOCKETS },
      httpsAgent: { maxSockets: MAX_SOCKETS },
      ...extra,
    });
    return new TimedRequestHandler(inner as unknown as InnerHandler, budget, timeouts);
  }

  async handle(request: HttpRequest, options: HttpHandlerOptions = {}): Promise<{ response: HttpResponse }> {
    const remaining = this.budget.remaining();
    if (remaining <= 0) throw new TimeBudgetExceededError('the time budget ended before the request was sent');
    const byDeadline = remaining < this.timeouts.requestMs;
    const limitMs = Math.max(1, Math.floor(Math.min(this.timeouts.requestMs, remaining)));
    const reason = () => (byDeadline ? new TimeBudgetExceededError(`request cut off by the time budget after ${limitMs} ms`) : timeoutError(limitMs));

    const controller = new AbortController();
    const outer = options.abortSignal as AbortSignal | undefined;
    const onOuterAbort = () => controller.abort();
    outer?.addEventListener?.('abort', onOuterAbort, { once: true });
    let body: Readable | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
      body?.destroy(reason());
    }, limitMs);
    const done = () => {
      clearTimeout(timer);
      outer?.removeEventListener?.('abort', onOuterAbort);
    };
    try {
      const result = await this.inner.handle(request, { ...options, abortSignal: controller.signal as HttpHandlerOptions['abortSignal'] });
      const responseBody = result.response.body as unknown;
      if (responseBody instanceof Readable && !responseBody.readableEnded) {
        // Keep the timer armed until the body has been read.
        body = responseBody;
        responseBody.once('close', done);
      } else {
        done();
      }
      return result;
    } catch (error) {
      done();
      throw timedOut ? reason() : error;
    }
  }

  updateHttpClientConfig(key: never, value: never): void {
    this.inner.updateHttpClientConfig?.(key, value);
  }

  httpHandlerConfigs(): object {
    return this.inner.httpHandlerConfigs?.() ?? {};
  }

  destroy(): void {
    this.inner.destroy?.();
  }
}
