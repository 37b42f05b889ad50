import type { ParseResult, VersionScheme } from '../../scheme.js';
import { compareSemver, numbersAtMost, parseSemverBody, type SemverParts } from './core.js';

export type { PreId, SemverParts } from './core.js';

// node-semver's MAX_LENGTH and Number.MAX_SAFE_INTEGER (internal/constants.js): longer strings
// and larger major/minor/patch numbers are not valid versions for npm.
const MAX_LENGTH = 256;
const MAX_SAFE_INTEGER = '9007199254740991';

/**
 * What `semver.valid(v)` (loose: false) accepts: the input is trimmed (String.prototype.trim),
 * one leading `v` is allowed, `=` and `V` are not.
 */
function parseNpm(input: string): ParseResult<SemverParts> {
  if (input.length > MAX_LENGTH) return { ok: false, reason: `longer than ${MAX_LENGTH} characters` };
  let s = input.trim();
  if (s.startsWith('v')) s = s.slice(1);
  const parts = parseSemverBody(s, false);
  if (typeof parts === 'string') return { ok: false, reason: parts };
  if (!numbersAtMost(parts, MAX_SAFE_INTEGER)) {
    return { ok: false, reason: 'major, minor and patch must not exceed Number.MAX_SAFE_INTEGER' };
  }
  return { ok: true, value: parts };
}

/**
 * npm's semver (node-semver) order: semver 2.0.0 precedence, build metadata ignored. Numeric
 * pre-release identifiers compare exactly at any size (node-semver rounds them beyond 2^53).
 */
export const semver = {
  id: 'semver',
  reference: 'npm semver package (node-semver 7) semver.valid/semver.compare',
  parse: parseNpm,
  compare: compareSemver,
} satisfies VersionScheme<SemverParts>;
