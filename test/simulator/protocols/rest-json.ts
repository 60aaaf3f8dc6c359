/**
 * restJson1 (EKS): operation chosen by HTTP method + path template, input in path labels
 * and query string, JSON output. Errors: status code, `x-amzn-ErrorType` header and a
 * JSON body `{"message": ...}` plus the error's modelled members.
 */
import { ApiError, type Call, type OpContext, type Params, type Protocol, type RawRequest, type Reply } from './protocol.js';

export interface RestInput {
  labels: Record<string, string>;
  query: URLSearchParams;
  /** The raw request body (JSON for operations with a body payload). */
  body: string;
}

export interface RestRoute {
  method: 'GET' | 'POST';
  /** Path template such as /clusters/{name}/node-groups. */
  path: string;
  operation: string;
  handler: (input: RestInput, ctx: OpContext) => unknown;
}

function matchPath(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const labels: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const actual = got[i] ?? '';
    const label = /^\{(\w+)\}$/.exec(segment)?.[1];
    if (label !== undefined) {
      if (actual === '') return undefined;
      labels[label] = decodeURIComponent(actual);
    } else if (segment !== actual) {
      return undefined;
    }
  }
  return labels;
}

/** Query parameters, repeated keys collected into arrays. */
function queryParams(query: URLSearchParams): Params {
  const out: Params = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}

function json(status: number, body: unknown, headers: Record<string, string>): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function restJsonProtocol(routes: readonly RestRoute[]): Protocol {
  return {
    decode(req: RawRequest): Call {
      for (const route of routes) {
        if (route.method !== req.method) continue;
        const labels = matchPath(route.path, req.url.pathname);
        if (!labels) continue;
        const input = { labels, query: req.url.searchParams, body: req.body };
        return {
          operation: route.operation,
          params: { ...labels, ...queryParams(req.url.searchParams) },
          execute: (ctx) => json(200, route.handler(input, ctx), { 'x-amzn-requestid': ctx.requestId }),
        };
      }
      return {
        operation: `${req.method} ${req.url.pathname}`,
        params: queryParams(req.url.searchParams),
        execute() {
          throw new ApiError('UnknownOperationException', `No operation matches ${req.method} ${req.url.pathname}`, 404);
        },
      };
    },
    renderError(err: ApiError, requestId: string): Reply {
      return json(err.status, { ...err.fields, message: err.message }, { 'x-amzn-errortype': err.code, 'x-amzn-requestid': requestId });
    },
  };
}
