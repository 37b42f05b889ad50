import type { ParseResult, VersionScheme } from '../../scheme.js';

/*
 * Gem::Version of RubyGems 3.3 (Ruby 3.1, Debian's ruby-rubygems 3.3.15),
 * https://github.com/rubygems/rubygems/blob/v3.3.15/lib/rubygems/version.rb
 * A version is a list of segments: runs of digits (numbers) and runs of ASCII letters
 * (strings); any letter makes the version a prerelease, which sorts before the release.
 */

export type GemSegment = bigint | string;

export interface GemVersion {
  /** The version after Gem::Version#initialize: stripped, "-" replaced by ".pre.". */
  readonly version: string;
  /** canonical_segments: trailing zeros dropped from the numeric and the prerelease part. */
  readonly canonical: readonly GemSegment[];
}

type Order = -1 | 0 | 1;

/** Ruby's `\s` is ASCII only: space, \t, \n, \v, \f, \r. */
const SPACE = '[ \\t\\n\\v\\f\\r]';
/**
 * Gem::Version::ANCHORED_VERSION_PATTERN. The atomic group of the original,
 * `(?>\.[0-9a-zA-Z]+)*`, cannot change what matches here: what may follow the run
 * ("-", a space or the end) is never a letter or a digit.
 */
const ANCHORED = new RegExp(
  `^${SPACE}*(?:[0-9]+(?:\\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?)?${SPACE}*$`,
);

/** Drops trailing zeros, as `segments.reverse_each.drop_while { |s| s == 0 }.reverse` does. */
function dropTrailingZeros(segments: GemSegment[]): GemSegment[] {
  let n = segments.length;
  while (n > 0 && segments[n - 1] === 0n) n--;
  return segments.slice(0, n);
}

export function parseRubyGems(input: string): ParseResult<GemVersion> {
  if (!ANCHORED.test(input)) return { ok: false, reason: 'Malformed version number string (Gem::Version)' };
  // A blank string is version "0"; otherwise strip and turn each "-" into ".pre.".
  const stripped = input.replace(new RegExp(`^${SPACE}+|${SPACE}+$`, 'g'), '');
  const version = stripped === '' ? '0' : stripped.replaceAll('-', '.pre.');
  const segments: GemSegment[] = (version.match(/[0-9]+|[a-z]+/gi) ?? []).map((s) =>
    /^[0-9]+$/.test(s) ? BigInt(s) : s,
  );
  // _split_segments: the numeric part ends at the first string segment.
  const firstString = segments.findIndex((s) => typeof s === 'string');
  const split = firstString === -1 ? segments.length : firstString;
  const canonical = [
    ...dropTrailingZeros(segments.slice(0, split)),
    ...dropTrailingZeros(segments.slice(split)),
  ];
  return { ok: true, value: { version, canonical } };
}

/**
 * Gem::Version#<=>: segment by segment, padding the shorter list with 0; a string segment
 * sorts before a number (1.0.a < 1.0), strings compare bytewise, numbers numerically.
 */
export function compareRubyGems(a: GemVersion, b: GemVersion): Order {
  if (a.version === b.version) return 0;
  const n = Math.max(a.canonical.length, b.canonical.length);
  for (let i = 0; i < n; i++) {
    const l = a.canonical[i] ?? 0n;
    const r = b.canonical[i] ?? 0n;
    if (l === r) continue;
    if (typeof l === 'string' && typeof r !== 'string') return -1;
    if (typeof l !== 'string' && typeof r === 'string') return 1;
    // Only ASCII letters reach here, so UTF-16 order is Ruby's byte order.
    return l < r ? -1 : 1;
  }
  return 0;
}

export const rubygems = {
  id: 'rubygems',
  reference: 'Ruby Gem::Version#<=> (RubyGems 3.3)',
  parse: parseRubyGems,
  compare: compareRubyGems,
} satisfies VersionScheme<GemVersion>;
