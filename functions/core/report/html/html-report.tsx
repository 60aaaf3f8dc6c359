/**
 * `--format html`: the report as one self-contained HTML page (inline CSS and SVG, no script,
 * nothing fetched) that draws each cluster's network wiring and marks where it breaks. A pure
 * function of the JSON report and the snapshots the scan read.
 */
import { renderToString } from 'preact-render-to-string';
import { severityRank } from '../../severity.js';
import type { ScanTarget } from '../../snapshot/target.js';
import type { ReportResult, ScanReport } from '../report.js';
import { layoutCluster } from './layout.js';
import { markResults, policyPlaces, type PolicyPlace } from './marks.js';
import { compareFindings, Page, type ClusterView } from './page.js';
import { unreadableWiring, wiringOf, type ClusterWiring } from './wiring.js';

export interface HtmlReportInput {
  report: ScanReport;
  /** The clusters the scan read (snapshots, or the reason one could not be read). */
  targets: readonly ScanTarget[];
  /** The evaluated policies: their `diagram` says where their results are drawn. */
  policies: readonly { id: string; diagram?: PolicyPlace }[];
}

const keyOf = (region: string, cluster: string) => `${region}/${cluster}`;

/** The section anchor of a cluster: stable, and unique within a report. */
export const clusterAnchor = (region: string, cluster: string) => `cluster-${region}-${cluster}`.replace(/[^A-Za-z0-9_-]/g, '-');

const isFinding = (r: ReportResult) => r.status === 'fail' || r.status === 'error' || r.status === 'excepted' || (r.transition !== undefined && r.transition !== 'ongoing');

/** Clusters worst first: failing (by their most severe failure, then how many), erroring, the rest. */
function compareClusters(a: ClusterView, b: ClusterView): number {
  const score = (c: ClusterView) => {
    const fails = c.findings.filter((r) => r.status === 'fail');
    return [fails.length ? 2 : c.findings.some((r) => r.status === 'error') ? 1 : 0, Math.max(0, ...fails.map((r) => severityRank(r.severity))), fails.length];
  };
  const [x, y] = [score(a), score(b)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return y[i]! - x[i]!;
  return a.name.localeCompare(b.name) || a.region.localeCompare(b.region);
}

export function clusterViews({ report, targets, policies }: HtmlReportInput): ClusterView[] {
  const places = policyPlaces(policies);
  const wirings = new Map<string, ClusterWiring>();
  for (const t of targets) {
    const w = t.kind === 'snapshot' ? wiringOf(t.snapshot) : unreadableWiring(t.cluster, t.region, t.reason);
    wirings.set(keyOf(w.region, w.name), w);
  }
  const results = new Map<string, ReportResult[]>();
  for (const r of report.results) results.set(keyOf(r.region, r.cluster), [...(results.get(keyOf(r.region, r.cluster)) ?? []), r]);
  const keys = [...new Set([...wirings.keys(), ...results.keys()])];
  return keys
    .map((key) => {
      const own = results.get(key) ?? [];
      const [region, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
      const wiring = wirings.get(key) ?? unreadableWiring(name, region, 'no snapshot in this scan (the cluster was deleted)');
      const layout = layoutCluster(wiring);
      const findings = own.filter(isFinding).sort(compareFindings);
      return {
        name,
        region,
        anchor: clusterAnchor(region, name),
        findings,
        passed: own.filter((r) => r.status === 'pass' && !findings.includes(r)),
        notApplicable: own.filter((r) => r.status === 'not-applicable' && !findings.includes(r)),
        changes: (report.changes ?? []).filter((c) => c.region === region && c.cluster === name),
        layout,
        marks: markResults(findings, layout, places),
      };
    })
    .sort(compareClusters);
}

export function renderHtml(input: HtmlReportInput): string {
  return `<!doctype html>\n${renderToString(<Page report={input.report} clusters={clusterViews(input)} />)}\n`;
}
