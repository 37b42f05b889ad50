/**
 * The encoding of a `packages` row (see `schema.ts`): every affected entry of one package as one
 * compact JSON array, read by the matcher with one seek and one JSON.parse. Parsing and building
 * objects is most of a lookup's cost, so the usual OSV range shape
 * `{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.2"}]}` is stored flat as
 * `["ECOSYSTEM",0,"0",1,"1.2"]`: a third less text, and building the objects from it in `unpack`
took half the time JSON.parse takes to build them from the object form (measured). A range
 * of any other shape (a `repo`, an event with two keys) is stored as it is: the encoding is lossless.
 */
import type { OsvEvent, OsvRange } from '../versioning/osv-range.js';
import type { AffectedEntry } from './reader.js';
import type { FixStatus } from './types.js';

/** Event kinds by their code in a flat range. */
const KINDS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;
type Kind = (typeof KINDS)[number];

type FlatRange = [type: string, ...codesAndValues: (number | string)[]];

type PackedEntry = [
  feed: string,
  advisoryId: string,
  status: FixStatus,
  ranges: (FlatRange | OsvRange)[],
  versions: string[] | null,
  purl: string | null,
  fixed: string | null,
  vendorSeverity: string | null,
];

/**
 * One entry of a `packages` row as SQL over `affected f JOIN advisories a`: the PackedEntry array
 * written by string concatenation (`json_quote` makes a JSON string, or `null` for NULL), since
 * `f.ranges` is stored in the flat encoding already (`flatRanges`) and `f.versions` as JSON.
 */
export const PACKED_ENTRY_SQL = `'[' || json_quote(a.feed) || ',' || json_quote(a.id) || ',' || json_quote(f.status)
  || ',' || f.ranges || ',' || coalesce(f.versions, 'null') || ',' || json_quote(f.purl) || ','
  || json_quote(f.fixed) || ',' || json_quote(f.vendor_severity) || ']'`;

function flatten(range: OsvRange): FlatRange | OsvRange {
  if (Object.keys(range).length !== 2 || typeof range.type !== 'string' || !Array.isArray(range.events))
    return range;
  const flat: FlatRange = [range.type];
  for (const event of range.events) {
    const keys = Object.keys(event);
    const code = KINDS.indexOf(keys[0] as Kind);
    const value: unknown = event[keys[0] as Kind];
    if (keys.length !== 1 || code < 0 || typeof value !== 'string') return range;
    flat.push(code, value);
  }
  return flat;
}

/** The `affected.ranges` text of an entry's ranges. */
export function flatRanges(ranges: readonly OsvRange[]): string {
  return JSON.stringify(ranges.map(flatten));
}

function event(code: number, value: string): OsvEvent {
  switch (code) {
    case 0:
      return { introduced: value };
    case 1:
      return { fixed: value };
    case 2:
      return { last_affected: value };
    default:
      return { limit: value };
  }
}

function unflatten(ranges: readonly (FlatRange | OsvRange)[]): OsvRange[] {
  const out: OsvRange[] = new Array(ranges.length);
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i] as FlatRange | OsvRange;
    if (!Array.isArray(r)) {
      out[i] = r;
      continue;
    }
    const events: OsvEvent[] = new Array((r.length - 1) >> 1);
    for (let k = 1; k < r.length; k += 2) events[(k - 1) >> 1] = event(r[k] as number, r[k + 1] as string);
    out[i] = { type: r[0], events };
  }
  return out;
}

/** An `affected.ranges` text → the ranges. */
export function parseRanges(text: string): OsvRange[] {
  return unflatten(JSON.parse(text) as (FlatRange | OsvRange)[]);
}

/** A `packages.entries` text → the entries of (ecosystem, pkg), fresh objects on every call. */
export function unpack(ecosystem: string, pkg: string, text: string): AffectedEntry[] {
  const packed = JSON.parse(text) as PackedEntry[];
  const out: AffectedEntry[] = new Array(packed.length);
  for (let i = 0; i < packed.length; i++) {
    const p = packed[i] as PackedEntry;
    const entry: AffectedEntry = {
      feed: p[0],
      advisoryId: p[1],
      ecosystem,
      package: pkg,
      status: p[2],
      ranges: unflatten(p[3]),
      versions: p[4] ?? [],
    };
    if (p[5] !== null) entry.purl = p[5];
    if (p[6] !== null) entry.fixed = p[6];
    if (p[7] !== null) entry.vendorSeverity = p[7];
    out[i] = entry;
  }
  return out;
}
