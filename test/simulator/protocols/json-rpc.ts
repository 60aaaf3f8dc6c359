/**
 * awsJson1_1 (AWS Config): POST / with `X-Amz-Target: <Prefix>.<Operation>` and a JSON
 * body; errors carry `{"__type": code, "message": ...}`.
 */
import { ApiError, type Call, type OpContext, type Protocol, type RawRequest, type Reply } from './protocol.js';

export type JsonOperation = (input: Record<string, unknown>, ctx: OpContext) => unknown;

const CONTENT_TYPE = 'application/x-amz-json-1.1';

function reply(status: number, body: unknown, headers: Record<string, string>): Reply {
  return { status, headers: { 'content-type': CONTENT_TYPE, ...headers }, body: JSON.stringify(body) };
}

function parseBody(body: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body || '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function jsonRpcProtocol(opts: { targetPrefix: string; operations: Record<string, JsonOperation> }): Protocol {
  return {
    decode(req: RawRequest): Call {
      const target = String(req.headers['x-amz-target'] ?? '');
      const [prefix, operation = ''] = target.split('.', 2);
      const handler = prefix === opts.targetPrefix && Object.hasOwn(opts.operations, operation) ? opts.operations[operation] : undefined;
      const input = parseBody(req.body);
      return {
        operation: operation || target || '(missing X-Amz-Target)',
        params: input ?? {},
        execute(ctx: OpContext) {
          if (!handler) throw new ApiError('UnknownOperationException', `Unknown operation ${target}`);
          if (!input) throw new ApiError('SerializationException', 'Request body is not a JSON object');
          return reply(200, handler(input, ctx), { 'x-amzn-requestid': ctx.requestId });
        },
      };
    },
    renderError(err: ApiError, requestId: string): Reply {
      return reply(err.status, { __type: err.code, message: err.message, ...err.fields }, { 'x-amzn-requestid': requestId });
    },
  };
}
