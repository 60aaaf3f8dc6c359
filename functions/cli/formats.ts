/**
 * Report formats of `eksguard scan --format`. A format renders the finished report to text; the
 * command writes it to stdout or to `--output FILE`. Adding a format is adding an entry here.
 */
import { renderHtml } from '../core/report/html/html-report.js';
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
}

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
    render: (report, { targets }) => renderHtml({ report, targets }),
  },
} satisfies Record<string, ReportFormat>;

export type FormatName = keyof typeof FORMATS;
export const FORMAT_NAMES = Object.keys(FORMATS) as FormatName[];
