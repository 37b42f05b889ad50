/**
 * One OSV `affected[]` entry's ranges, checked at import so the matcher never meets a bound it
 * cannot parse: every event version must parse with the scheme that orders the range
 * (`versioning/osv-range.ts`: ECOSYSTEM → the ecosystem's scheme, SEMVER → semver 2.0.0 or the
 * ecosystem's own semver dialect). `introduced: "0"` and a `limit` containing `*` are OSV's
 * special values (https://ossf.github.io/osv-schema/#special-values).
 */
import type { OsvEvent, OsvRange } from '../../../versioning/osv-range.js';
import { parseCached, schemeFor } from '../../../versioning/parse-cache.js';
import type { SchemeId } from '../../../versioning/scheme.js';
import type { OsvRangeInput } from './schema.js';

const SEMVER_DIALECTS: ReadonlySet<SchemeId> = new Set<SchemeId>(['semver', 'cargo', 'go']);

function orderingFor(scheme: SchemeId, type: string): SchemeId | undefined {
  if (type === 'ECOSYSTEM') return scheme;
  if (type === 'SEMVER') return SEMVER_DIALECTS.has(scheme) ? scheme : 'semver';
  return undefined;
}

type EventKey = keyof OsvEvent;
const EVENT_KEYS: readonly EventKey[] = ['introduced', 'fixed', 'last_affected', 'limit'];

/** The event as a clean object with its one key, or a reason it is not one. */
function cleanEvent(raw: OsvEvent): { ok: true; key: EventKey; version: string } | { ok: false } {
  const present = EVENT_KEYS.filter((k) => raw[k] !== undefined);
  const key = present[0];
  if (present.length !== 1 || key === undefined) return { ok: false };
  return { ok: true, key, version: raw[key] ?? '' };
}

function isSpecial(key: EventKey, version: string): boolean {
  return (key === 'introduced' && version === '0') || (key === 'limit' && version.includes('*'));
}

export type RangeResult =
  | { kind: 'kept'; range: OsvRange }
  /** GIT ranges order commits, which only the repository can do: documented as unevaluable. */
  | { kind: 'dropped-silently' }
  | { kind: 'dropped'; reason: string };

/** Validates one range against `scheme`; a range with any unparsable bound is dropped whole. */
export function checkRange(scheme: SchemeId, raw: OsvRangeInput): RangeResult {
  if (raw.type === 'GIT') return { kind: 'dropped-silently' };
  const ordering = orderingFor(scheme, raw.type);
  if (ordering === undefined) return { kind: 'dropped', reason: `range type ${JSON.stringify(raw.type)}` };
  if (raw.events.length === 0) return { kind: 'dropped', reason: `${raw.type} range without events` };
  const events: OsvEvent[] = [];
  for (const e of raw.events) {
    const clean = cleanEvent(e);
    if (!clean.ok) return { kind: 'dropped', reason: `event ${JSON.stringify(e)} needs exactly one key` };
    const { key, version } = clean;
    if (!isSpecial(key, version)) {
      const parsed = parseCached(ordering, version);
      if (!parsed.ok) {
        return { kind: 'dropped', reason: `${key} ${JSON.stringify(version)} is not a ${ordering} version` };
      }
    }
    events.push({ [key]: version });
  }
  return { kind: 'kept', range: { type: raw.type, events } };
}

/**
 * The fix shown to users: the last range that has a `fixed` event, its highest fixed version.
 * With several ranges (several release lines) the matcher picks the one that applies.
 */
export function displayFixed(scheme: SchemeId, ranges: readonly OsvRange[]): string | undefined {
  for (let i = ranges.length - 1; i >= 0; i--) {
    const range = ranges[i];
    if (!range) continue;
    const ordering = orderingFor(scheme, range.type) ?? scheme;
    const order = schemeFor(ordering);
    let best: { text: string; value: unknown } | undefined;
    for (const e of range.events) {
      if (e.fixed === undefined) continue;
      const parsed = parseCached(ordering, e.fixed);
      if (!parsed.ok) continue; // checked by checkRange; unreachable for kept ranges
      if (!best || order.compare(parsed.value, best.value) > 0) best = { text: e.fixed, value: parsed.value };
    }
    if (best) return best.text;
  }
  return undefined;
}
