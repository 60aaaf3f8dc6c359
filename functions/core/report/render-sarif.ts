/**
 * The report as SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format,
 * https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html), for code-scanning dashboards:
 * one rule per policy with its metadata, one result per failing or error result.
 *
 * - A failure is `kind: fail` with a level from the severity (critical/high: error, medium:
 *   warning, low/info: note); an `error` result is `kind: open` ("the tool could not determine
 *   whether the result is a pass or fail", SARIF §3.27.9), whose level must be `none`.
 * - The cluster is a logical location (kind `resource`, its ARN as the fully qualified name). Code
 *   scanning services want a physical location too, so each result also points at the policy file
 *   that states the rule (`policies/<id>.yaml`, relative to the `EKSGUARD_POLICIES` base).
 * - `partialFingerprints` keep one identity per account/region/cluster/policy across runs, and
 *   `security-severity` (a 0-10 score) is the property GitHub code scanning ranks alerts by.
 */
import { createHash } from 'node:crypto';
import { clusterArnOf } from './cluster-arn.js';
import { controlLabels } from './controls.js';
import { policyIndex, type PolicyInfo } from './policy-info.js';
import type { ReportResult, ScanReport } from './report.js';
import type { Severity } from '../severities.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };

export interface SarifOptions {
  toolVersion: string;
  informationUri?: string;
}

export function renderSarif(report: ScanReport, policies: readonly PolicyInfo[], options: SarifOptions): string {
  const rules = [...policies].sort((a, b) => a.id.localeCompare(b.id));
  const index = new Map(rules.map((p, i) => [p.id, i]));
  const info = policyIndex(rules);
  const results = report.results.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => sarifResult(r, index.get(r.policy), info.get(r.policy)));
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'eksguard',
            semanticVersion: options.toolVersion,
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules: rules.map(sarifRule),
          },
        },
        originalUriBaseIds: { EKSGUARD_POLICIES: { description: { text: 'The policy directory of the scan (the shipped policies/ by default).' } } },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            endTimeUtc: report.generatedAt,
            toolExecutionNotifications: report.errors.map((e) => ({ level: 'error', message: { text: `region ${e.region} could not be scanned: ${e.message}` } })),
          },
        ],
        automationDetails: { id: `eksguard/${report.account}/` },
        results,
        properties: { account: report.account, regions: report.regions, summary: report.summary },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function sarifRule(p: PolicyInfo) {
  const controls = controlLabels(p.controls);
  const fix = p.remediation.cli ? `${p.remediation.description.trim()}\n\n    ${p.remediation.cli.trim()}` : p.remediation.description.trim();
  return {
    id: p.id,
    name: p.id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: p.title },
    fullDescription: { text: p.description },
    help: {
      text: `${p.rationale}\n\nHow to fix: ${fix}\n\nReferences: ${p.references.join(' ')}`,
      markdown: [
        `**Why**: ${p.rationale}`,
        `**How to fix**: ${p.remediation.description.trim()}`,
        ...(p.remediation.cli ? ['```sh', p.remediation.cli.trim(), '```'] : []),
        ...p.references.map((u) => `- <${u}>`),
      ].join('\n\n'),
    },
    helpUri: p.references[0],
    defaultConfiguration: { level: LEVEL[p.severity] },
    properties: {
      tags: ['security', 'eks', p.category, ...controls],
      precision: 'high',
      'problem.severity': p.severity === 'low' || p.severity === 'info' ? 'recommendation' : LEVEL[p.severity],
      'security-severity': SECURITY_SEVERITY[p.severity],
      severity: p.severity,
      controls,
    },
  };
}

function sarifResult(r: ReportResult, ruleIndex: number | undefined, policy: PolicyInfo | undefined) {
  const arn = clusterArnOf(r.account, r.region, r.cluster);
  const identity = `${r.account}/${r.region}/${r.cluster}/${r.policy}`;
  const failed = r.status === 'fail';
  return {
    ruleId: r.policy,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    kind: failed ? 'fail' : 'open',
    level: failed ? LEVEL[r.severity] : 'none',
    message: { text: failed ? r.message : `Could not evaluate: ${r.message}` },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: `${r.policy}.yaml`, uriBaseId: 'EKSGUARD_POLICIES' }, region: { startLine: 1 } },
        logicalLocations: [{ name: r.cluster, fullyQualifiedName: arn ?? `${r.account}/${r.region}/${r.cluster}`, kind: 'resource' }],
      },
    ],
    partialFingerprints: { 'eksguard/v1': createHash('sha256').update(identity).digest('hex') },
    properties: {
      account: r.account,
      region: r.region,
      cluster: r.cluster,
      severity: r.severity,
      status: r.status,
      ...(r.controls ? { controls: r.controls } : {}),
      ...(r.transition ? { transition: r.transition } : {}),
      ...(failed && r.remediation ? { remediation: r.remediation } : {}),
      ...(policy ? { title: policy.title } : {}),
    },
  };
}
