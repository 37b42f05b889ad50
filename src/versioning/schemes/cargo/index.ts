import type { ParseResult, VersionScheme } from '../../scheme.js';
import { compareSemver, numbersAtMost, parseSemverBody, type SemverParts } from '../semver/core.js';

// The semver crate stores major, minor and patch in u64.
const U64_MAX = '18446744073709551615';

/**
 * What the `semver` crate (used by Cargo and crates.io) accepts in `Version::parse`: exactly
 * `MAJOR.MINOR.PATCH[-PRE][+BUILD]`, no `v`, no whitespace, numbers up to u64::MAX.
 */
function parseCargo(input: string): ParseResult<SemverParts> {
  const parts = parseSemverBody(input, false);
  if (typeof parts === 'string') return { ok: false, reason: parts };
  if (!numbersAtMost(parts, U64_MAX)) return { ok: false, reason: 'major, minor and patch must fit in u64' };
  return { ok: true, value: parts };
}

/**
 * crates.io versions: semver 2.0.0 precedence. The crate's `Ord` also tie-breaks on build
 * metadata, but version requirements ignore it, and so do OSV ranges — so do we.
 */
export const cargo = {
  id: 'cargo',
  reference: 'semver crate (Cargo) Version::parse and semver 2.0.0 precedence',
  parse: parseCargo,
  compare: compareSemver,
} satisfies VersionScheme<SemverParts>;
