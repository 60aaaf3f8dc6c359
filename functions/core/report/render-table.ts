/** The human-readable report: per cluster, what failed or could not be checked, then a summary. */
import { severityRank } from '../policy/policy-schema.js';
import type { PolicyResult } from '../results.js';
import type { ScanReport } from './report.js';

const LABEL: Record<PolicyResult['status'], string> = {
  fail: 'FAIL',
  error: 'ERROR',
  excepted: 'EXCEPTED',
  pass: 'pass',
  'not-applicable': 'n/a',
};
const SHOWN = new Set<PolicyResult['status']>(['fail', 'error', 'excepted']);

export function renderTable(report: ScanReport, options: { all?: boolean } = {}): string {
  const lines = [`eksguard scan of account ${report.account} (${report.regions.join(', ')}) at ${report.generatedAt}`, ''];
  const byCluster = new Map<string, PolicyResult[]>();
  for (const r of report.results) {
    const key = `${r.cluster} (${r.region})`;
    byCluster.set(key, [...(byCluster.get(key) ?? []), r]);
  }
  const width = Math.max(0, ...report.results.map((r) => r.policy.length));
  for (const [cluster, results] of byCluster) {
    const shown = results
      .filter((r) => options.all || SHOWN.has(r.status))
      .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.policy.localeCompare(b.policy));
    const passed = results.filter((r) => r.status === 'pass').length;
    const notApplicable = results.filter((r) => r.status === 'not-applicable').length;
    lines.push(`${cluster}: ${passed} passed, ${notApplicable} not applicable${shown.length && !options.all ? `, ${shown.length} to look at` : ''}`);
    for (const r of shown) {
      lines.push(`  ${LABEL[r.status].padEnd(8)} ${r.severity.padEnd(8)} ${r.policy.padEnd(width)}  ${r.message}`);
      if (r.remediation) lines.push(`  ${''.padEnd(8 + 1 + 8 + 1 + width)}  fix: ${r.remediation}`);
    }
    lines.push('');
  }
  for (const e of report.errors) lines.push(`ERROR ${e.region}: ${e.message}`);
  for (const e of report.expiredExceptions) {
    lines.push(`EXPIRED EXCEPTION ${e.location}: ${e.policy} on ${e.cluster} expired ${e.expires} (owner ${e.owner}): renew it or fix the cluster`);
  }
  if (report.results.length === 0 && report.errors.length === 0) lines.push('No EKS clusters found.');
  const s = report.summary;
  lines.push(`${byCluster.size} cluster(s): ${s.fail} failed, ${s.error} errors, ${s.excepted} excepted, ${s.pass} passed, ${s['not-applicable']} not applicable`);
  return `${lines.join('\n')}\n`;
}
