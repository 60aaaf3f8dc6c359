/**
 * The report as JUnit XML, the format CI systems (Jenkins, GitLab, GitHub test reporters) read:
 * one <testsuite> per cluster, one <testcase> per result. A failure is a <failure>, an `error`
 * result (could not evaluate) an <error>, not-applicable and excepted results are <skipped>, so
 * a pipeline's test view shows what failed and what could not be checked. Element and attribute
 * names follow the widely used Jenkins JUnit schema (junit-10.xsd).
 */
import { create } from 'xmlbuilder2';
import type { ReportResult, ScanReport } from './report.js';

export function renderJunit(report: ScanReport): string {
  const suites = new Map<string, ReportResult[]>();
  for (const r of report.results) {
    const key = `${r.account}/${r.region}/${r.cluster}`;
    suites.set(key, [...(suites.get(key) ?? []), r]);
  }
  const count = (list: readonly ReportResult[], status: ReportResult['status'] | ReportResult['status'][]) =>
    list.filter((r) => (Array.isArray(status) ? status.includes(r.status) : r.status === status)).length;
  const all = report.results;
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele('testsuites', {
    name: `eksguard scan of account ${report.account}`,
    tests: String(all.length),
    failures: String(count(all, 'fail')),
    errors: String(count(all, 'error') + report.errors.length),
  });
  let id = 0;
  for (const [key, results] of suites) {
    const [account, region, cluster] = key.split('/') as [string, string, string];
    const suite = root.ele('testsuite', {
      name: `${cluster} (${account}, ${region})`,
      tests: String(results.length),
      failures: String(count(results, 'fail')),
      errors: String(count(results, 'error')),
      skipped: String(count(results, ['not-applicable', 'excepted'])),
      timestamp: report.generatedAt.replace(/\.\d+Z$/, '').replace(/Z$/, ''),
      hostname: region,
      id: String(id++),
      package: `eksguard.${account}.${region}`,
    });
    const props = suite.ele('properties');
    for (const [name, value] of [
      ['account', account],
      ['region', region],
      ['cluster', cluster],
    ] as const)
      props.ele('property', { name, value });
    for (const r of results) {
      const testcase = suite.ele('testcase', { name: r.policy, classname: `eksguard.${region}.${cluster}`, time: '0' });
      const detail = [r.message, ...(r.remediation ? [`Fix: ${r.remediation}`] : []), ...(r.controls ? [`Controls: ${r.controls.join(', ')}`] : [])].join('\n');
      if (r.status === 'fail') testcase.ele('failure', { message: r.message, type: r.severity }).txt(detail);
      else if (r.status === 'error') testcase.ele('error', { message: r.message, type: 'could-not-evaluate' }).txt(detail);
      else if (r.status === 'not-applicable' || r.status === 'excepted') testcase.ele('skipped', { message: `${r.status}: ${r.message}` });
    }
  }
  if (report.errors.length) {
    const suite = root.ele('testsuite', {
      name: 'regions',
      tests: String(report.errors.length),
      failures: '0',
      errors: String(report.errors.length),
      timestamp: report.generatedAt.replace(/\.\d+Z$/, '').replace(/Z$/, ''),
      hostname: 'aws',
      id: String(id++),
      package: `eksguard.${report.account}`,
    });
    for (const e of report.errors)
      suite
        .ele('testcase', { name: `list clusters in ${e.region}`, classname: `eksguard.${e.region}`, time: '0' })
        .ele('error', { message: e.message, type: 'could-not-list' })
        .txt(e.message);
  }
  return `${doc.end({ prettyPrint: true })}\n`;
}
