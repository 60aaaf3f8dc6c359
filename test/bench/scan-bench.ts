/**
 * `npm run bench`: the real scan against the simulated account, next to its lower bounds.
 *
 * For each world size it generates a region (clusters, one node group with a launch template and
 * one node each, VPCs shared by 50 clusters), gives every call `--latency` ms, and runs the scan,
 * bundled like a Lambda, in its own process:
 * - unthrottled: no account limits, eksguard's ceilings raised out of the way;
 * - throttled: the account limits of issue 11 (EKS 10/s burst 20, EC2 20/s burst 100, IAM and STS
 *   10/s burst 20) and eksguard's default ceilings; every result must equal the unthrottled run's;
 * - aimd: the same account, eksguard's ceilings at twice its refill rates (someone raised them too
 *   far, or other tools share the buckets): throttles must turn into waiting;
 * - sweep: the unthrottled 250-cluster world at several concurrencies (how the default was chosen);
 * - handler: the bundled scan Lambda handler itself on the largest world, started with the V8
 *   flags Lambda gives the configured memory (and serverless.yml's exec wrapper), for its peak RSS.
 *
 * Flags: --clusters 50,250,1000 (unthrottled) --throttled 50,250 --aimd 50 --sweep 8,16,32,64
 * --latency 30 --concurrency 32 --json FILE. `--throttled 50,250,1000` runs the full target
 * (about 8 more minutes). Prints a table and the JSON.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { PACKAGE_ROOT } from '../../functions/cli/paths.js';
import { generateWorld } from '../simulator/generate.js';
import { throttleCodes } from '../simulator/rate-limits.js';
import { startSimulator, type Simulator } from '../simulator/server.js';
import type { World } from '../simulator/world.js';
import { latencyBoundSeconds, minimumCalls, rateBoundSeconds, type Bucket, type Calls } from './bounds.js';
import { buildLambdaBundle, lambdaNode, lambdaStart } from './lambda-bundle.js';
import { markdownTable } from './markdown-table.js';

const { values: flags } = parseArgs({
  options: {
    clusters: { type: 'string', default: '50,250,1000' },
    throttled: { type: 'string', default: '50,250' },
    aimd: { type: 'string', default: '50' },
    sweep: { type: 'string', default: '8,16,32,64' },
    latency: { type: 'string', default: '30' },
    concurrency: { type: 'string', default: '32' },
    json: { type: 'string' },
  },
});
const counts = (value: string | undefined) =>
  value
    ? value
        .split(',')
        .map((v) => Number(v.trim()))
        .filter((n) => n > 0)
    : [];
const LATENCY_MS = Number(flags.latency);
const CONCURRENCY = Number(flags.concurrency);
const REGION = 'us-east-1';
const NOW = new Date('2026-06-01T00:00:00Z');

/** The account limits of issue 11. */
const ACCOUNT_LIMITS: Record<string, Bucket> = {
  eks: { burst: 20, refillPerSecond: 10 },
  ec2: { burst: 100, refillPerSecond: 20 },
  iam: { burst: 20, refillPerSecond: 10 },
  sts: { burst: 20, refillPerSecond: 10 },
};
const NO_CEILINGS = 'eks=100000,ec2=100000,iam=100000,sts=100000';
const DOUBLE_CEILINGS = Object.entries(ACCOUNT_LIMITS)
  .map(([s, b]) => `${s}=${b.refillPerSecond * 2}`)
  .join(',');

interface ChildReport {
  wallMs: number;
  collectMs: number;
  cpuMs: number;
  collectCpuMs: number;
  results: number;
  digest: string;
  clusters: number;
  clustersInError: number;
  errorSample: string | null;
  regionErrors: number;
  retries: number;
  peakRssMb: number;
}

interface Row {
  scenario: string;
  clusters: number;
  concurrency: number;
  wallSeconds: number;
  collectSeconds: number;
  /** CPU seconds of the scan process (collection, then evaluation and the rest). */
  scanCpuSeconds: number;
  collectCpuSeconds: number;
  /** CPU seconds the simulated account (this process) spent answering the scan. */
  simulatorCpuSeconds: number;
  calls: number;
  callsPerOperation: Calls;
  minimumCalls: number;
  callsToMinimum: number;
  throttles: number;
  retries: number;
  peakConcurrency: number;
  peakRssMb: number;
  clustersInError: number;
  errorSample: string | null;
  rateBoundSeconds: number | null;
  rateBoundService: string | null;
  wallToRateBound: number | null;
  latencyBoundSeconds: number;
  latencyChain: number;
  wallToLatencyBound: number;
  /** Unthrottled rows: the same number of calls in the same chains through bare SDK clients (sdk-floor-child.ts). */
  sdkFloorSeconds: number | null;
  sdkFloorCpuSeconds: number | null;
  wallToSdkFloor: number | null;
  sameResultsAsUnthrottled: boolean | null;
}

const run = promisify(execFile);
const outDir = join(tmpdir(), 'eksguard-bench');
const child = await buildLambdaBundle(join(PACKAGE_ROOT, 'test/bench/scan-child.ts'), outDir, 'scan-child');
const floorChild = await buildLambdaBundle(join(PACKAGE_ROOT, 'test/bench/sdk-floor-child.ts'), outDir, 'sdk-floor-child');
const simulator: Simulator = await startSimulator({ world: generateWorld({ clusters: 1, now: NOW }) });
const worlds = new Map<number, World>();
const worldOf = (clusters: number) => {
  const cached = worlds.get(clusters);
  if (cached) return cached;
  const world = generateWorld({ clusters, instancesPerNodegroup: 1, now: NOW });
  worlds.set(clusters, world);
  return world;
};

const baseEnv = (ceilings: string | undefined): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  AWS_ENDPOINT_URL: simulator.url,
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_REGION: REGION,
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  ...(ceilings ? { EKSGUARD_RATE_LIMITS: ceilings } : {}),
});

function prepare(clusters: number, limits: Record<string, Bucket> | undefined): World {
  const world = worldOf(clusters);
  simulator.setWorld(world);
  simulator.setFaults({ latencyMs: LATENCY_MS });
  simulator.setRateLimits(limits);
  simulator.clearLog();
  simulator.resetPeakInFlight();
  return world;
}

function callCounts(): { calls: Calls; throttles: number } {
  const throttleSet = new Set(throttleCodes());
  const calls: Calls = {};
  let throttles = 0;
  for (const e of simulator.log) {
    const op = `${e.service}:${e.operation}`;
    calls[op] = (calls[op] ?? 0) + 1;
    if (e.errorCode && throttleSet.has(e.errorCode)) throttles++;
  }
  return { calls, throttles };
}

const digests = new Map<number, string>();
const rows: Row[] = [];
const sum = (calls: Calls) => Object.values(calls).reduce((a, b) => a + b, 0);
const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : 0);

async function scenario(name: string, clusters: number, options: { limits?: Record<string, Bucket>; ceilings?: string; concurrency?: number }): Promise<Row> {
  const concurrency = options.concurrency ?? CONCURRENCY;
  const world = prepare(clusters, options.limits);
  const lambda = lambdaStart();
  const simulatorCpu = process.cpuUsage();
  const { stdout } = await run(lambda.command, [...lambda.args, child.file], {
    env: { ...baseEnv(options.ceilings), ...lambda.env, BENCH_POLICY_DIR: join(PACKAGE_ROOT, 'policies'), BENCH_CONCURRENCY: String(concurrency), BENCH_NOW: NOW.toISOString() },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 30 * 60_000,
  });
  const simulated = process.cpuUsage(simulatorCpu);
  const report = JSON.parse(stdout.trim().split('\n').pop()!) as ChildReport;
  const { calls, throttles } = callCounts();
  const peakConcurrency = simulator.peakInFlight;
  const minimum = minimumCalls(world, REGION);
  const rate = options.limits ? rateBoundSeconds(minimum, options.limits) : undefined;
  const latency = latencyBoundSeconds(world, REGION, LATENCY_MS, concurrency);
  const wall = report.wallMs / 1000;
  const floor = options.limits ? undefined : await sdkFloor(world, sum(minimum), latency.chain, concurrency);
  if (name === 'unthrottled' && concurrency === CONCURRENCY) digests.set(clusters, report.digest);
  const baseline = digests.get(clusters);
  const row: Row = {
    scenario: name,
    clusters,
    concurrency,
    wallSeconds: Math.round(wall * 100) / 100,
    collectSeconds: Math.round(report.collectMs / 10) / 100,
    scanCpuSeconds: Math.round(report.cpuMs / 10) / 100,
    collectCpuSeconds: Math.round(report.collectCpuMs / 10) / 100,
    simulatorCpuSeconds: Math.round((simulated.user + simulated.system) / 10_000) / 100,
    calls: sum(calls),
    callsPerOperation: calls,
    minimumCalls: sum(minimum),
    // Calls the scan meant to make: a retry (after a throttle or a fault) is a repeat of one of them.
    callsToMinimum: ratio(sum(calls) - report.retries, sum(minimum)),
    throttles,
    retries: report.retries,
    peakConcurrency,
    peakRssMb: Math.round(report.peakRssMb),
    clustersInError: report.clustersInError,
    errorSample: report.errorSample,
    rateBoundSeconds: rate ? Math.round(rate.seconds * 10) / 10 : null,
    rateBoundService: rate?.service ?? null,
    wallToRateBound: rate ? ratio(wall, rate.seconds) : null,
    latencyBoundSeconds: Math.round(latency.seconds * 100) / 100,
    latencyChain: latency.chain,
    wallToLatencyBound: ratio(wall, latency.seconds),
    sdkFloorSeconds: floor ? Math.round(floor.wallMs / 10) / 100 : null,
    sdkFloorCpuSeconds: floor ? Math.round(floor.cpuMs / 10) / 100 : null,
    wallToSdkFloor: floor ? ratio(report.wallMs, floor.wallMs) : null,
    sameResultsAsUnthrottled: name === 'unthrottled' || baseline === undefined ? null : baseline === report.digest,
  };
  rows.push(row);
  process.stderr.write(
    `bench: ${name} ${clusters} clusters (concurrency ${concurrency}): ${row.wallSeconds} s, ${row.calls} calls, ${row.throttles} throttles, ${row.clustersInError} in error\n`,
  );
  return row;
}

/**
 * What the AWS SDK alone costs here: the scan's minimum number of calls, in its dependency chains,
 * `concurrency` at a time, through bare EKS clients against the same simulated account (latency
 * included), started like the scan. Without rate limits the scan cannot beat it on this machine.
 */
async function sdkFloor(world: World, calls: number, chain: number, concurrency: number): Promise<{ wallMs: number; cpuMs: number }> {
  prepare(world.regions[REGION]?.clusters.length ?? 0, undefined);
  const targets = (world.regions[REGION]?.clusters ?? []).map((c) => `${c.name}:${c.nodegroups[0]?.name ?? ''}`).join(',');
  const lambda = lambdaStart();
  const { stdout } = await run(lambda.command, [...lambda.args, floorChild.file], {
    env: { ...baseEnv(undefined), ...lambda.env, BENCH_CALLS: String(calls), BENCH_CHAIN: String(chain), BENCH_CONCURRENCY: String(concurrency), BENCH_TARGETS: targets },
    maxBuffer: 16 * 1024 * 1024,
    timeout: 10 * 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as { wallMs: number; cpuMs: number };
}

/** The bundled scan Lambda handler itself (serverless.yml's build, started the way Lambda starts it), for its peak RSS. */
async function handlerRss(clusters: number): Promise<{ clusters: number; memoryMb: number; nodeFlags: string[]; peakRssMb: number; wallSeconds: number; summary: unknown }> {
  const bundle = await buildLambdaBundle(join(PACKAGE_ROOT, 'functions/scan.ts'), join(outDir, 'lambda'), 'scan');
  prepare(clusters, undefined);
  const script = `const { handler } = require(${JSON.stringify(bundle.file)});
    const event = require(${JSON.stringify(join(PACKAGE_ROOT, 'test/events/scheduled.json'))});
    const started = Date.now();
    handler(event, { awsRequestId: 'bench', getRemainingTimeInMillis: () => 600000 })
      .then((summary) => process.stdout.write('\\nBENCH ' + JSON.stringify({ summary, wallMs: Date.now() - started, peakRssMb: process.resourceUsage().maxRSS / 1024, execArgv: process.execArgv.filter((a) => a.startsWith('--max-')), node: process.version }) + '\\n'))
      .catch((e) => { console.error(e); process.exit(1); });`;
  const lambda = lambdaStart();
  const { stdout } = await run(lambda.command, [...lambda.args, '-e', script], {
    env: {
      ...baseEnv(NO_CEILINGS),
      ...lambda.env,
      EKSGUARD_REGIONS: REGION,
      // serverless.yml's defaults, which the bundle's policy set was validated with at build time.
      EKSGUARD_CONFIG: 'policies/settings/config.yaml',
      EKSGUARD_EXCEPTIONS: 'policies/settings/exceptions.yaml',
      LAMBDA_TASK_ROOT: PACKAGE_ROOT,
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 10 * 60_000,
  });
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH '))!;
  const parsed = JSON.parse(line.slice('BENCH '.length)) as { summary: unknown; wallMs: number; peakRssMb: number; execArgv: string[] };
  return { clusters, memoryMb: lambda.memoryMb, nodeFlags: parsed.execArgv, peakRssMb: Math.round(parsed.peakRssMb), wallSeconds: parsed.wallMs / 1000, summary: parsed.summary };
}

const started = performance.now();
const unthrottled = counts(flags.clusters);
const throttled = counts(flags.throttled);
for (const n of [...new Set([...unthrottled, ...throttled, ...counts(flags.aimd)])].sort((a, b) => a - b)) await scenario('unthrottled', n, { ceilings: NO_CEILINGS });
for (const c of counts(flags.sweep)) if (c !== CONCURRENCY) await scenario('sweep', 250, { ceilings: NO_CEILINGS, concurrency: c });
for (const n of throttled) await scenario('throttled', n, { limits: ACCOUNT_LIMITS });
for (const n of counts(flags.aimd)) await scenario('aimd', n, { limits: ACCOUNT_LIMITS, ceilings: DOUBLE_CEILINGS });
const largest = Math.max(...unthrottled, 0);
const handler = largest > 0 ? await handlerRss(largest) : undefined;
await simulator.close();

const output = {
  machine: {
    node: process.version,
    scanNode: (await run(lambdaNode, ['--version'])).stdout.trim(),
    cpus: (await import('node:os')).cpus().length,
    loadAverage: (await import('node:os')).loadavg().map((l) => Math.round(l * 10) / 10),
  },
  latencyMs: LATENCY_MS,
  accountLimits: ACCOUNT_LIMITS,
  rows,
  handler,
  benchSeconds: Math.round((performance.now() - started) / 1000),
};
if (flags.json) writeFileSync(flags.json, `${JSON.stringify(output, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(output)}\n\n`);

const dash = (value: number | null) => value ?? '-';
process.stdout.write(
  markdownTable<Row>(
    [
      ['scenario', (r) => r.scenario],
      ['clusters', (r) => r.clusters],
      ['conc', (r) => r.concurrency],
      ['wall s', (r) => r.wallSeconds],
      ['scan CPU s', (r) => r.scanCpuSeconds],
      ['simulator CPU s', (r) => r.simulatorCpuSeconds],
      ['calls', (r) => r.calls],
      ['calls/min', (r) => r.callsToMinimum],
      ['throttles', (r) => r.throttles],
      ['retries', (r) => r.retries],
      ['peak conc', (r) => r.peakConcurrency],
      ['RSS MB', (r) => r.peakRssMb],
      ['in error', (r) => r.clustersInError],
      ['rate bound s', (r) => dash(r.rateBoundSeconds)],
      ['wall/rate', (r) => dash(r.wallToRateBound)],
      ['latency bound s', (r) => r.latencyBoundSeconds],
      ['wall/latency', (r) => r.wallToLatencyBound],
      ['SDK floor s', (r) => dash(r.sdkFloorSeconds)],
      ['wall/SDK floor', (r) => dash(r.wallToSdkFloor)],
      ['same results', (r) => (r.sameResultsAsUnthrottled === null ? '-' : r.sameResultsAsUnthrottled ? 'yes' : 'NO')],
    ],
    rows,
  ),
);
if (handler)
  process.stdout.write(
    `\nbundled scan handler, ${handler.clusters} clusters, started like a ${handler.memoryMb} MB Lambda (${handler.nodeFlags.join(' ')}): peak RSS ${handler.peakRssMb} MB (target < 160 MB), ${handler.wallSeconds} s\n`,
  );
process.stdout.write(`bench took ${output.benchSeconds} s\n`);
