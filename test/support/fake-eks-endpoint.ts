/**
 * An in-memory EKS endpoint for tests under fake timers: answers DescribeCluster after a fixed
 * latency, from a token bucket (burst, refill per second) like the account's, with EKS's own
 * throttling error. No sockets, so `vi.useFakeTimers()` drives it completely.
 */
import { Readable } from 'node:stream';
import { HttpResponse } from '@smithy/core/protocols';
import type { HttpRequest } from '@smithy/types';

export interface FakeEksOptions {
  burst: number;
  refillPerSecond: number;
  latencyMs: number;
  /** Answer 500 to the next N requests for these cluster names. */
  serverErrors?: Map<string, number>;
}

export class FakeEksEndpoint {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  tokens: number;
  at = Date.now();
  requests = 0;
  throttled = 0;
  serverErrors = 0;

  constructor(private readonly options: FakeEksOptions) {
    this.tokens = options.burst;
  }

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    this.requests++;
    const name = decodeURIComponent(request.path.split('/').pop() ?? '');
    const now = Date.now();
    this.tokens = Math.min(this.options.burst, this.tokens + ((now - this.at) / 1000) * this.options.refillPerSecond);
    this.at = now;
    let status = 200;
    let body: unknown = { cluster: { name, arn: `arn:aws:eks:us-east-1:111122223333:cluster/${name}`, status: 'ACTIVE', version: '1.33' } };
    let errorType: string | undefined;
    const pendingErrors = this.options.serverErrors?.get(name) ?? 0;
    if (this.tokens < 1) {
      this.throttled++;
      [status, errorType, body] = [429, 'TooManyRequestsException', { message: 'Rate exceeded' }];
    } else if (pendingErrors > 0) {
      this.tokens -= 1;
      this.serverErrors++;
      this.options.serverErrors!.set(name, pendingErrors - 1);
      [status, errorType, body] = [500, 'ServerException', { message: 'Internal server error' }];
    } else {
      this.tokens -= 1;
    }
    await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (errorType) headers['x-amzn-errortype'] = errorType;
    return { response: new HttpResponse({ statusCode: status, headers, body: Readable.from([Buffer.from(JSON.stringify(body))]) }) };
  }

  updateHttpClientConfig(): void {}
  httpHandlerConfigs(): object {
    return {};
  }
}
