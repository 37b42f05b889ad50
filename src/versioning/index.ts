import type { Order } from './digits.js';
import { parseCached, parseOrThrow, schemeFor } from './parse-cache.js';
import type { SchemeId } from './scheme.js';

export type { Order } from './digits.js';
export { isAffected, isEvaluableRange, type OsvEvent, type OsvRange } from './osv-range.js';
export { clearParseCaches, PARSE_CACHE_CAPACITY } from './parse-cache.js';
export { isSchemeId, schemeForEcosystem, schemeIds, schemes } from './registry.js';
export { InvalidVersionError, type ParseResult, type SchemeId, type VersionScheme } from './scheme.js';

/**
 * Compares two versions of one scheme: -1, 0 or 1. Throws InvalidVersionError (with the scheme
 * and the offending input) when either does not parse.
 */
export function compareVersions(scheme: SchemeId, a: string, b: string): Order {
  const pa = parseOrThrow(scheme, a);
  const pb = parseOrThrow(scheme, b);
  return schemeFor(scheme).compare(pa, pb);
}

/** True when the scheme accepts `v` (what compareVersions and isAffected would not throw on). */
export function isValidVersion(scheme: SchemeId, v: string): boolean {
  return typeof v === 'string' && parseCached(scheme, v).ok;
}
