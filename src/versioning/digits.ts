/**
 * Helpers shared by the schemes. Version numbers are compared as digit strings, never through
 * `Number`, so that components beyond 2^53 (dates with times, build ids, hashes of digits) keep
 * their exact order.
 */

export type Order = -1 | 0 | 1;

/** Sign of a number as an order: the schemes' `compare` results are always exactly -1, 0 or 1. */
export function sign(n: number): Order {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** `s` without leading `0` characters; `'000'` becomes `''` (zero). */
export function stripZeros(s: string): string {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) === 48) i++;
  return i === 0 ? s : s.slice(i);
}

/**
 * Compares two digit strings that have no leading zeros (see `stripZeros`) as unbounded
 * non-negative integers: the longer one is larger, equal lengths compare lexicographically.
 */
export function compareNormalized(a: string, b: string): Order {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Compares two digit strings (leading zeros allowed) as unbounded non-negative integers. */
export function compareDigits(a: string, b: string): Order {
  return compareNormalized(stripZeros(a), stripZeros(b));
}

/** Plain code-unit order, as C's `strcmp` on ASCII and JavaScript's `<` on strings. */
export function compareStrings(a: string, b: string): Order {
  return a === b ? 0 : a < b ? -1 : 1;
}

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAsciiLetterCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isAsciiAlnumCode(c: number): boolean {
  return isDigitCode(c) || isAsciiLetterCode(c);
}
