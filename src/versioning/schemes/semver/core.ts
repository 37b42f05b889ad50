import {
  compareNormalized,
  compareStrings,
  isAsciiAlnumCode,
  isDigitCode,
  type Order,
} from '../../digits.js';

/**
 * Semantic Versioning 2.0.0 (https://semver.org/spec/v2.0.0.html), shared by the `semver`
 * (npm), `cargo` and `go` schemes, which differ only in what they accept around it.
 */

/** One pre-release identifier; numeric ones never have leading zeros (the grammar forbids them). */
export interface PreId {
  readonly numeric: boolean;
  readonly value: string;
}

export interface SemverParts {
  /** Digit strings without leading zeros, of any length. */
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  readonly pre: readonly PreId[];
  /** Build metadata identifiers; never used for ordering (semver 2.0.0 §10). */
  readonly build: readonly string[];
}

function isIdentCode(c: number): boolean {
  return isAsciiAlnumCode(c) || c === 45;
}

/** End of a numeric identifier starting at i (`0` or `[1-9][0-9]*`), or -1. */
function scanNumber(s: string, i: number): number {
  if (i >= s.length || !isDigitCode(s.charCodeAt(i))) return -1;
  if (s.charCodeAt(i) === 48) return i + 1;
  let j = i + 1;
  while (j < s.length && isDigitCode(s.charCodeAt(j))) j++;
  return j;
}

function allDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isDigitCode(s.charCodeAt(i))) return false;
  return true;
}

/** Dot-separated identifiers of [0-9A-Za-z-]+; undefined if any is empty or has other characters. */
function splitIdents(s: string): string[] | undefined {
  const ids = s.split('.');
  for (const id of ids) {
    if (id.length === 0) return undefined;
    for (let i = 0; i < id.length; i++) if (!isIdentCode(id.charCodeAt(i))) return undefined;
  }
  return ids;
}

/**
 * Parses `MAJOR.MINOR.PATCH[-PRE][+BUILD]` exactly as the semver 2.0.0 grammar says. With
 * `allowShort`, `MAJOR` and `MAJOR.MINOR` (no pre-release or build) stand for `.0` completions,
 * as golang.org/x/mod/semver allows. Returns the reason on failure.
 */
export function parseSemverBody(s: string, allowShort: boolean): SemverParts | string {
  const nums: string[] = [];
  let i = 0;
  for (let part = 0; part < 3; part++) {
    const end = scanNumber(s, i);
    if (end < 0) return 'major, minor and patch must be numbers without leading zeros';
    nums.push(s.slice(i, end));
    i = end;
    if (part < 2 && i === s.length && allowShort) break;
    if (part < 2 && s[i] !== '.') return 'expected MAJOR.MINOR.PATCH';
    if (part < 2) i++;
  }
  const [major = '0', minor = '0', patch = '0'] = nums;
  let pre: PreId[] = [];
  let build: string[] = [];
  const plus = s.indexOf('+', i);
  const head = plus >= 0 ? s.slice(i, plus) : s.slice(i);
  if (head.length > 0) {
    if (head[0] !== '-' || nums.length < 3) return 'unexpected characters after the version numbers';
    const ids = splitIdents(head.slice(1));
    if (ids === undefined) return 'invalid pre-release';
    pre = ids.map((value) => ({ numeric: allDigits(value), value }));
    if (pre.some((p) => p.numeric && p.value.length > 1 && p.value[0] === '0')) {
      return 'numeric pre-release identifiers must not have leading zeros';
    }
  }
  if (plus >= 0) {
    const ids = nums.length < 3 ? undefined : splitIdents(s.slice(plus + 1));
    if (ids === undefined) return 'invalid build metadata';
    build = ids;
  }
  return { major, minor, patch, pre, build };
}

/** Pre-release precedence, semver 2.0.0 §11.3–11.4. */
export function comparePre(a: readonly PreId[], b: readonly PreId[]): Order {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1;
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const x = a[k]!;
    const y = b[k]!;
    if (x.numeric !== y.numeric) return x.numeric ? -1 : 1;
    const r = x.numeric ? compareNormalized(x.value, y.value) : compareStrings(x.value, y.value);
    if (r !== 0) return r;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Precedence, semver 2.0.0 §11: numbers, then pre-release; build metadata is ignored. */
export function compareSemver(a: SemverParts, b: SemverParts): Order {
  return (
    compareNormalized(a.major, b.major) ||
    compareNormalized(a.minor, b.minor) ||
    compareNormalized(a.patch, b.patch) ||
    comparePre(a.pre, b.pre)
  );
}

/** True when every version number is at most `max` (a digit string without leading zeros). */
export function numbersAtMost(v: SemverParts, max: string): boolean {
  return (
    compareNormalized(v.major, max) <= 0 &&
    compareNormalized(v.minor, max) <= 0 &&
    compareNormalized(v.patch, max) <= 0
  );
}
