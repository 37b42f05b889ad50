import type { ParseResult, VersionScheme } from '../../scheme.js';
import { compareSemver, parseSemverBody, type SemverParts } from '../semver/core.js';

/**
 * Go module versions as golang.org/x/mod/semver reads them (`semver.IsValid`), with the leading
 * `v` optional because OSV stores Go versions without it. `vMAJOR` and `vMAJOR.MINOR` are
 * shorthands for `.0` completions; `+incompatible` is build metadata and does not affect order;
 * pseudo-versions (v0.0.0-20191109021931-daa7c04131f5) are pre-releases and order by time.
 */
function parseGo(input: string): ParseResult<SemverParts> {
  const body = input.startsWith('v') ? input.slice(1) : input;
  const parts = parseSemverBody(body, true);
  return typeof parts === 'string' ? { ok: false, reason: parts } : { ok: true, value: parts };
}

export const go = {
  id: 'go',
  reference: 'golang.org/x/mod/semver Compare (with optional leading v)',
  parse: parseGo,
  compare: compareSemver,
} satisfies VersionScheme<SemverParts>;
