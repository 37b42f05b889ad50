import {
  compareNormalized,
  compareStrings,
  isAsciiLetterCode,
  isDigitCode,
  type Order,
  stripZeros,
} from '../../digits.js';

/**
 * One segment of an rpm version string, as rpmvercmp() walks it: `~`, `^`, a run of digits
 * (kept as `#` + the digits without leading zeros) or a run of ASCII letters. Every other
 * character only separates segments and is dropped.
 */
export type Segment = string;

const TILDE = '~';
const CARET = '^';

function isNumeric(s: Segment): boolean {
  return s.charCodeAt(0) === 35;
}

/** Splits a version or release string into the segments rpmvercmp() compares. */
export function segments(s: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (s[i] === TILDE || s[i] === CARET) {
      out.push(s[i] ?? '');
      i++;
    } else if (isDigitCode(c)) {
      const start = i;
      while (i < s.length && isDigitCode(s.charCodeAt(i))) i++;
      out.push(`#${stripZeros(s.slice(start, i))}`);
    } else if (isAsciiLetterCode(c)) {
      const start = i;
      while (i < s.length && isAsciiLetterCode(s.charCodeAt(i))) i++;
      out.push(s.slice(start, i));
    } else {
      i++;
    }
  }
  return out;
}

/**
 * rpmvercmp() of rpm 4.18 (rpmio/rpmvercmp.c) on pre-split segments:
 * - `~` sorts before anything, including the end of the string (1.0~rc1 < 1.0);
 * - `^` sorts after the end of the string but before any other segment (1.0 < 1.0^git1 < 1.0.1);
 * - a numeric segment is newer than an alphabetic one; numbers compare by value, letters as
 *   ASCII; when all segments match, the string with segments left over is newer.
 */
export function compareSegments(a: readonly Segment[], b: readonly Segment[]): Order {
  const n = Math.max(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const x = a[k];
    const y = b[k];
    if (x === TILDE || y === TILDE) {
      if (x !== TILDE) return 1;
      if (y !== TILDE) return -1;
      continue;
    }
    if (x === CARET || y === CARET) {
      if (x === undefined) return -1;
      if (y === undefined) return 1;
      if (x !== CARET) return 1;
      if (y !== CARET) return -1;
      continue;
    }
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    const xNum = isNumeric(x);
    if (xNum !== isNumeric(y)) return xNum ? 1 : -1;
    const r = xNum ? compareNormalized(x, y) : compareStrings(x, y);
    if (r !== 0) return r;
  }
  return 0;
}

/** rpmvercmp() on two raw strings (used by tests to exercise the algorithm on any input). */
export function rpmvercmp(a: string, b: string): Order {
  return a === b ? 0 : compareSegments(segments(a), segments(b));
}
