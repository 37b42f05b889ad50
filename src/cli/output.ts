import type { Writable } from 'node:stream';
import { formatBytes as formatSize } from '../image/walk/limits.js';

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export interface Styler {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
}

const sgr = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const plain = (s: string) => s;

export function styler(enabled: boolean): Styler {
  if (!enabled) return { bold: plain, dim: plain, red: plain, yellow: plain, green: plain };
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39) };
}

/** Human byte sizes in the same form as the walker's limit messages; `?` for unknown (-1). */
export function formatBytes(n: number): string {
  return n < 0 ? '?' : formatSize(n);
}

/** Pads columns to the widest cell; the last column is never padded. */
export function formatTable(rows: string[][], widthOf: (s: string) => number = visibleWidth): string {
  const widths: number[] = [];
  for (const r of rows) {
    r.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, widthOf(c));
    });
  }
  return rows
    .map((r) =>
      r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - widthOf(c)))).join('  '),
    )
    .join('\n');
}

function visibleWidth(s: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips our own SGR sequences
  return s.replace(/\x1b\[[0-9;]*m/g, '').length;
}

/** Writes and resolves once the data is flushed (or the reader went away: EPIPE is not an error). */
export function writeOut(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve) => {
    stream.write(text, () => resolve());
  });
}

/** A one-line progress indicator on stderr, only when stderr is a terminal. */
export class Progress {
  private last = '';
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  update(text: string): void {
    if (!this.enabled || text === this.last) return;
    this.last = text;
    const cols = this.stream.columns || 80;
    this.stream.write(`\r\x1b[2K${text.slice(0, cols - 1)}`);
  }

  done(): void {
    if (this.enabled && this.last) this.stream.write('\r\x1b[2K');
    this.last = '';
  }
}
