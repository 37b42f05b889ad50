import { isAsciiLetterCode, isDigitCode, type Order, sign } from '../../digits.js';
import type { DebVersion } from './parse.js';

const TILDE = 126;

/** The character code at i, or 0 (C's terminating NUL) past the end — never an out-of-bounds read. */
function code(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : 0;
}

/**
 * Weight of one non-digit character, as order() in dpkg's lib/dpkg/version.c: `~` sorts before
 * everything (even the end of the string, 0), letters before other characters.
 */
function weight(c: number): number {
  if (c === 0 || isDigitCode(c)) return 0;
  if (isAsciiLetterCode(c)) return c;
  if (c === TILDE) return -1;
  return c + 256;
}

/**
 * verrevcmp() from dpkg: alternate runs of non-digits (compared character by character with
 * `weight`) and runs of digits (compared numerically, of any length, without converting them).
 */
export function verrevcmp(a: string, b: string): Order {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let ac = code(a, i);
    let bc = code(b, j);
    while ((ac !== 0 && !isDigitCode(ac)) || (bc !== 0 && !isDigitCode(bc))) {
      const wa = weight(ac);
      const wb = weight(bc);
      if (wa !== wb) return sign(wa - wb);
      ac = code(a, ++i);
      bc = code(b, ++j);
    }
    while (ac === 48) ac = code(a, ++i);
    while (bc === 48) bc = code(b, ++j);
    let firstDiff = 0;
    while (isDigitCode(ac) && isDigitCode(bc)) {
      if (firstDiff === 0) firstDiff = ac - bc;
      ac = code(a, ++i);
      bc = code(b, ++j);
    }
    if (isDigitCode(ac)) return 1;
    if (isDigitCode(bc)) return -1;
    if (firstDiff !== 0) return sign(firstDiff);
  }
  return 0;
}

/** dpkg_version_compare(): epoch, then upstream, then revision. */
export function compareDeb(a: DebVersion, b: DebVersion): Order {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  return verrevcmp(a.upstream, b.upstream) || verrevcmp(a.revision, b.revision);
}
