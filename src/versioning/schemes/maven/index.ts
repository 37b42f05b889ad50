import type { VersionScheme } from '../../scheme.js';
import {
  comparableQualifier,
  type MavenItem,
  type MavenList,
  parseMaven,
  RELEASE_QUALIFIER,
} from './parse.js';

export type { MavenItem, MavenList } from './parse.js';

type Order = -1 | 0 | 1;

function order(n: number | bigint): Order {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Java's String.compareTo: UTF-16 code units, then length; JS string comparison is the same. */
function compareJavaStrings(a: string, b: string): Order {
  return a < b ? -1 : a > b ? 1 : 0;
}

/*
 * Item.compareTo of ComparableVersion 3.8.7, item against item or against a missing item
 * (undefined, which pads the shorter list), e.g.
 *   1.0 == 1, 1.1 > 1-sp (number > string), 1.1 > 1-1 (number > list), 1-1 > 1-sp (list > string),
 *   1-rc < 1 < 1-sp (a qualifier against a missing item compares with the release qualifier "").
 * In 3.8.7 an int-sized number is smaller than any long-sized one and a long-sized one smaller
 * than any BigInteger, whatever their values (the width class is decided by the count of digits
 * after ASCII leading zeros, so this only shows with non-ASCII digits or long runs of zeros).
 */
function compareItem(a: MavenItem, b: MavenItem | undefined): Order {
  switch (a.kind) {
    case 'number':
      if (b === undefined) return a.value === 0n ? 0 : 1;
      if (b.kind !== 'number') return 1;
      return order(a.width - b.width) || order(a.value - b.value);
    case 'string':
      if (b === undefined) return compareJavaStrings(comparableQualifier(a.value), RELEASE_QUALIFIER);
      if (b.kind !== 'string') return -1;
      return compareJavaStrings(comparableQualifier(a.value), comparableQualifier(b.value));
    case 'list':
      if (b === undefined) return a.items.length === 0 ? 0 : compareItem(a.items[0]!, undefined);
      if (b.kind === 'number') return -1;
      if (b.kind === 'string') return 1;
      return compareLists(a, b);
  }
}

function compareLists(a: MavenList, b: MavenList): Order {
  const n = Math.max(a.items.length, b.items.length);
  for (let i = 0; i < n; i++) {
    const l = a.items[i];
    const r = b.items[i];
    const result =
      l === undefined ? (r === undefined ? 0 : order(-compareItem(r, undefined))) : compareItem(l, r);
    if (result !== 0) return result;
  }
  return 0;
}

export function compareMaven(a: MavenList, b: MavenList): Order {
  return compareLists(a, b);
}

export const maven = {
  id: 'maven',
  reference: 'Maven ComparableVersion (maven-artifact 3.8.7)',
  parse: parseMaven,
  compare: compareMaven,
} satisfies VersionScheme<MavenList>;
