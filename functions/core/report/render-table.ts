/**
 * The human-readable report, per cluster. Without state: what failed or could not be checked.
 * With state (--state): only what is news since the last scan (new, resolved, expired
 * exceptions, errors) and the drifted fields, with a count of what is still failing.
 *
 * Each cluster opens with one header line (verdict, name, region, counts) so a person can scan
 * down the left edge; its results follow, each message and fix wrapped to the width and indented
 * under it. A fix's command stays on one line, so it can be copied whole.
 */
import wrapAnsi from 'wrap-ansi';
import { exceptionNote } from '../results.js';
import { SEVERITIES, severityRank } from '../severities.js';
import type { ReportResult, ScanReport } from './report.js';

/** Colours for a terminal; the default leaves text as it is. */
export interface TableStyle {
  bold: (s: string) => string;
  dim: (s: string) => string;
  red: (s: string) => string;
  yellow: (s: string) => string;
  green: (s: string) => string;
  cyan: (s: string) => string;
}

const plain = (s: string) => s;
export const PLAIN_STYLE: TableStyle = { bold: plain, dim: plain, red: plain, yellow: plain, green: plain, cyan: plain };

export interface TableOptions {
  /** Also list passing and not-applicable results. */
  all?: boolean;
  /** Wrap messages to this many columns (default: no wrapping). */
  width?: number;
  style?: TableStyle;
}

const LABEL: Record<ReportResult['status'], string> = {
  fail: 'FAIL',
  error: 'ERROR',
  excepted: 'EXCEPTED',
  pass: 'pass',
  'not-applicable': 'n/a',
};
const PROBLEMS = new Set<ReportResult['status']>(['fail', 'error', 'excepted']);
const INDENT = '      ';
const RUN = ' Run: ';

function statusColour(status: ReportResult['status'], style: TableStyle): (s: string) => string {
  if (status === 'fail') return (s) => style.bold(style.red(s));
  if (status === 'error') return style.yellow;
  if (status === 'pass') return style.green;
  return style.dim;
}

function wrapped(text: string, indent: string, width: number | undefined): string[] {
  if (!width) return [`${indent}${text}`];
  return wrapAnsi(text, Math.max(20, width - indent.length), { hard: true, trim: true })
    .split('\n')
    .map((line) => `${indent}${line}`);
}

function severityCounts(results: readonly ReportResult[]): string {
  return SEVERITIES.map((s) => [s, results.filter((r) => r.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
}

function clusterHeader(name: string, region: string, results: readonly ReportResult[], news: { shown: number; changes: number } | undefined, style: TableStyle): string {
  const failed = results.filter((r) => r.status === 'fail');
  const errors = results.filter((r) => r.status === 'error');
  const count = (status: ReportResult['status']) => results.filter((r) => r.status === status).length;
  const verdict = failed.length ? style.bold(style.red('FAIL ')) : errors.length ? style.yellow('ERROR') : style.green('OK   ');
  const parts: string[] = [];
  if (failed.length) parts.push(`${failed.length} failed (${severityCounts(failed)})`);
  if (errors.length) parts.push(`${errors.length} could not be checked`);
  if (count('excepted')) parts.push(`${count('excepted')} excepted`);
  parts.push(`${count('pass')} passed`, `${count('not-applicable')} n/a`);
  if (news) {
    const ongoing = results.filter((r) => r.transition === 'ongoing').length;
    if (ongoing) parts.push(`${ongoing} still failing`);
    parts.push(`${news.shown} to report`);
    if (news.changes) parts.push(`${news.changes} change(s)`);
  }
  return `${verdict} ${style.bold(name)} ${style.dim(`(${region})`)}  ${parts.join(' · ')}`;
}

export function renderTable(report: ScanReport, options: TableOptions = {}): string {
  const style = options.style ?? PLAIN_STYLE;
  const { width } = options;
  const tracked = report.changes !== undefined;
  const lines = [style.bold(`eksguard scan of account ${report.account} (${report.regions.join(', ')}) at ${report.generatedAt}`), ''];
  const clusters = new Map<string, { name: string; region: string; results: ReportResult[]; changes: string[] }>();
  const entry = (name: string, region: string) => {
    const key = `${region}\u0000${name}`;
    if (!clusters.has(key)) clusters.set(key, { name, region, results: [], changes: [] });
    return clusters.get(key)!;
  };
  for (const r of report.results) entry(r.cluster, r.region).results.push(r);
  for (const c of report.changes ?? []) entry(c.cluster, c.region).changes.push(c.summary);

  for (const { name, region, results, changes } of clusters.values()) {
    const shown = results
      .filter((r) => options.all || (tracked ? r.notify === true : PROBLEMS.has(r.status)))
      .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.policy.localeCompare(b.policy));
    if (tracked && shown.length === 0 && changes.length === 0 && !options.all) continue;
    const header = clusterHeader(name, region, results, tracked ? { shown: shown.length, changes: changes.length } : undefined, style);
    lines.push(...wrapped(header, '', width && width - INDENT.length).map((line, i) => (i ? `${INDENT}${line}` : line)));
    for (const r of shown) {
      const transition = tracked && r.transition ? `  ${style.cyan(r.transition)}` : '';
      const note = exceptionNote(r);
      lines.push(`  ${statusColour(r.status, style)(LABEL[r.status].padEnd(8))} ${r.severity.padEnd(8)} ${style.bold(r.policy)}${transition}`);
      lines.push(...wrapped(`${r.message}${note ? ` [${note}]` : ''}`, INDENT, width));
      if (r.remediation && r.status !== 'pass') {
        const at = r.remediation.lastIndexOf(RUN);
        const advice = at < 0 ? r.remediation : r.remediation.slice(0, at);
        lines.push(...wrapped(`fix: ${advice}`, INDENT, width).map(style.dim));
        if (at >= 0) lines.push(`${INDENT}${style.dim('$')} ${r.remediation.slice(at + RUN.length)}`);
      }
      if (r.controls && r.status !== 'pass') lines.push(...wrapped(`controls: ${r.controls.join(', ')}`, INDENT, width).map(style.dim));
    }
    for (const change of changes) lines.push(...wrapped(`~ ${change}`, '  ', width));
    lines.push('');
  }
  if (tracked && clusters.size > 0 && lines.length === 2) lines.push('Nothing changed since the last scan.', '');
  for (const e of report.errors) lines.push(...wrapped(`${style.yellow('ERROR')} ${e.region}: ${e.message}`, '', width));
  for (const e of report.expiredExceptions) {
    lines.push(
      ...wrapped(`${style.yellow('EXPIRED EXCEPTION')} ${e.location}: ${e.policy} on ${e.cluster} expired ${e.expires} (owner ${e.owner}): renew it or fix the cluster`, '', width),
    );
  }
  for (const e of report.unmatchedExceptions ?? []) {
    lines.push(
      ...wrapped(
        `${style.yellow('WARNING')} ${e.location}: the exception for ${e.policy} on "${e.cluster}" matches no cluster of this scan: fix the pattern or remove it`,
        '',
        width,
      ),
    );
  }
  if (report.results.length === 0 && report.errors.length === 0) lines.push('No EKS clusters found.');
  const s = report.summary;
  const news = report.results.filter((r) => r.notify === true).length;
  const total =
    `${new Set(report.results.map((r) => `${r.region}/${r.cluster}`)).size} cluster(s): ${s.fail} failed, ${s.error} errors, ${s.excepted} excepted, ${s.pass} passed, ${s['not-applicable']} not applicable` +
    (tracked ? `; ${news} new to report, ${report.changes?.length ?? 0} change(s)` : '');
  lines.push(...wrapped(total, '', width).map(style.bold));
  return `${lines.join('\n')}\n`;
}
