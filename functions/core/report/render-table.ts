/**
 * The human-readable report, per cluster. Without state: what failed or could not be checked.
 * With state (--state): only what is news since the last scan (new, resolved, expired
 * exceptions, errors) and the drifted fields, with a count of what is still failing.
 */
import { exceptionNote } from '../results.js';
import { severityRank } from '../severity.js';
import type { ReportResult, ScanReport } from './report.js';

const LABEL: Record<ReportResult['status'], string> = {
  fail: 'FAIL',
  error: 'ERROR',
  excepted: 'EXCEPTED',
  pass: 'pass',
  'not-applicable': 'n/a',
};
const PROBLEMS = new Set<ReportResult['status']>(['fail', 'error', 'excepted']);

function isNews(r: ReportResult): boolean {
  return r.notify === true;
}

export function renderTable(report: ScanReport, options: { all?: boolean } = {}): string {
  const tracked = report.changes !== undefined;
  const lines = [`eksguard scan of account ${report.account} (${report.regions.join(', ')}) at ${report.generatedAt}`, ''];
  const clusters = new Map<string, { results: ReportResult[]; changes: string[] }>();
  const entry = (cluster: string, region: string) => {
    const key = `${cluster} (${region})`;
    if (!clusters.has(key)) clusters.set(key, { results: [], changes: [] });
    return clusters.get(key)!;
  };
  for (const r of report.results) entry(r.cluster, r.region).results.push(r);
  for (const c of report.changes ?? []) entry(c.cluster, c.region).changes.push(c.summary);

  const width = Math.max(0, ...report.results.map((r) => r.policy.length));
  const transitionWidth = tracked ? Math.max(0, ...report.results.map((r) => r.transition?.length ?? 0)) + 1 : 0;
  for (const [cluster, { results, changes }] of clusters) {
    const shown = results
      .filter((r) => options.all || (tracked ? isNews(r) : PROBLEMS.has(r.status)))
      .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.policy.localeCompare(b.policy));
    const count = (status: ReportResult['status']) => results.filter((r) => r.status === status).length;
    const ongoing = results.filter((r) => r.transition === 'ongoing').length;
    const parts = [`${count('pass')} passed`, `${count('not-applicable')} not applicable`];
    if (tracked) parts.push(`${ongoing} still failing`, `${shown.length} new to report`);
    else if (shown.length && !options.all) parts.push(`${shown.length} to look at`);
    if (tracked && shown.length === 0 && changes.length === 0 && !options.all) continue;
    lines.push(`${cluster}: ${parts.join(', ')}`);
    for (const r of shown) {
      const transition = tracked ? `${(r.transition ?? '').padEnd(transitionWidth)}` : '';
      const note = exceptionNote(r);
      lines.push(`  ${LABEL[r.status].padEnd(8)} ${transition}${r.severity.padEnd(8)} ${r.policy.padEnd(width)}  ${r.message}${note ? ` [${note}]` : ''}`);
      if (r.remediation && r.status !== 'pass') lines.push(`  ${''.padEnd(8 + 1 + transitionWidth + 8 + 1 + width)}  fix: ${r.remediation}`);
    }
    for (const change of changes) lines.push(`  ~ ${change}`);
    lines.push('');
  }
  if (tracked && clusters.size > 0 && lines.length === 2) lines.push('Nothing changed since the last scan.', '');
  for (const e of report.errors) lines.push(`ERROR ${e.region}: ${e.message}`);
  for (const e of report.expiredExceptions) {
    lines.push(`EXPIRED EXCEPTION ${e.location}: ${e.policy} on ${e.cluster} expired ${e.expires} (owner ${e.owner}): renew it or fix the cluster`);
  }
  for (const e of report.unmatchedExceptions ?? []) {
    lines.push(`WARNING ${e.location}: the exception for ${e.policy} on "${e.cluster}" matches no cluster of this scan: fix the pattern or remove it`);
  }
  if (report.results.length === 0 && report.errors.length === 0) lines.push('No EKS clusters found.');
  const s = report.summary;
  const news = report.results.filter(isNews).length;
  lines.push(
    `${new Set(report.results.map((r) => `${r.region}/${r.cluster}`)).size} cluster(s): ${s.fail} failed, ${s.error} errors, ${s.excepted} excepted, ${s.pass} passed, ${s['not-applicable']} not applicable` +
      (tracked ? `; ${news} new to report, ${report.changes?.length ?? 0} change(s)` : ''),
  );
  return `${lines.join('\n')}\n`;
}
