import type { VersionScheme } from '../../scheme.js';
import { type Pep440Segment, type Pep440Version, parsePep440 } from './parse.js';

export type { Pep440Version } from './parse.js';

type Order = -1 | 0 | 1;

/*
 * The order of packaging.version._cmpkey (packaging 23.0,
 * https://github.com/pypa/packaging/blob/23.0/src/packaging/version.py), which implements
 * PEP 440's "Summary of permitted suffixes and relative ordering",
 * https://peps.python.org/pep-0440/#summary-of-permitted-suffixes-and-relative-ordering.
 * Python compares the key tuples item by item; Infinity and -Infinity stand for absent
 * segments, which we model as the ranks below.
 */
const BELOW = -1;
const PRESENT = 0;
const ABOVE = 1;

function sign(n: number): Order {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function compareBig(a: bigint, b: bigint): Order {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Python's str comparison: by code point. Inputs are BMP-only here (ASCII plus a few letters). */
function compareText(a: string, b: string): Order {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Release tuples compare without trailing zeros, so 1.0 == 1.0.0; a shorter prefix sorts first. */
function compareRelease(a: readonly bigint[], b: readonly bigint[]): Order {
  const trim = (r: readonly bigint[]): number => {
    let n = r.length;
    while (n > 0 && r[n - 1] === 0n) n--;
    return n;
  };
  const na = trim(a);
  const nb = trim(b);
  for (let i = 0; i < Math.min(na, nb); i++) {
    const c = compareBig(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return sign(na - nb);
}

function compareSegment(a: Pep440Segment | undefined, b: Pep440Segment | undefined, absent: number): Order {
  if (a === undefined || b === undefined) return sign((a ? PRESENT : absent) - (b ? PRESENT : absent));
  return compareText(a.letter, b.letter) || compareBig(a.number, b.number);
}

/** A bare dev release (1.0.dev0) sorts before every pre-release of the same release. */
function preRank(v: Pep440Version): number {
  if (v.pre) return PRESENT;
  return v.post === undefined && v.dev !== undefined ? BELOW : ABOVE;
}

function comparePre(a: Pep440Version, b: Pep440Version): Order {
  const ra = preRank(a);
  const rb = preRank(b);
  if (ra !== PRESENT || rb !== PRESENT) return sign(ra - rb);
  return compareSegment(a.pre, b.pre, ABOVE);
}

function compareDev(a: bigint | undefined, b: bigint | undefined): Order {
  if (a === undefined || b === undefined) return sign((a === undefined ? 1 : 0) - (b === undefined ? 1 : 0));
  return compareBig(a, b);
}

/** Local parts: strings sort before numbers, numbers numerically, a shorter prefix first. */
function compareLocal(a: Pep440Version['local'], b: Pep440Version['local']): Order {
  if (a === undefined || b === undefined) return sign((a ? 1 : 0) - (b ? 1 : 0));
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (typeof x === 'string' && typeof y === 'string') {
      const c = compareText(x, y);
      if (c !== 0) return c;
    } else if (typeof x === 'bigint' && typeof y === 'bigint') {
      const c = compareBig(x, y);
      if (c !== 0) return c;
    } else {
      return typeof x === 'string' ? -1 : 1;
    }
  }
  return sign(a.length - b.length);
}

export function comparePep440(a: Pep440Version, b: Pep440Version): Order {
  return (
    compareBig(a.epoch, b.epoch) ||
    compareRelease(a.release, b.release) ||
    comparePre(a, b) ||
    compareSegment(a.post, b.post, BELOW) ||
    compareDev(a.dev, b.dev) ||
    compareLocal(a.local, b.local)
  );
}

export const pep440 = {
  id: 'pep440',
  reference: 'python3-packaging: packaging.version.Version (PEP 440)',
  parse: parsePep440,
  compare: comparePep440,
} satisfies VersionScheme<Pep440Version>;
