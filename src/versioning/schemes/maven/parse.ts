import type { ParseResult } from '../../scheme.js';

/*
 * Maven's ComparableVersion as shipped in maven-artifact 3.8.7 (Debian's maven 3.8.7-1),
 * https://github.com/apache/maven/blob/maven-3.8.7/maven-artifact/src/main/java/org/apache/maven/artifact/versioning/ComparableVersion.java
 * A version is a tree of items: numbers, qualifier strings and sub-lists. A sub-list starts
 * at every '-' and at every transition between digits and letters.
 */

/** Numbers keep the width class Maven gives them (int, long, BigInteger): it takes part in ordering. */
export type MavenNumber = { readonly kind: 'number'; readonly width: 0 | 1 | 2; readonly value: bigint };
export type MavenString = { readonly kind: 'string'; readonly value: string };
export type MavenList = { readonly kind: 'list'; readonly items: MavenItem[] };
export type MavenItem = MavenNumber | MavenString | MavenList;

/** Ordered qualifiers; "" is the release. Unknown qualifiers sort after all of them. */
const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Readonly<Record<string, string>> = { ga: '', final: '', release: '', cr: 'rc' };
/** a1, b1 and m1 are shorthands for alpha-1, beta-1 and milestone-1. */
const SHORTHANDS: Readonly<Record<string, string>> = { a: 'alpha', b: 'beta', m: 'milestone' };

/**
 * The string Maven compares qualifiers by (comparableQualifier): the index of a known
 * qualifier, else "7-" and the qualifier itself, compared as Java strings.
 */
export function comparableQualifier(value: string): string {
  const i = QUALIFIERS.indexOf(value);
  return i === -1 ? `${QUALIFIERS.length}-${value}` : String(i);
}

export const RELEASE_QUALIFIER = comparableQualifier('');

/** Java's Character.isDigit on one UTF-16 unit: any decimal digit (Nd), not only ASCII. */
function isDigit(c: string): boolean {
  return /^\p{Nd}$/u.test(c);
}

/** Character.digit(c, 10): Nd digits come in runs of ten that start at the digit zero. */
function digitValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  let zero = code;
  while (isDigit(String.fromCharCode(zero - 1))) zero--;
  return (code - zero) % 10;
}

function parseNumber(digits: string): MavenNumber {
  // stripLeadingZeroes drops ASCII '0's only, and keeps an all-zero string as it is.
  const stripped = /^0*$/.test(digits) ? digits : digits.replace(/^0+/, '');
  let value = 0n;
  for (let i = 0; i < digits.length; i++) value = value * 10n + BigInt(digitValue(digits.charCodeAt(i)));
  const width = stripped.length <= 9 ? 0 : stripped.length <= 18 ? 1 : 2;
  return { kind: 'number', width, value };
}

function parseString(text: string, followedByDigit: boolean): MavenString {
  const expanded = followedByDigit && text.length === 1 ? (SHORTHANDS[text] ?? text) : text;
  return { kind: 'string', value: ALIASES[expanded] ?? expanded };
}

function parseItem(isDigitRun: boolean, text: string): MavenItem {
  return isDigitRun ? parseNumber(text) : parseString(text, false);
}

function isNull(item: MavenItem): boolean {
  if (item.kind === 'number') return item.value === 0n;
  if (item.kind === 'string') return comparableQualifier(item.value) === RELEASE_QUALIFIER;
  return item.items.length === 0;
}

/** Drops trailing null items (0, "", empty lists), looking past non-empty sub-lists. */
function normalize(list: MavenList): void {
  for (let i = list.items.length - 1; i >= 0; i--) {
    const item = list.items[i]!;
    if (isNull(item)) list.items.splice(i, 1);
    else if (item.kind !== 'list') break;
  }
}

/** ComparableVersion.parseVersion. Every string is a Maven version, so this never fails. */
export function parseMaven(input: string): ParseResult<MavenList> {
  const version = input.toLowerCase();
  const root: MavenList = { kind: 'list', items: [] };
  const stack: MavenList[] = [root];
  let list = root;
  const open = (): void => {
    const sub: MavenList = { kind: 'list', items: [] };
    list.items.push(sub);
    list = sub;
    stack.push(sub);
  };
  let digitRun = false;
  let start = 0;
  for (let i = 0; i < version.length; i++) {
    const c = version[i]!;
    if (c === '.' || c === '-') {
      list.items.push(i === start ? parseNumber('0') : parseItem(digitRun, version.slice(start, i)));
      start = i + 1;
      if (c === '-') open();
    } else if (isDigit(c)) {
      if (!digitRun && i > start) {
        // "1.0.0.X1 < 1.0.0-X2": a qualifier after a dot is treated like one after a hyphen.
        if (list.items.length > 0) open();
        list.items.push(parseString(version.slice(start, i), true));
        start = i;
        open();
      }
      digitRun = true;
    } else {
      if (digitRun && i > start) {
        list.items.push(parseNumber(version.slice(start, i)));
        start = i;
        open();
      }
      digitRun = false;
    }
  }
  if (version.length > start) {
    if (!digitRun && list.items.length > 0) open();
    list.items.push(parseItem(digitRun, version.slice(start)));
  }
  for (let l = stack.pop(); l !== undefined; l = stack.pop()) normalize(l);
  return { ok: true, value: root };
}
