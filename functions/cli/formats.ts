/**
 * Report formats of `eksguard scan --format`. A format renders the finished report to text; the
 * command writes it to stdout or to `--output FILE`. Adding a format is adding an entry here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHtml } from '../core/report/html/html-report.js';
import { policyIndex, type PolicyInfo } from '../core/report/policy-info.js';
import { renderCsv } from '../core/report/render-csv.js';
import { renderJunit } from '../core/report/render-junit.js';
import { renderSarif } from '../core/report/render-sarif.js';
import { renderAsff } from '../core/securityhub/asff.js';
import { PACKAGE_ROOT } from './paths.js';
import { renderTable, type TableStyle } from '../core/report/render-table.js';
import type { ScanReport } from '../core/report/report.js';
import type { ScanTarget } from '../core/snapshot/target.js';

export interface RenderContext {
  /** What the scan read (snapshots, or why a cluster could not be read). */
  targets: readonly ScanTarget[];
  /** --all: also passing and not-applicable results (formats for people). */
  all: boolean;
  /** Columns to wrap to, when the output is a terminal. */
  width?: number;
  style?: TableStyle;
  /** The policies of the scan (SARIF rules, ASFF titles and remediation links). */
  policies: readonly PolicyInfo[];
}

const toolVersion = () => (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export interface ReportFormat {
  /** One line for `--help`. */
  description: string;
  render(report: ScanReport, context: RenderContext): string;
  /** Plain text for a terminal: --print-messages may follow it on stdout (otherwise only with --output). */
  forPeople: boolean;
}

export const FORMATS = {
  table: {
    description: 'per-cluster findings for people (colour and wrapping on a terminal)',
    forPeople: true,
    render: (report, context) => renderTable(report, context),
  },
  json: {
    description: 'the JSON report (schemaVersion 1; functions/README.md)',
    forPeople: false,
    render: (report) => `${JSON.stringify(report, null, 2)}\n`,
  },
  html: {
    description: "one self-contained HTML page drawing each cluster's network wiring and where it breaks",
    forPeople: false,
    render: (report, { targets, policies }) => renderHtml({ report, targets, policies }),
  },
  sarif: {
    description: 'SARIF 2.1.0 for code scanning',
    forPeople: false,
    render: (report, { policies }) => renderSarif(report, policies, { toolVersion: toolVersion() }),
  },
  asff: {
    description: 'Security Hub findings (ASFF)',
    forPeople: false,
    render: (report, { policies }) => renderAsff(report, policyIndex(policies)),
  },
  csv: {
    description: 'one row per result',
    forPeople: false,
    render: (report) => renderCsv(report),
  },
  junit: {
    description: 'JUnit XML for CI',
    forPeople: false,
    render: (report) => renderJunit(report),
  },
} satisfies Record<string, ReportFormat>;

export type FormatName = keyof typeof FORMATS;
export const FORMAT_NAMES = Object.keys(FORMATS) as FormatName[];
