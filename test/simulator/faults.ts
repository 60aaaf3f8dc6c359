/**
 * Reproducible fault injection. Every request consumes exactly three draws from a seeded
 * PRNG (throttle, server error, latency), so the same request sequence with the same
 * seed always sees the same faults, whatever the configured rates.
 */
import { ApiError, type FaultKind, type Params, type ServiceDefinition } from './protocols/protocol.js';
import type { FaultRule, Faults } from './world.js';

/** mulberry32: tiny, fast, good enough for test fault injection. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultRequest {
  service: ServiceDefinition;
  operation: string;
  region: string;
  params: Params;
}

export interface FaultDecision {
  latencyMs: number;
  error?: ApiError;
  /** Rule error `Hang`: the request is never answered (the connection stays open). */
  hang?: boolean;
}

/** The rule error that makes a request hang instead of failing. */
export const HANG = 'Hang';

const GENERIC_KINDS: readonly FaultKind[] = ['AccessDenied', 'Throttling', 'InternalError', 'ServiceUnavailable'];
const isGenericKind = (error: string): error is FaultKind => (GENERIC_KINDS as readonly string[]).includes(error);

function serviceError(service: ServiceDefinition, kind: FaultKind, message?: string): ApiError {
  const spec = service.faults[kind];
  return new ApiError(spec.code, message ?? spec.message, spec.status);
}

function ruleMatches(rule: FaultRule, req: FaultRequest): boolean {
  if (rule.service !== req.service.name) return false;
  if (rule.operation !== undefined && rule.operation !== req.operation) return false;
  if (rule.region !== undefined && rule.region !== req.region) return false;
  return Object.entries(rule.match ?? {}).every(([key, want]) => {
    const got = req.params[key];
    return Array.isArray(got) ? got.map(String).includes(String(want)) : String(got) === String(want);
  });
}

export class FaultInjector {
  private readonly random: () => number;
  private readonly ruleHits: number[];

  constructor(private readonly faults: Faults | undefined) {
    this.random = prng(faults?.seed ?? 1);
    this.ruleHits = (faults?.rules ?? []).map(() => 0);
  }

  decide(req: FaultRequest): FaultDecision {
    const [throttleDraw, serverDraw, latencyDraw] = [this.random(), this.random(), this.random()];
    const f = this.faults;
    if (!f) return { latencyMs: 0 };
    const latency = f.latencyMs;
    const latencyMs = typeof latency === 'number' ? latency : Math.round(latency.min + latencyDraw * (latency.max - latency.min));
    const ruled = this.ruleError(f.rules, req);
    if (ruled === HANG) return { latencyMs, hang: true };
    return { latencyMs, error: ruled ?? this.randomError(f, req, throttleDraw, serverDraw) };
  }

  private ruleError(rules: readonly FaultRule[], req: FaultRequest): ApiError | typeof HANG | undefined {
    const index = rules.findIndex((rule, i) => ruleMatches(rule, req) && (rule.times === undefined || (this.ruleHits[i] ?? 0) < rule.times));
    const rule = rules[index];
    if (!rule) return undefined;
    this.ruleHits[index] = (this.ruleHits[index] ?? 0) + 1;
    if (rule.error === HANG) return HANG;
    if (isGenericKind(rule.error)) {
      const err = serviceError(req.service, rule.error, rule.message);
      return rule.status === undefined ? err : new ApiError(err.code, err.message, rule.status);
    }
    return new ApiError(rule.error, rule.message ?? `Injected ${rule.error}`, rule.status ?? 400);
  }

  private randomError(f: Faults, req: FaultRequest, throttleDraw: number, serverDraw: number): ApiError | undefined {
    if (throttleDraw < f.throttleRate) return serviceError(req.service, 'Throttling');
    if (serverDraw < f.serverErrorRate) {
      // Split the server-error draw between the two kinds, still deterministically.
      return serviceError(req.service, serverDraw < f.serverErrorRate / 2 ? 'InternalError' : 'ServiceUnavailable');
    }
    return undefined;
  }
}
