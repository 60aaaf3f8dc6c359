/**
 * `npm run demo`: starts the simulated AWS account on loopback with the built-in world, runs the
 * real `eksguard scan` against it as a separate process (through the SDK's wire path, with fake
 * credentials) and prints its report; then changes the account and scans again with the state
 * of the first scan, showing the drift and the new and resolved findings. Extra arguments are
 * passed to `eksguard scan`; with `--format json` stdout is one JSON document, `{"scans": [...]}`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../simulator/server.js';
import { loadWorld, type World } from '../simulator/world.js';

export const DEMO_WORLD = fileURLToPath(new URL('./world.yaml', import.meta.url));
/** The day the demo world's Kubernetes support dates are written for. */
const WORLD_WRITTEN_ON = Date.parse('2026-11-25T00:00:00Z');

/**
 * Loads the demo world with its version support dates moved by as many days as have passed
 * since it was written, so that the demo shows the same findings on any day.
 */
export async function loadDemoWorld(now = new Date()): Promise<World> {
  const world = await loadWorld(DEMO_WORLD);
  const shift = Math.floor((now.getTime() - WORLD_WRITTEN_ON) / 86_400_000) * 86_400_000;
  const move = (date: string | undefined) => (date ? new Date(Date.parse(date) + shift).toISOString().slice(0, 10) : date);
  for (const region of Object.values(world.regions)) {
    for (const v of region.clusterVersions) {
      v.releaseDate = move(v.releaseDate);
      v.endOfStandardSupportDate = move(v.endOfStandardSupportDate);
      v.endOfExtendedSupportDate = move(v.endOfExtendedSupportDate);
    }
  }
  return world;
}
const CLI = fileURLToPath(new URL('../../functions/cli/eksguard.js', import.meta.url));

/** Environment for a process that must talk only to the simulator. */
export function simulatorEnv(url: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: 'AKIDEKSGUARDDEMO',
    AWS_SECRET_ACCESS_KEY: 'eksguard-demo-secret',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    EKSGUARD_LOCAL_ONLY: '1',
    // The SDK's notice that its 2027 releases need Node 22 is not news for a demo.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  for (const key of Object.keys(env)) if (key.startsWith('AWS_ENDPOINT_URL_') || key === 'AWS_PROFILE' || key === 'AWS_SESSION_TOKEN') delete env[key];
  return env;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, stdio: 'inherit' | 'pipe' = 'pipe'): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', stdio, stdio] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** The value of --format among the arguments (`--format json` or `--format=json`). */
export function formatOf(args: readonly string[]): string | undefined {
  let format: string | undefined;
  args.forEach((arg, i) => {
    if (arg === '--format') format = args[i + 1];
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
  });
  return format;
}

/** What happens in the simulated account between the demo's two scans. */
export const DEMO_CHANGES: { description: string; apply: (world: World) => void }[] = [
  {
    description: 'payments-prod: someone opens the cluster security group to 0.0.0.0/0 on 443',
    apply: (world) =>
      world.regions['us-east-1']!.securityGroups.find((g) => g.id === 'sg-0payments-cluster')!.ingress.push({
        protocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrs: ['0.0.0.0/0'],
        ipv6Cidrs: [],
        fromSecurityGroups: [],
        prefixListIds: [],
        description: 'debugging',
      }),
  },
  {
    description: 'analytics: private endpoint access is turned off',
    apply: (world) => {
      world.regions['us-east-1']!.clusters.find((c) => c.name === 'analytics')!.endpointPrivateAccess = false;
    },
  },
  {
    description: 'ml-training: DNS hostnames are turned on in its VPC (a fix)',
    apply: (world) => {
      world.regions['us-east-1']!.vpcs.find((v) => v.id === 'vpc-0ml')!.enableDnsHostnames = true;
    },
  },
];

/** `args` without --output FILE and --format F (and their = forms). */
export function withoutOutput(args: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--output' || args[i] === '--format') i++;
    else if (!/^--(output|format)=/.test(args[i]!)) kept.push(args[i]!);
  }
  return kept;
}

async function main(): Promise<void> {
  const simulator = await startSimulator({ world: await loadDemoWorld() });
  const stateDir = mkdtempSync(join(tmpdir(), 'eksguard-demo-'));
  try {
    const say = (text: string) => process.stderr.write(`${text}\n`);
    const extra = process.argv.slice(2);
    // With --output FILE the file gets the second scan: the final state with what changed since
    // the first, which prints its table as usual.
    const toFile = extra.some((arg) => arg === '--output' || arg.startsWith('--output='));
    // With --format json (to stdout) the two reports become one JSON document: {"scans": [first, second]}.
    const json = !toFile && formatOf(extra) === 'json';
    const reports: { scan: string; exitCode: number; report: unknown }[] = [];
    const scan = async (label: string, printMessages = false) => {
      const args = ['scan', '--region', 'us-east-1', '--state', join(stateDir, 'state.json')];
      if (printMessages && formatOf(extra) !== 'json') args.push('--print-messages');
      args.push(...(toFile && !printMessages ? withoutOutput(extra) : extra));
      const { code, stdout, stderr } = await runCli(args, simulatorEnv(simulator.url), json ? 'pipe' : 'inherit');
      if (json) {
        process.stderr.write(stderr);
        reports.push({ scan: label, exitCode: code, report: JSON.parse(stdout) as unknown });
      }
      say(`\neksguard scan exited with ${code} (1: some results failed, as the demo world is built to show)\n`);
    };
    say(`eksguard demo: simulated account 111122223333 at ${simulator.url} (world: test/demo/world.yaml)`);
    say('First scan: everything failing is new.\n');
    await scan('first');
    say('Changes in the simulated account:');
    for (const change of DEMO_CHANGES) {
      change.apply(simulator.world);
      say(`  - ${change.description}`);
    }
    say('\nSecond scan, with the state of the first: only what changed, then the messages it would');
    say('publish to SNS (with --sns-topic ARN it publishes them): Slack and email renderings.\n');
    await scan('second, with the state of the first', true);
    if (json) process.stdout.write(`${JSON.stringify({ scans: reports }, null, 2)}\n`);
  } finally {
    await simulator.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
