/**
 * CLI: tsx test/simulator/main.ts --world FILE [--port N] [--throttle 0.3] [--latency 20] [--seed N] [--verbose]
 *
 * Prints exactly one line `SIMULATOR_URL=http://127.0.0.1:PORT` on stdout once listening.
 * --throttle/--latency/--seed override the world file's faults. With --verbose each
 * request is logged to stderr. SIGTERM/SIGINT shut the server down cleanly.
 */
import { parseArgs } from 'node:util';
import { startSimulator } from './server.js';
import { WorldError, loadWorld, parseFaults } from './world.js';

const USAGE = 'usage: tsx test/simulator/main.ts --world FILE [--port N] [--throttle RATE] [--latency MS] [--seed N] [--verbose]';

/** A command-line mistake: reported without a stack trace. */
class UsageError extends Error {}

function numberOption(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || Number.isNaN(n)) throw new UsageError(`--${name} expects a number, got "${raw}"\n${USAGE}`);
  return n;
}

function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        world: { type: 'string' },
        port: { type: 'string' },
        throttle: { type: 'string' },
        latency: { type: 'string' },
        seed: { type: 'string' },
        verbose: { type: 'boolean', default: false },
      },
    }).values;
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${USAGE}`);
  }
}

async function main(): Promise<void> {
  const values = parseCommandLine();
  if (!values.world) throw new UsageError(`--world is required\n${USAGE}`);
  const world = await loadWorld(values.world);
  const overrides = {
    throttleRate: numberOption('throttle', values.throttle),
    latencyMs: numberOption('latency', values.latency),
    seed: numberOption('seed', values.seed),
  };
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  if (Object.keys(defined).length) world.faults = parseFaults({ ...world.faults, ...defined }, 'command-line faults');

  const sim = await startSimulator({
    world,
    port: numberOption('port', values.port),
    onRequest: values.verbose
      ? (e) => {
          const error = e.errorCode ? ` ${e.errorCode}` : '';
          process.stderr.write(`[simulator] ${e.status} ${e.service} ${e.region} ${e.operation}${error} ${JSON.stringify(e.params)}\n`);
        }
      : undefined,
  });
  process.stdout.write(`SIMULATOR_URL=${sim.url}\n`);

  const shutdown = () => {
    sim.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`[simulator] error while closing: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((e: unknown) => {
  const expected = e instanceof WorldError || e instanceof UsageError;
  process.stderr.write(`${expected ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(2);
});
