import type { Order } from './digits.js';
import { parseCached, parseOrThrow, schemeFor } from './parse-cache.js';
import type { SchemeId, VersionScheme } from './scheme.js';

/** One OSV `affected[].ranges[].events[]` entry (https://ossf.github.io/osv-schema/#affectedrangesevents-fields). */
export interface OsvEvent {
  readonly introduced?: string;
  readonly fixed?: string;
  readonly last_affected?: string;
  readonly limit?: string;
}

/** One OSV `affected[].ranges[]` entry. */
export interface OsvRange {
  readonly type: string;
  readonly repo?: string;
  readonly events: readonly OsvEvent[];
}

const SEMVER_FAMILY: ReadonlySet<SchemeId> = new Set<SchemeId>(['semver', 'cargo', 'go']);

/**
 * The scheme that orders a range's versions. `ECOSYSTEM` ranges use the package's scheme;
 * `SEMVER` ranges always use semver 2.0.0 precedence — the package's own scheme when it is a
 * semver dialect (so Go's `v1.2.3` still parses), npm's otherwise. `GIT` ranges hold commit
 * hashes, which only the repository's history can order, so no version falls in them; other
 * types are not defined by OSV. Both are skipped (see `isEvaluableRange`).
 */
function orderingFor(scheme: SchemeId, type: string): SchemeId | undefined {
  if (type === 'ECOSYSTEM') return scheme;
  if (type === 'SEMVER') return SEMVER_FAMILY.has(scheme) ? scheme : 'semver';
  return undefined;
}

/** True when `isAffected` can evaluate the range from a version (ECOSYSTEM or SEMVER). */
export function isEvaluableRange(range: OsvRange): boolean {
  return range.type === 'ECOSYSTEM' || range.type === 'SEMVER';
}

/** The `introduced: "0"` bound, before every version. */
const ZERO = Symbol('before every version');

function orderBounds(scheme: VersionScheme<unknown>, a: unknown, b: unknown): Order {
  if (a === ZERO) return b === ZERO ? 0 : -1;
  return b === ZERO ? 1 : scheme.compare(a, b);
}

/**
 * OSV's IncludedInRanges for one range. The spec walks the events sorted by version and lets
 * each event that applies set the state; the state that remains is the one set by the last
 * applying event in that order. So instead of sorting we keep the applying event with the
 * highest version; on equal versions the later event in the record wins (a stable sort), so
 * `fixed: 2.0` followed by `introduced: 2.0` means "affected again from 2.0".
 */
function inRange(id: SchemeId, events: readonly OsvEvent[], v: unknown): boolean {
  const scheme = schemeFor(id);
  let best: unknown;
  let found = false;
  let bestAffected = false;
  let hasLimit = false;
  let beforeLimit = false;
  for (const e of events) {
    let at: unknown;
    let applies: boolean;
    if (e.introduced !== undefined) {
      at = e.introduced === '0' ? ZERO : parseOrThrow(id, e.introduced, 'OSV event "introduced"');
      applies = at === ZERO || scheme.compare(v, at) >= 0;
    } else if (e.fixed !== undefined) {
      at = parseOrThrow(id, e.fixed, 'OSV event "fixed"');
      applies = scheme.compare(v, at) >= 0;
    } else if (e.last_affected !== undefined) {
      at = parseOrThrow(id, e.last_affected, 'OSV event "last_affected"');
      applies = scheme.compare(v, at) > 0;
    } else {
      if (e.limit === undefined) continue;
      hasLimit = true;
      // A limit containing "*" is infinity (OSV "Special values").
      if (e.limit.includes('*') || scheme.compare(v, parseOrThrow(id, e.limit, 'OSV event "limit"')) < 0) {
        beforeLimit = true;
      }
      continue;
    }
    if (applies && (!found || orderBounds(scheme, at, best) >= 0)) {
      found = true;
      best = at;
      bestAffected = e.introduced !== undefined;
    }
  }
  return bestAffected && (!hasLimit || beforeLimit);
}

/** OSV IncludedInVersions: the same string, or a listed version equal under the scheme. */
function inVersions(id: SchemeId, versions: readonly string[], version: string, v: unknown): boolean {
  const scheme = schemeFor(id);
  for (const listed of versions) {
    if (listed === version) return true;
    // Enumerated versions are the ecosystem's own strings; one that does not parse cannot be
    // equal to a valid version except by being the same string, which was checked above.
    const parsed = parseCached(id, listed);
    if (parsed.ok && scheme.compare(parsed.value, v) === 0) return true;
  }
  return false;
}

/**
 * OSV IsVulnerable for one `affected[]` entry: the version is affected if it is listed in
 * `versions` or lies in any evaluable range. Throws InvalidVersionError when the version or a
 * bound it must be compared with does not parse — never a guess.
 */
export function isAffected(
  scheme: SchemeId,
  ranges: readonly OsvRange[],
  version: string,
  versions?: readonly string[],
): boolean {
  const v = parseOrThrow(scheme, version);
  if (versions !== undefined && inVersions(scheme, versions, version, v)) return true;
  for (const range of ranges) {
    const id = orderingFor(scheme, range.type);
    if (id === undefined) continue;
    const rv = id === scheme ? v : parseOrThrow(id, version, `${range.type} range`);
    if (inRange(id, range.events, rv)) return true;
  }
  return false;
}
