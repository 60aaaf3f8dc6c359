/**
 * `npm run demo`: starts the simulated AWS account on loopback with the built-in world, runs the
 * real `eksguard scan` against it as a separate process (through the SDK's wire path, with fake
 * credentials), and prints its report. Extra arguments are passed to `eksguard scan`.
 */
import { spawn } from 'node:child_process';
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

async function main(): Promise<void> {
  const simulator = await startSimulator({ world: await loadDemoWorld() });
  try {
    process.stderr.write(`eksguard demo: simulated account 111122223333 at ${simulator.url} (world: test/demo/world.yaml)\n\n`);
    const args = process.argv.slice(2);
    const { code } = await runCli(['scan', '--region', 'us-east-1', ...args], simulatorEnv(simulator.url), 'inherit');
    process.stderr.write(`\neksguard scan exited with ${code} (1: some results failed, as the demo world is built to show)\n`);
  } finally {
    await simulator.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
