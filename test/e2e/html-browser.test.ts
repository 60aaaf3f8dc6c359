/**
 * The HTML wiring report in a real browser (headless Chromium, JavaScript off, no network):
 * every failing result of the demo world's JSON report is drawn on an element carrying its
 * policy id, nothing is drawn outside its picture or the window, and each cluster's diagram is
 * saved as a screenshot under test/output/ for a reviewer. Also the report `npm run demo --
 * --format html --output FILE` writes. Skips, saying why, only where no Chromium is installed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../functions/cli/paths.js';
import { renderHtml } from '../../functions/core/report/html/html-report.js';
import type { ScanReport } from '../../functions/core/report/report.js';
import { chromiumPath, launchChromium, type HeadlessChromium } from '../support/browser.js';
import { scanDemoWorld } from '../support/demo-scan.js';
import { DEMO_FAILURES } from '../demo/demo-failures.js';

const executable = chromiumPath();
if (!executable) {
  console.warn('html-browser.test.ts: SKIPPED: no Chromium found (install Debian\'s "chromium" package, as .ci/run does, or set EKSGUARD_CHROMIUM)');
}
const OUTPUT = join(PACKAGE_ROOT, 'test', 'output');
const VIEWPORT = { width: 1280, height: 900 };

let chromium: HeadlessChromium;
let dir: string;

beforeAll(async () => {
  if (!executable) return;
  dir = mkdtempSync(join(tmpdir(), 'eksguard-html-'));
  mkdirSync(OUTPUT, { recursive: true });
  chromium = await launchChromium(executable);
}, 60_000);
afterAll(async () => {
  await chromium?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Opens a file with JavaScript off, recording every request the page makes. */
async function open(file: string): Promise<{ page: Page; requests: string[] }> {
  const page = await chromium.browser.newPage();
  await page.setJavaScriptEnabled(false);
  await page.setViewport(VIEWPORT);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, requests };
}

/** Elements drawn outside their SVG, SVGs outside the window, and text that leaves its box. */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const slack = 1;
    for (const svg of Array.from(document.querySelectorAll('svg.wiring'))) {
      const cluster = svg.closest('section')?.getAttribute('data-cluster') ?? '?';
      const box = svg.getBoundingClientRect();
      if (box.left < -slack || box.right > window.innerWidth + slack) problems.push(`${cluster}: the diagram is wider than the window`);
      for (const shape of Array.from(svg.querySelectorAll('rect, text, line, path, circle'))) {
        const r = shape.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        if (r.left < box.left - slack || r.right > box.right + slack || r.top < box.top - slack || r.bottom > box.bottom + slack) {
          problems.push(`${cluster}: ${shape.tagName} "${shape.textContent?.slice(0, 40)}" is drawn outside the diagram`);
        }
      }
      // Text, in the browser's real font, stays inside the box it labels.
      for (const text of Array.from(svg.querySelectorAll('g.el > text'))) {
        const frame = text.parentElement!.querySelector(':scope > rect:not(.hit)') as SVGGraphicsElement | null;
        if (!frame) continue;
        const t = (text as SVGGraphicsElement).getBBox();
        const f = frame.getBBox();
        if (t.x < f.x - slack || t.x + t.width > f.x + f.width + slack) problems.push(`${cluster}: text "${text.textContent}" overflows its box`);
      }
    }
    return problems;
  });
}

describe.skipIf(!executable)('the HTML report in headless Chromium', () => {
  let report: ScanReport;
  let page: Page;
  let requests: string[];

  beforeAll(async () => {
    const scan = await scanDemoWorld();
    report = scan.report;
    const file = join(dir, 'demo.html');
    writeFileSync(file, renderHtml(scan));
    ({ page, requests } = await open(file));
  }, 60_000);

  it('loads nothing but itself, without JavaScript', () => {
    expect(requests).toEqual([expect.stringMatching(/^file:\/\/.*demo\.html$/)]);
  });

  it('draws every failing and error result of the JSON report on an element with its data-policy', async () => {
    const marked = report.results.filter((r) => r.status === 'fail' || r.status === 'error');
    expect(marked.length).toBe(Object.values(DEMO_FAILURES).flat().length);
    const missing = await page.evaluate(
      (results) =>
        results
          .filter(({ cluster, policy, status }) => {
            const section = document.querySelector(`section[data-cluster="${cluster}"]`);
            const badge = section?.querySelector(`svg a.badge[data-policy="${policy}"][data-status="${status}"]`);
            // The badge sits on a drawn element that carries the policy too.
            const element = badge?.closest('g.el');
            return !(badge && element && (element.getAttribute('data-policy') ?? '').split(' ').includes(policy) && element.getAttribute('data-status'));
          })
          .map((r) => `${r.cluster}: ${r.policy}`),
      marked.map(({ cluster, policy, status }) => ({ cluster, policy, status })),
    );
    expect(missing).toEqual([]);
  });

  it('marks each designed failure on the element it is about', async () => {
    const on = (cluster: string, policy: string) =>
      page.evaluate(
        (c, p) =>
          Array.from(document.querySelectorAll(`section[data-cluster="${c}"] svg g.el`))
            .filter((e) => (e.getAttribute('data-policy') ?? '').split(' ').includes(p))
            .map((e) => e.getAttribute('data-resource-id') ?? e.getAttribute('data-nodegroup') ?? e.getAttribute('data-element'))
            .sort(),
        cluster,
        policy,
      );
    expect(await on('batch-jobs', 'endpoint-nodes-can-reach-api')).toEqual(['allowlist', 'nat-0prod', 'subnet-0prod-a', 'subnet-0prod-b']);
    expect(await on('data-pipeline', 'cluster-node-sg-connectivity')).toEqual(['edge']);
    expect(await on('data-pipeline', 'control-plane-subnets-free-ips')).toEqual(['subnet-0prod-d']);
    expect(await on('edge-gateway', 'cluster-sg-no-public-ingress')).toEqual(['sg-0edge-cluster', 'sg-0edge-cluster']);
    expect(await on('web-frontend', 'nodegroups-private-subnets')).toEqual(['igw-0prod', 'subnet-0prod-pub-a']);
    expect(await on('sandbox', 'control-plane-subnets-multi-az')).toEqual(['subnet-0deleted']);
    expect(await on('ml-training', 'private-endpoint-vpc-dns')).toEqual(['vpc-dns']);
    expect(await on('payments-prod', 'cluster-sg-no-public-ingress')).toEqual([]);
    // Red for fail: the computed colour of a failing outline.
    const stroke = await page.evaluate(() => getComputedStyle(document.querySelector('section[data-cluster="batch-jobs"] g.el[data-resource-id="nat-0prod"] > rect')!).stroke);
    expect(stroke).toBe('rgb(207, 34, 46)');
  });

  it('draws nothing outside its diagram or the window, and no label leaves its box', async () => {
    expect(await layoutProblems(page)).toEqual([]);
  });

  it('saves a screenshot of each cluster diagram under test/output/', async () => {
    const figures = await page.$$('figure.diagram');
    expect(figures.length).toBe(Object.keys(DEMO_FAILURES).length);
    for (const figure of figures) {
      const name = await figure.evaluate((f) => f.getAttribute('data-diagram'));
      const png = await figure.screenshot({ path: join(OUTPUT, `wiring-${name}.png`) as `${string}.png` });
      expect(png.subarray(1, 4).toString()).toBe('PNG');
    }
  });

  it('opens the report of `npm run demo -- --format html --output FILE`: the last scan with what changed', async () => {
    const file = join(dir, 'demo-run.html');
    await promisify(execFile)(
      process.execPath,
      [join(PACKAGE_ROOT, 'node_modules/tsx/dist/cli.mjs'), join(PACKAGE_ROOT, 'test/demo/run-demo.ts'), '--format', 'html', '--output', file],
      {
        cwd: PACKAGE_ROOT,
        timeout: 120_000,
      },
    );
    expect(readFileSync(file, 'utf8')).toContain('Since the last scan');
    const { page: demo, requests: loaded } = await open(file);
    expect(loaded).toHaveLength(1);
    expect(await demo.$$eval('section.cluster', (s) => s.length)).toBe(13);
    // The change between the scans is drawn: payments-prod's cluster SG now open to the internet.
    const marked = await demo.$$eval('section[data-cluster="payments-prod"] svg g.el[data-policy~="cluster-sg-no-public-ingress"]', (e) =>
      e.map((x) => x.getAttribute('data-resource-id')),
    );
    expect(marked).toContain('sg-0payments-cluster');
    expect(await demo.$eval('#changes', (e) => e.textContent)).toMatch(/payments-prod: new cluster-sg-no-public-ingress/);
    expect(await layoutProblems(demo)).toEqual([]);
    await demo.screenshot({ path: join(OUTPUT, 'demo-overview.png'), fullPage: false });
  }, 180_000);
});
