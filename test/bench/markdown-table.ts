/** The benchmarks' tables: each column is its heading and how a row fills it, so the two never drift apart. */
export type Column<T> = readonly [heading: string, cell: (row: T) => unknown];

export function markdownTable<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const line = (cells: readonly unknown[]) => `| ${cells.join(' | ')} |`;
  return [line(columns.map(([heading]) => heading)), `|${columns.map(() => '---').join('|')}|`, ...rows.map((row) => line(columns.map(([, cell]) => cell(row))))].join('\n') + '\n';
}
