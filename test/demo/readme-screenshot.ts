/**
 * `npm run report:screenshot`: the README's picture. Scans the demo world with the real CLI
 * (`--format html`), opens the report in headless Chromium and saves the wiring diagram of
 * batch-jobs (the public-only cluster whose allowlist leaves out its NAT gateway's address)
 * beside the report code, as functions/core/report/html/wiring-example.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startSimulator } from '../simulator/server.js';
import { chromiumPath, launchChromium } from '../support/browser.js';
import { loadDemoWorld, runCli, simulatorEnv } from './run-demo.js';

export const SCREENSHOT = fileURLToPath(new URL('../../functions/core/report/html/wiring-example.png', import.meta.url));
const CLUSTER = 'batch-jobs';

async function main(): Promise<void> {
  const executable = chromiumPath();
  if (!executable) throw new Error('no Chromium found: install the "chromium" package (apt-get install -y chromium) or set EKSGUARD_CHROMIUM');
  const dir = mkdtempSync(join(tmpdir(), 'eksguard-screenshot-'));
  const simulator = await startSimulator({ world: await loadDemoWorld() });
  const chromium = await launchChromium(executable);
  try {
    const file = join(dir, 'report.html');
    const scan = await runCli(['scan', '--region', 'us-east-1', '--format', 'html', '--output', file, '--quiet'], simulatorEnv(simulator.url));
    if (scan.code !== 1) throw new Error(`eksguard scan exited with ${scan.code}: ${scan.stderr}`);
    const page = await chromium.browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.setViewport({ width: 900, height: 800, deviceScaleFactor: 1 });
    await page.goto(pathToFileURL(file).href);
    const figure = await page.$(`section[data-cluster="${CLUSTER}"] figure.diagram`);
    if (!figure) throw new Error(`no diagram of ${CLUSTER} in the report`);
    await figure.screenshot({ path: SCREENSHOT as `${string}.png` });
    process.stderr.write(`wrote ${SCREENSHOT}\n`);
  } finally {
    await chromium.close();
    await simulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
