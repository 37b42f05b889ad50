/**
 * Splitting a text database into lines without trusting it: linear in the input, never decodes
 * a line longer than the limit (a 10 MB line costs one scan, not a 10 MB string), and says what
 * is wrong with each bad line so the parser can report it and carry on.
 */
import { isUtf8 } from 'node:buffer';

export type LineProblem = 'invalid-utf8' | 'binary-content' | 'line-too-long';

export interface TextLine {
  /** 1-based. */
  number: number;
  /** Without the line break (LF or CRLF). Empty for binary or over-long lines; U+FFFD for bad UTF-8. */
  text: string;
  problem?: LineProblem;
}

/** Longer lines are reported, not parsed: no field of the databases we read comes close. */
export const DEFAULT_MAX_LINE_BYTES = 256 * 1024;

export function* splitLines(bytes: Buffer, maxLineBytes = DEFAULT_MAX_LINE_BYTES): Generator<TextLine> {
  // The common case (clean UTF-8 text) decodes once and slices strings: no Buffer per line.
  if (bytes.indexOf(0) === -1 && isUtf8(bytes)) {
    yield* splitText(bytes.toString('utf8'), maxLineBytes);
    return;
  }
  let start = 0;
  let number = 0;
  while (start < bytes.length) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline;
    number++;
    yield readLine(bytes, start, end, number, maxLineBytes);
    start = end + 1;
  }
}

function* splitText(text: string, maxLineBytes: number): Generator<TextLine> {
  let start = 0;
  let number = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const stop = end > start && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    number++;
    // A UTF-16 unit is at most 3 UTF-8 bytes: count bytes only for lines that might be too long.
    const long =
      (stop - start) * 3 > maxLineBytes && Buffer.byteLength(text.slice(start, stop)) > maxLineBytes;
    yield long ? { number, text: '', problem: 'line-too-long' } : { number, text: text.slice(start, stop) };
    start = end + 1;
  }
}

function readLine(bytes: Buffer, start: number, end: number, number: number, max: number): TextLine {
  const stop = end > start && bytes[end - 1] === 0x0d ? end - 1 : end;
  if (stop - start > max) return { number, text: '', problem: 'line-too-long' };
  const slice = bytes.subarray(start, stop);
  if (slice.indexOf(0) !== -1) return { number, text: '', problem: 'binary-content' };
  const text = slice.toString('utf8');
  return isUtf8(slice) ? { number, text } : { number, text, problem: 'invalid-utf8' };
}

export function describeLineProblem(problem: LineProblem, maxLineBytes = DEFAULT_MAX_LINE_BYTES): string {
  switch (problem) {
    case 'invalid-utf8':
      return 'invalid UTF-8 (read with replacement characters)';
    case 'binary-content':
      return 'binary content (NUL bytes); line skipped';
    case 'line-too-long':
      return `line longer than ${maxLineBytes} bytes; skipped`;
  }
}
