import { AssayError } from '../model/errors.js';
import { isSchemeId, schemes } from './registry.js';
import { InvalidVersionError, type ParseResult, type SchemeId, type VersionScheme } from './scheme.js';

/**
 * Parsing is the expensive step, and a matcher compares one installed version against many
 * advisory bounds that repeat across advisories, so each scheme keeps its recent parse results
 * (failures too). The cap bounds memory; the oldest entry goes first.
 */
export const PARSE_CACHE_CAPACITY = 8192;

const caches = new Map<SchemeId, Map<string, ParseResult<unknown>>>();

export function schemeFor(id: SchemeId): VersionScheme<unknown> {
  // Callers from plain JavaScript can pass anything; fail loudly instead of guessing.
  if (!isSchemeId(id)) throw new AssayError('usage', `unknown version scheme ${JSON.stringify(id)}`);
  return schemes[id];
}

/** The scheme's parse result for `input`, from the cache when possible. */
export function parseCached(id: SchemeId, input: string): ParseResult<unknown> {
  let cache = caches.get(id);
  if (cache === undefined) {
    schemeFor(id); // validates the id before a cache is made for it
    cache = new Map();
    caches.set(id, cache);
  }
  let result = cache.get(input);
  if (result === undefined) {
    result = schemes[id].parse(input);
    if (cache.size >= PARSE_CACHE_CAPACITY) {
      const oldest = cache.keys().next();
      if (oldest.done !== true) cache.delete(oldest.value);
    }
    cache.set(input, result);
  }
  return result;
}

/** The parsed value, or an InvalidVersionError naming the scheme, the input and the reason. */
export function parseOrThrow(id: SchemeId, input: string, context?: string): unknown {
  if (typeof input !== 'string') {
    throw new InvalidVersionError(id, String(input), `expected a string, got ${typeof input}`);
  }
  const result = parseCached(id, input);
  if (!result.ok)
    throw new InvalidVersionError(id, input, context ? `${result.reason} (${context})` : result.reason);
  return result.value;
}

/** Empties every cache (tests and benchmarks use it to measure cold parsing). */
export function clearParseCaches(): void {
  caches.clear();
}
