/** How output reaches the person: colour and width of the terminal, progress lines on stderr. */
import pc from 'picocolors';
import { PLAIN_STYLE, type TableStyle } from '../core/report/render-table.js';
import type { Io } from './args.js';

/** Colour when stdout is a terminal, unless NO_COLOR is set (https://no-color.org) or TERM is dumb; FORCE_COLOR forces it. */
export function colourWanted(io: Io, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  const { env } = io;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return Boolean(io.stdoutIsTTY) && env.TERM !== 'dumb';
}

export function tableStyle(colour: boolean): TableStyle {
  if (!colour) return PLAIN_STYLE;
  const c = pc.createColors(true);
  return { bold: c.bold, dim: c.dim, red: c.red, yellow: c.yellow, green: c.green, cyan: c.cyan };
}

/** The terminal's width when stdout is one (else COLUMNS if set): long messages wrap to it. */
export function outputWidth(io: Io): number | undefined {
  if (io.stdoutIsTTY && io.columns) return io.columns;
  const columns = Number(io.env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : undefined;
}

/**
 * Progress on stderr. Repeats of the same kind of notice (say, throttling) are held back for a
 * few seconds, so a long throttled scan shows that it is waiting without flooding the terminal.
 */
export function progressReporter(io: Io, clock: () => number = Date.now): (message: string, kind?: string) => void {
  const lastShown = new Map<string, number>();
  return (message, kind) => {
    if (kind) {
      const now = clock();
      if (now - (lastShown.get(kind) ?? -Infinity) < 3000) return;
      lastShown.set(kind, now);
    }
    io.stderr(`eksguard: ${message}\n`);
  };
}
