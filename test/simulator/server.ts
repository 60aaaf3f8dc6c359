/**
 * The simulated AWS endpoint. One HTTP server answers every service: the service and
 * region come from the SigV4 credential scope of the Authorization header
 * (Credential=AKID/DATE/REGION/SERVICE/aws4_request). Signatures are not verified.
 *
 * Control endpoints (JSON) let another process drive the simulator:
 *   GET /_sim/log, POST /_sim/reset-log, POST /_sim/world, POST /_sim/faults,
 *   GET /_sim/published, GET /_sim/evaluations, GET /_sim/findings
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultInjector } from './faults.js';
import { AccountRateLimits, type RateLimitsInput } from './rate-limits.js';
import {
  ApiError,
  type Call,
  type OpContext,
  type Params,
  type PublishedMessage,
  type RecordedEvaluations,
  type StoredFinding,
  type Reply,
  type ServiceDefinition,
} from './protocols/protocol.js';
import { config } from './services/config.js';
import { ec2 } from './services/ec2/index.js';
import { eks } from './services/eks.js';
import { iam } from './services/iam.js';
import { sns } from './services/sns.js';
import { securityhub } from './services/securityhub.js';
import { sts } from './services/sts.js';
import { EMPTY_REGION, WorldError, parseFaults, parseWorld, type FaultsInput, type ServiceName, type World, type WorldInput } from './world.js';

const SERVICES: Record<ServiceName, ServiceDefinition> = { eks, ec2, iam, sts, sns, config, securityhub };
const CREDENTIAL_SCOPE = /Credential=[^/,\s]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

export interface LogEntry {
  service: string;
  operation: string;
  region: string;
  params: Params;
  status: number;
  errorCode?: string;
}

export interface SimulatorOptions {
  world: WorldInput;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: '127.0.0.1';
  /** Called after each AWS request has been answered (used by the CLI's --verbose). */
  onRequest?: (entry: LogEntry) => void;
  /** Per-service token buckets of the account (none by default). */
  rateLimits?: RateLimitsInput;
}

export interface Simulator {
  /** e.g. http://127.0.0.1:43125 — use as the SDK clients' `endpoint`. */
  readonly url: string;
  /** The current world; mutate it in place or replace it with setWorld(). */
  readonly world: World;
  /** Validates and installs a world; its `faults` (or none) replace the current faults. */
  setWorld(world: WorldInput): void;
  /** Validates and installs faults (undefined: no faults); restarts the PRNG and rule counters. */
  setFaults(faults: FaultsInput | undefined): void;
  /** Every AWS request, including those answered with injected faults. */
  readonly log: LogEntry[];
  clearLog(): void;
  readonly published: PublishedMessage[];
  readonly evaluations: RecordedEvaluations[];
  /** Replaces the account's token buckets (undefined: no rate limits). */
  setRateLimits(limits: RateLimitsInput | undefined): void;
  /** Most AWS requests open at once since the start (or the last resetPeakInFlight). */
  readonly peakInFlight: number;
  resetPeakInFlight(): void;
  /** Security Hub findings by "ProductArn|Id" (BatchImportFindings). */
  readonly findings: Map<string, StoredFinding>;
  close(): Promise<void>;
}

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(reply.body)) });
  res.end(reply.body);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs the operation, turning failures into the protocol's error reply. */
function execute(service: ServiceDefinition, call: Call, ctx: OpContext): { reply: Reply; error?: ApiError } {
  try {
    return { reply: call.execute(ctx) };
  } catch (e) {
    if (!(e instanceof ApiError)) console.error(`[simulator] ${service.name} ${call.operation} crashed:`, e);
    const error = e instanceof ApiError ? e : new ApiError('InternalFailure', `Simulator error: ${String(e)}`, 500);
    return { reply: service.protocol.renderError(error, ctx.requestId), error };
  }
}

export async function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  let world = parseWorld(opts.world);
  let faults = new FaultInjector(world.faults);
  const log: LogEntry[] = [];
  const published: PublishedMessage[] = [];
  const evaluations: RecordedEvaluations[] = [];
  let rateLimits = new AccountRateLimits(opts.rateLimits);
  let inFlight = 0;
  let peakInFlight = 0;
  const findings = new Map<string, StoredFinding>();

  function setFaults(input: FaultsInput | undefined): void {
    world.faults = input === undefined ? undefined : parseFaults(input);
    faults = new FaultInjector(world.faults);
  }

  function setWorld(input: WorldInput): void {
    world = parseWorld(input);
    faults = new FaultInjector(world.faults);
  }

  async function handleAws(req: IncomingMessage, res: ServerResponse, url: URL, body: string): Promise<void> {
    const authorization = req.headers.authorization;
    if (!authorization) {
      sendJson(
        res,
        403,
        { message: 'Missing Authentication Token: a SigV4 Authorization header is needed to pick the service and region' },
        { 'x-amzn-errortype': 'MissingAuthenticationTokenException' },
      );
      return;
    }
    const scope = CREDENTIAL_SCOPE.exec(authorization);
    const service = scope && Object.hasOwn(SERVICES, scope[2] ?? '') ? SERVICES[scope[2] as ServiceName] : undefined;
    if (!scope || !service) {
      sendJson(
        res,
        400,
        { message: `Cannot route request: the credential scope names none of ${Object.keys(SERVICES).join(', ')}` },
        { 'x-amzn-errortype': 'UnrecognizedClientException' },
      );
      return;
    }
    const region = scope[1] ?? '';
    const call = service.protocol.decode({ method: req.method ?? 'GET', url, headers: req.headers, body });
    const requestId = randomUUID();
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    res.once('close', () => inFlight--);
    const throttled = rateLimits.take(service.name, region);
    const decision = faults.decide({ service, operation: call.operation, region, params: call.params });
    if (decision.hang && !throttled) {
      log.push({ service: service.name, operation: call.operation, region, params: call.params, status: 0, errorCode: 'Hang' });
      return;
    }
    const ctx: OpContext = {
      world,
      region,
      regionData: world.regions[region] ?? EMPTY_REGION,
      requestId,
      published,
      evaluations,
      findings,
    };
    const injected = throttled ?? decision.error;
    const { reply, error } = injected ? { reply: service.protocol.renderError(injected, requestId), error: injected } : execute(service, call, ctx);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    const entry: LogEntry = {
      service: service.name,
      operation: call.operation,
      region,
      params: call.params,
      status: reply.status,
    };
    if (error) entry.errorCode = error.code;
    log.push(entry);
    send(res, reply);
    opts.onRequest?.(entry);
  }

  function handleControl(req: IncomingMessage, res: ServerResponse, url: URL, body: string): void {
    const route = `${req.method} ${url.pathname}`;
    const parseBody = (): unknown => JSON.parse(body || 'null');
    try {
      switch (route) {
        case 'GET /_sim/log':
          sendJson(res, 200, log);
          return;
        case 'POST /_sim/reset-log':
          log.length = 0;
          sendJson(res, 200, { ok: true });
          return;
        case 'POST /_sim/world':
          setWorld(parseBody() as WorldInput);
          sendJson(res, 200, { ok: true });
          return;
        case 'POST /_sim/faults':
          setFaults((parseBody() ?? undefined) as FaultsInput | undefined);
          sendJson(res, 200, { ok: true });
          return;
        case 'GET /_sim/published':
          sendJson(res, 200, published);
          return;
        case 'GET /_sim/evaluations':
          sendJson(res, 200, evaluations);
          return;
        case 'GET /_sim/findings':
          sendJson(res, 200, [...findings.values()]);
          return;
        default:
          sendJson(res, 404, { message: `Unknown control endpoint ${route}` });
      }
    } catch (e) {
      const invalid = e instanceof WorldError || e instanceof SyntaxError;
      if (!invalid) throw e;
      sendJson(res, 400, { message: (e as Error).message });
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    readBody(req)
      .then((body) => (url.pathname.startsWith('/_sim/') ? handleControl(req, res, url, body) : handleAws(req, res, url, body)))
      .catch((e: unknown) => {
        console.error('[simulator] request failed:', e);
        if (!res.headersSent) sendJson(res, 500, { message: String(e) });
      });
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}`,
    get world() {
      return world;
    },
    setWorld,
    setFaults,
    log,
    clearLog: () => {
      log.length = 0;
    },
    published,
    evaluations,
    setRateLimits: (limits) => {
      rateLimits = new AccountRateLimits(limits);
    },
    get peakInFlight() {
      return peakInFlight;
    },
    resetPeakInFlight: () => {
      peakInFlight = inFlight;
    },
    findings,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
