/**
 * A fault-injecting HTTP proxy on loopback, in front of the simulated account or dynalite: the
 * faults the simulator cannot give because they live below the AWS protocol (a reset connection,
 * a body cut short under a matching Content-Length, a response that never comes or comes too
 * late, a load balancer's bare 502/503, a request that took effect but whose response was lost).
 *
 * A rule matches on the service of the SigV4 credential scope and a pattern over
 * "METHOD PATH X-Amz-Target\nBODY" (query protocols carry Action=... in the body, restJson1 the
 * operation in the path). `every: n` applies it to every n-th matching request, `times` caps how
 * often: counter-based, so the number of faults does not depend on timing.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export type ProxyAction =
  /** Close the connection before any response (the request never reaches the upstream). */
  | { kind: 'reset' }
  /** A load balancer's answer: this status with an HTML body, not the service's error. */
  | { kind: 'status'; status: 500 | 502 | 503 }
  /** The upstream's response with only the first half of its body, Content-Length set to match. */
  | { kind: 'truncate' }
  /** No response at all, until the proxy closes. */
  | { kind: 'hang' }
  /** The upstream's response, after `delayMs`. */
  | { kind: 'slow'; delayMs: number }
  /** Forwarded (it takes effect), then the connection is closed instead of answering. */
  | { kind: 'lose-response' }
  /** Forwards, then runs `effect` (say, deletes a resource from the world) before answering. */
  | { kind: 'after-upstream'; effect: () => void }
  /** An error answer of the service's own protocol (status and body given). */
  | { kind: 'error'; status: number; contentType: string; body: string };

export interface ProxyRule {
  service?: string;
  match?: RegExp;
  action: ProxyAction;
  every?: number;
  times?: number;
}

export interface FaultProxy {
  readonly url: string;
  /** How often each rule was applied. */
  readonly applied: number[];
  /** Requests that reached the upstream and took effect there, but whose answer the client never got whole (by service). */
  readonly answersLost: Map<string, number>;
  close(): Promise<void>;
}

const CREDENTIAL_SCOPE = /Credential=[^/,\s]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function forward(target: URL, req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (res) => {
      readBody(res).then((b) => resolve({ status: res.statusCode ?? 500, headers: res.headers, body: b }), reject);
    });
    upstream.on('error', reject);
    upstream.end(body);
  });
}

export async function startFaultProxy(targetUrl: string, rules: readonly ProxyRule[]): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const seen = rules.map(() => 0);
  const applied = rules.map(() => 0);
  const sockets = new Set<Socket>();
  const answersLost = new Map<string, number>();
  const lostAnswer = (service: string) => answersLost.set(service, (answersLost.get(service) ?? 0) + 1);

  function pick(service: string, subject: string): ProxyAction | undefined {
    for (const [i, rule] of rules.entries()) {
      if (rule.service !== undefined && rule.service !== service) continue;
      if (rule.match && !rule.match.test(subject)) continue;
      seen[i]! += 1;
      if ((seen[i]! - 1) % (rule.every ?? 1) !== 0) continue;
      if (rule.times !== undefined && applied[i]! >= rule.times) continue;
      applied[i]! += 1;
      return rule.action;
    }
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const service = CREDENTIAL_SCOPE.exec(req.headers.authorization ?? '')?.[2] ?? '';
    const action = pick(service, `${req.method} ${req.url} ${String(req.headers['x-amz-target'] ?? '')}\n${body.toString('utf8')}`);
    switch (action?.kind) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang':
        return;
      case 'error':
        res.writeHead(action.status, { 'content-type': action.contentType, 'content-length': String(Buffer.byteLength(action.body)) });
        res.end(action.body);
        return;
      case 'status': {
        const html = `<html><head><title>${action.status}</title></head><body><h1>${action.status}</h1></body></html>`;
        res.writeHead(action.status, { 'content-type': 'text/html', 'content-length': String(Buffer.byteLength(html)) });
        res.end(html);
        return;
      }
      default:
        break;
    }
    const upstream = await forward(target, req, body);
    if (action?.kind === 'lose-response' || (action?.kind === 'truncate' && upstream.status < 300)) lostAnswer(service);
    if (action?.kind === 'lose-response') {
      req.socket.destroy();
      return;
    }
    if (action?.kind === 'slow') await sleep(action.delayMs);
    if (action?.kind === 'after-upstream') action.effect();
    const payload = action?.kind === 'truncate' ? upstream.body.subarray(0, Math.floor(upstream.body.length / 2)) : upstream.body;
    const headers = { ...upstream.headers, 'content-length': String(payload.length) };
    delete headers['transfer-encoding'];
    if (res.destroyed) return;
    res.writeHead(upstream.status, headers);
    res.end(payload);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    applied,
    answersLost,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
