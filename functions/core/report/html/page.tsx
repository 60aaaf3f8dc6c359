/**
 * The report page: overview (account, regions, counts, clusters worst first, what changed),
 * then one section per cluster with its wiring diagram and its findings.
 */
import { severityRank, SEVERITIES } from '../../severity.js';
import type { ClusterChange } from '../../drift/track.js';
import type { ReportResult, ScanReport } from '../report.js';
import { Diagram } from './diagram.js';
import type { ClusterLayout } from './layout.js';
import type { ClusterMarks } from './marks.js';
import { STYLES } from './styles.js';

export interface ClusterView {
  name: string;
  region: string;
  anchor: string;
  /** The findings list, in the order the diagram's badges number them. */
  findings: ReportResult[];
  passed: ReportResult[];
  notApplicable: ReportResult[];
  changes: ClusterChange[];
  layout: ClusterLayout;
  marks: ClusterMarks;
}

const STATUS_LABEL: Record<ReportResult['status'], string> = { fail: 'FAIL', error: 'ERROR', excepted: 'EXCEPTED', pass: 'pass', 'not-applicable': 'n/a' };

export function Page({ report, clusters }: { report: ScanReport; clusters: ClusterView[] }) {
  const tracked = report.changes !== undefined;
  const title = `eksguard wiring report · account ${report.account}`;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="generator" content="eksguard" />
        <title>{title}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLES }} />
      </head>
      <body>
        <main>
          <Overview report={report} clusters={clusters} tracked={tracked} />
          {clusters.map((c) => (
            <ClusterSection cluster={c} tracked={tracked} />
          ))}
        </main>
      </body>
    </html>
  );
}

const failing = (c: ClusterView) => c.findings.filter((r) => r.status === 'fail');
const errored = (c: ClusterView) => c.findings.filter((r) => r.status === 'error');
const worstStatus = (c: ClusterView) => (failing(c).length ? 'fail' : errored(c).length ? 'error' : c.findings.some((r) => r.status === 'excepted') ? 'excepted' : 'pass');

function Overview({ report, clusters, tracked }: { report: ScanReport; clusters: ClusterView[]; tracked: boolean }) {
  const s = report.summary;
  const bySeverity = SEVERITIES.map((sev) => [sev, report.results.filter((r) => r.status === 'fail' && r.severity === sev).length] as const);
  const news = report.results.filter((r) => r.notify);
  return (
    <section id="overview">
      <h1>eksguard wiring report</h1>
      <p class="meta">
        Account <b>{report.account}</b> · {report.regions.length === 1 ? 'region' : 'regions'} <b>{report.regions.join(', ')}</b> · scanned{' '}
        <time dateTime={report.generatedAt}>{report.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</time> · {clusters.length} cluster
        {clusters.length === 1 ? '' : 's'}
      </p>
      <div class="counts" data-summary="status">
        <Count label="failed" value={s.fail} cls="fail" />
        <Count label="errors" value={s.error} cls="error" />
        <Count label="excepted" value={s.excepted} />
        <Count label="passed" value={s.pass} />
        <Count label="not applicable" value={s['not-applicable']} />
      </div>
      <div class="counts" data-summary="severity">
        {bySeverity.map(([sev, n]) => (
          <Count label={`${sev} failing`} value={n} cls={n ? 'fail' : ''} />
        ))}
      </div>
      {report.errors.length ? (
        <div class="problems">
          {report.errors.map((e) => (
            <p>
              Region {e.region} could not be scanned: {e.message}
            </p>
          ))}
        </div>
      ) : null}
      {report.expiredExceptions.length ? (
        <div class="problems">
          {report.expiredExceptions.map((e) => (
            <p>
              Expired exception ({e.location}): {e.policy} on {e.cluster} expired {e.expires} (owner {e.owner}): renew it or fix the cluster.
            </p>
          ))}
        </div>
      ) : null}
      {report.unmatchedExceptions?.length ? (
        <div class="problems">
          {report.unmatchedExceptions.map((e) => (
            <p>
              Exception ({e.location}) for {e.policy} on "{e.cluster}" matches no cluster of this scan.
            </p>
          ))}
        </div>
      ) : null}
      <Legend />
      <table class="clusters">
        <thead>
          <tr>
            <th>Cluster</th>
            <th>Region</th>
            <th>Status</th>
            <th class="num">Fail</th>
            <th class="num">Error</th>
            <th class="num">Pass</th>
            <th>Failing policies</th>
          </tr>
        </thead>
        <tbody>
          {clusters.map((c) => (
            <tr data-cluster={c.name}>
              <td>
                <a href={`#${c.anchor}`}>{c.name}</a>
              </td>
              <td>{c.region}</td>
              <td>
                <span class={`pill ${worstStatus(c)}`}>{worstStatus(c)}</span>
              </td>
              <td class="num">{failing(c).length}</td>
              <td class="num">{errored(c).length}</td>
              <td class="num">{c.passed.length}</td>
              <td class="policies">
                {c.findings
                  .map((r, i) => ({ r, n: i + 1 }))
                  .filter(({ r }) => r.status === 'fail' || r.status === 'error')
                  .map(({ r, n }) => (
                    <a href={`#${c.anchor}-finding-${n}`} class="mono">
                      {r.policy}
                    </a>
                  ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {tracked ? <Changes report={report} clusters={clusters} news={news} /> : null}
    </section>
  );
}

function Count({ label, value, cls = '' }: { label: string; value: number; cls?: string }) {
  return (
    <div class={`count ${value ? cls : ''}`}>
      <b>{value}</b>
      {label}
    </div>
  );
}

function Legend() {
  return (
    <div class="legend">
      <span>
        <span class="swatch fail" />
        fail (numbered: see the findings)
      </span>
      <span>
        <span class="swatch error" />
        error: could not be checked
      </span>
      <span>
        <span class="swatch cp" />
        control-plane subnet (EKS-owned ENIs)
      </span>
      <span>
        <span class="swatch public" />
        public subnet
      </span>
      <span>
        <span class="swatch missing" />
        referenced but not found
      </span>
    </div>
  );
}

function Changes({ report, clusters, news }: { report: ScanReport; clusters: ClusterView[]; news: ReportResult[] }) {
  const count = (t: string) => report.results.filter((r) => r.transition === t).length;
  const changed = clusters.filter((c) => c.changes.length || c.findings.some((r) => r.notify));
  return (
    <section id="changes">
      <h3>Since the last scan</h3>
      <p class="meta">
        {count('new')} new, {count('resolved')} resolved, {count('ongoing')} still failing, {report.changes?.length ?? 0} changed setting
        {(report.changes?.length ?? 0) === 1 ? '' : 's'}, {news.length} to report
      </p>
      {changed.length === 0 ? (
        <p>Nothing changed since the last scan.</p>
      ) : (
        <ul class="changes">
          {changed.map((c) => (
            <li>
              <a href={`#${c.anchor}`}>{c.name}</a>:{' '}
              {[...c.findings.filter((r) => r.notify).map((r) => `${r.transition ?? r.status} ${r.policy}`), ...c.changes.map((ch) => ch.summary)].join('; ')}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ClusterSection({ cluster: c, tracked }: { cluster: ClusterView; tracked: boolean }) {
  const status = worstStatus(c);
  return (
    <section class="cluster" id={c.anchor} data-cluster={c.name} data-region={c.region}>
      <h2>
        {c.name} <span class="where">{c.region}</span>
        <span class={`pill ${status}`}>
          {failing(c).length} failing · {errored(c).length} errors
        </span>
      </h2>
      {tracked && c.changes.length ? (
        <div class="changes">
          <b>Changed since the last scan:</b>
          <ul>
            {c.changes.map((ch) => (
              <li>{ch.summary}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <figure class="diagram" data-diagram={c.name}>
        <Diagram layout={c.layout} marks={c.marks} idPrefix={c.anchor} label={`Network wiring of cluster ${c.name} (${c.region})`} />
      </figure>
      <Findings cluster={c} tracked={tracked} />
    </section>
  );
}

function Findings({ cluster: c, tracked }: { cluster: ClusterView; tracked: boolean }) {
  return (
    <>
      {c.findings.length ? (
        <table class="findings">
          <thead>
            <tr>
              <th class="num">#</th>
              <th>Status</th>
              {tracked ? <th>Change</th> : null}
              <th>Severity</th>
              <th>Policy</th>
              <th>Message</th>
            </tr>
          </thead>
          <tbody>
            {c.findings.map((r, i) => (
              <tr id={`${c.anchor}-finding-${i + 1}`} class={r.status} data-policy={r.policy} data-status={r.status}>
                <td class="num">{i + 1}</td>
                <td>
                  <span class={`pill ${r.status}`}>{STATUS_LABEL[r.status]}</span>
                </td>
                {tracked ? <td>{r.transition ? <span class={`pill ${r.transition}`}>{r.transition}</span> : null}</td> : null}
                <td>{r.severity}</td>
                <td class="mono">{r.policy}</td>
                <td class="msg">
                  {r.message}
                  {r.remediation && r.status !== 'pass' ? (
                    <div class="fix">
                      fix: <code>{r.remediation}</code>
                    </div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No findings: every policy passed or does not apply.</p>
      )}
      <details>
        <summary>
          {c.passed.length} passed, {c.notApplicable.length} not applicable
        </summary>
        <ul>
          {[...c.passed, ...c.notApplicable].map((r) => (
            <li>
              <span class="mono">{r.policy}</span> ({STATUS_LABEL[r.status]}): {r.message}
            </li>
          ))}
        </ul>
      </details>
    </>
  );
}

/** Findings order: fail, error, excepted, then resolved; by severity, then policy. */
export function compareFindings(a: ReportResult, b: ReportResult): number {
  const rank = (r: ReportResult) => ['fail', 'error', 'excepted', 'pass', 'not-applicable'].indexOf(r.status);
  return rank(a) - rank(b) || severityRank(b.severity) - severityRank(a.severity) || a.policy.localeCompare(b.policy);
}
