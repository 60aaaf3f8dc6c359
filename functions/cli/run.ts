/** Process entry of the eksguard CLI. */
import { main } from './main.js';

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stdoutIsTTY: process.stdout.isTTY === true,
  ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
}).catch((error: unknown) => {
  process.stderr.write(`eksguard: unexpected failure: ${(error as Error).stack ?? String(error)}\n`);
  return 70;
});
process.exitCode = code;
