/**
 * `npm run bench:html`: the HTML wiring report of 250 clusters (each with 3 to 6 Availability
 * Zones, 6 to 12 subnets, 3 node groups, and the whole shipped catalog evaluated): how long it
 * takes to render, how large the file is, and how long headless Chromium takes to open it and
 * lay it out (when Chromium is installed). Prints figures; asserts nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_POLICY_DIR } from '../../functions/cli/paths.js';
import { evaluateTargets } from '../../functions/core/policy/evaluate.js';
import { renderHtml } from '../../functions/core/report/html/html-report.js';
import { buildReport } from '../../functions/core/report/report.js';
import type { ClusterSnapshot } from '../../functions/core/snapshot/schema.js';
import type { ScanTarget } from '../../functions/core/snapshot/target.js';
import { loadBaseSnapshot } from '../../functions/policy-files/policy-cases.js';
import { loadPolicies } from '../../functions/policy-files/load-policies.js';
import { chromiumPath, launchChromium } from '../support/browser.js';
import { policyInfo } from '../../functions/core/report/policy-info.js';

const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 250);
const base = loadBaseSnapshot(DEFAULT_POLICY_DIR);

function cluster(i: number): ClusterSnapshot {
  const s = structuredClone(base);
  const zones = 3 + (i % 4);
  const count = zones * 2;
  const template = s.subnets['subnet-a']!;
  s.cluster.name = `cluster-${String(i).padStart(3, '0')}`;
  s.cluster.endpoint = { publicAccess: i % 3 === 0, privateAccess: i % 5 !== 0, publicAccessCidrs: i % 6 === 0 ? ['0.0.0.0/0'] : ['198.51.100.0/24'] };
  s.subnets = {};
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const id = `subnet-0${String(i).padStart(3, '0')}${String(n).padStart(2, '0')}abcdef012`;
    s.subnets[id] = { ...template, id, availabilityZone: `us-east-1${'abcdef'[n % zones]}`, cidrBlock: `10.${i % 250}.${n}.0/24`, availableIpAddressCount: (i * 7 + n) % 200 };
    ids.push(id);
  }
  s.cluster.subnetIds = ids.slice(0, 3);
  s.nodegroups = [0, 1, 2].map((g) => ({ ...base.nodegroups[0]!, name: `group-${g}`, subnetIds: ids.filter((_, n) => n % 3 === g) }));
  s.nodes = [];
  return s;
}

const policies = loadPolicies(DEFAULT_POLICY_DIR);
const targets: ScanTarget[] = Array.from({ length: CLUSTERS }, (_, i) => ({ kind: 'snapshot', snapshot: cluster(i) }));
const now = new Date(base.collectedAt);
const results = evaluateTargets(policies, targets, { now });
const report = buildReport({ account: base.account, generatedAt: now, regions: [base.region], results, errors: [], expiredExceptions: [], unmatchedExceptions: [] });

const infos = policies.map(policyInfo);
renderHtml({ report, targets: targets.slice(0, 10), policies: infos }); // warm-up
const start = performance.now();
const html = renderHtml({ report, targets, policies: infos });
const renderMs = performance.now() - start;
const failing = results.filter((r) => r.status === 'fail' || r.status === 'error').length;
const badges = html.match(/class="badge is-(fail|error)"/g)?.length ?? 0;
console.log(`clusters: ${CLUSTERS}, results: ${results.length}, fail/error: ${failing}, badges drawn for them: ${badges}`);
console.log(`render: ${renderMs.toFixed(0)} ms (${(renderMs / CLUSTERS).toFixed(1)} ms per cluster)`);
console.log(`file: ${(Buffer.byteLength(html) / 1024 / 1024).toFixed(2)} MiB (${(Buffer.byteLength(html) / CLUSTERS / 1024).toFixed(1)} KiB per cluster)`);

const executable = chromiumPath();
if (!executable) {
  console.log('browser: skipped (no Chromium installed)');
} else {
  const dir = mkdtempSync(join(tmpdir(), 'eksguard-html-bench-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  const chromium = await launchChromium(executable);
  try {
    const page = await chromium.browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.setViewport({ width: 1280, height: 900 });
    const opened = performance.now();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const loadMs = performance.now() - opened;
    // Lay out the whole page (every section, not only the visible ones) and scroll to the end.
    const fullMs = await page.evaluate(() => {
      const t = performance.now();
      for (const s of Array.from(document.querySelectorAll('section.cluster'))) (s as HTMLElement).style.contentVisibility = 'visible';
      window.scrollTo(0, document.body.scrollHeight);
      void document.body.getBoundingClientRect();
      return performance.now() - t;
    });
    console.log(`browser: opened and first screen laid out in ${loadMs.toFixed(0)} ms; every section laid out in a further ${fullMs.toFixed(0)} ms`);
  } finally {
    await chromium.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
