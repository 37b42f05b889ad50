import { compareNormalized, isAsciiAlnumCode, isDigitCode, stripZeros } from '../../digits.js';
import type { ParseResult } from '../../scheme.js';

/** A Debian version split as dpkg splits it: `[epoch:]upstream[-revision]`. */
export interface DebVersion {
  readonly epoch: number;
  readonly upstream: string;
  readonly revision: string;
}

// dpkg stores the epoch in an int and rejects anything above INT_MAX.
const INT_MAX = '2147483647';
const UPSTREAM_EXTRA = '.-+~:';
const REVISION_EXTRA = '.+~';

/** c_isblank() in dpkg: only space and tab are trimmed, so "1.0\n" keeps its newline. */
function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** isspace() in the C locale, which strtol() skips before the epoch digits. */
function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function fail(reason: string): ParseResult<DebVersion> {
  return { ok: false, reason };
}

/**
 * The epoch as dpkg reads it with strtol(): optional C whitespace, an optional sign, digits,
 * and nothing else before the colon. Returns the epoch or the reason dpkg gives.
 */
function parseEpoch(s: string): number | string {
  let i = 0;
  while (i < s.length && isCSpace(s.charCodeAt(i))) i++;
  const negative = s[i] === '-';
  if (s[i] === '+' || s[i] === '-') i++;
  const start = i;
  while (i < s.length && isDigitCode(s.charCodeAt(i))) i++;
  if (i === start) return 'epoch in version is empty';
  if (i !== s.length) return 'epoch in version is not number';
  const digits = stripZeros(s.slice(start));
  if (negative && digits !== '') return 'epoch in version is negative';
  if (compareNormalized(digits, INT_MAX) > 0) return 'epoch in version is too big';
  return digits === '' ? 0 : Number(digits);
}

function hasOnly(s: string, extra: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isAsciiAlnumCode(c) && !extra.includes(s[i] ?? '')) return false;
  }
  return true;
}

/**
 * Mirrors parseversion() in dpkg's lib/dpkg/parsehelp.c, check for check and in the same order.
 * dpkg only *warns* about an upstream part that does not start with a digit or about characters
 * outside the allowed sets (and then compares anyway); we reject those too, because dpkg-deb
 * refuses to build such packages and a scanner must not guess what they mean.
 */
export function parseDeb(input: string): ParseResult<DebVersion> {
  if (input.length === 0) return fail('version string is empty');
  let start = 0;
  while (start < input.length && isBlank(input.charCodeAt(start))) start++;
  let end = start;
  while (end < input.length && !isBlank(input.charCodeAt(end))) end++;
  for (let i = end; i < input.length; i++) {
    if (!isBlank(input.charCodeAt(i))) return fail('version string has embedded spaces');
  }
  let rest = input.slice(start, end);
  let epoch = 0;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const parsed = parseEpoch(rest.slice(0, colon));
    if (typeof parsed === 'string') return fail(parsed);
    rest = rest.slice(colon + 1);
    if (rest.length === 0) return fail('nothing after colon in version number');
    epoch = parsed;
  }
  const hyphen = rest.lastIndexOf('-');
  const upstream = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  const revision = hyphen >= 0 ? rest.slice(hyphen + 1) : '';
  if (hyphen >= 0 && revision.length === 0) return fail('revision number is empty');
  if (upstream.length === 0) return fail('version number is empty');
  if (!isDigitCode(upstream.charCodeAt(0))) return fail('version number does not start with digit');
  if (!hasOnly(upstream, UPSTREAM_EXTRA)) return fail('invalid character in version number');
  if (!hasOnly(revision, REVISION_EXTRA)) return fail('invalid character in revision number');
  return { ok: true, value: { epoch, upstream, revision } };
}
