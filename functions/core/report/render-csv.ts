/**
 * The report as CSV (RFC 4180, via csv-stringify): one row per result, the columns of the JSON
 * report's results in its order. `controls` is joined with "; ", `exception` is its one-line note
 * ("excepted until ... by owner: reason") with the file location; booleans are true/false; a field
 * a result does not have is empty.
 */
import { stringify } from 'csv-stringify/sync';
import { exceptedNote } from '../results.js';
import type { ReportResult, ScanReport } from './report.js';

export const CSV_COLUMNS = [
  'account',
  'region',
  'cluster',
  'policy',
  'status',
  'severity',
  'message',
  'remediation',
  'controls',
  'exception',
  'exceptionExpired',
  'transition',
  'notify',
] as const;

const cell = (r: ReportResult, column: (typeof CSV_COLUMNS)[number]): string => {
  const value = r[column];
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.join('; ');
  if (typeof value === 'object') return `${exceptedNote(value)} (${value.location})`;
  return String(value);
};

export function renderCsv(report: ScanReport): string {
  return stringify([[...CSV_COLUMNS], ...report.results.map((r) => CSV_COLUMNS.map((c) => cell(r, c)))], { record_delimiter: 'windows' });
}
