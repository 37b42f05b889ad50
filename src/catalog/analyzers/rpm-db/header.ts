/**
 * The rpm header structure, as every rpmdb backend stores one per installed package
 * (https://github.com/rpm-software-management/rpm/blob/master/docs/manual/format.md, "Header";
 * docs/manual/hregions.md): two big-endian 32-bit counts (`il` index entries, `dl` data bytes),
 * `il` 16-byte index entries {tag, type, offset, count}, then the `dl`-byte data store.
 *
 * Every entry is validated the way rpm's lib/header.c does before use (`hdrblobVerifyInfo`:
 * known type, offset inside the store, alignment, data that fits, NUL-terminated strings), so a
 * blob either parses completely or is rejected with a located error; values are then views of
 * the store and nothing is allocated from a count the blob declares.
 */
import { Bytes } from './bytes.js';
import { hex, RpmDbFormatError } from './problems.js';
import {
  describeTag,
  FIRST_DATA_TAG,
  fixedTypeSize,
  HEADER_MAX_DATA,
  HEADER_MAX_ENTRIES,
  REGION_TAGS,
  RpmType,
  rpmTypeNames,
} from './tags.js';

/** One validated index entry; `offset` and `length` are within the data store. */
export interface HeaderEntry {
  tag: number;
  type: number;
  offset: number;
  count: number;
  length: number;
}

const INTRO_SIZE = 8;
const ENTRY_SIZE = 16;
/** A header inside an .rpm file is preceded by this magic (3 bytes, version 1, 4 reserved). */
const HEADER_MAGIC = Buffer.from([0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0]);

export interface ParsedHeader {
  /** Later entries replace earlier ones with the same tag, as rpm's `hdrblobImport` does for dribbles. */
  entries: ReadonlyMap<number, HeaderEntry>;
  /** The data store. */
  store: Buffer;
}

/** Parses one header blob (with or without the leading magic); throws `RpmDbFormatError`. */
export function parseHeader(blob: Buffer): ParsedHeader {
  const start = blob.subarray(0, HEADER_MAGIC.length).equals(HEADER_MAGIC) ? HEADER_MAGIC.length : 0;
  const bytes = new Bytes(blob, 'be', 0, 'header blob');
  const il = bytes.u32(start, 'header index count');
  const dl = bytes.u32(start + 4, 'header data length');
  if (il < 1 || il > HEADER_MAX_ENTRIES) {
    throw new RpmDbFormatError(
      'corrupt-database',
      `header declares ${il} index entries (1 to ${HEADER_MAX_ENTRIES} allowed)`,
      start,
    );
  }
  if (dl > HEADER_MAX_DATA) {
    throw new RpmDbFormatError(
      'corrupt-database',
      `header declares ${dl} data bytes (at most ${HEADER_MAX_DATA} allowed)`,
      start + 4,
    );
  }
  const indexStart = start + INTRO_SIZE;
  const store = bytes.view(
    indexStart + il * ENTRY_SIZE,
    dl,
    `header with ${il} index entries and ${dl} data bytes`,
  );
  const first = readEntry(bytes, indexStart);
  const hasRegion = REGION_TAGS.has(first.tag);
  if (hasRegion) checkRegion(first, store, il, indexStart);
  return { entries: readEntries(bytes, store, indexStart, hasRegion ? 1 : 0, il), store };
}

/**
 * Entries lie in increasing offset order with no overlap, as rpm requires (`end > info.offset`
 * in hdrblobVerifyInfo), which also keeps validation linear: no byte is scanned twice.
 */
function readEntries(
  bytes: Bytes,
  store: Buffer,
  indexStart: number,
  from: number,
  il: number,
): Map<number, HeaderEntry> {
  const entries = new Map<number, HeaderEntry>();
  let end = 0;
  for (let i = from; i < il; i++) {
    const at = indexStart + i * ENTRY_SIZE;
    const raw = readEntry(bytes, at);
    const length = dataLength(raw, store, end);
    if (typeof length === 'string') {
      const type = rpmTypeNames[raw.type] ?? raw.type;
      const entry = `index entry ${i} at blob offset ${hex(at)} (tag ${describeTag(raw.tag)}, type ${type}, offset ${raw.offset}, count ${raw.count})`;
      throw new RpmDbFormatError('corrupt-database', `${entry}: ${length}`);
    }
    end = raw.offset + length;
    entries.set(raw.tag, { ...raw, length });
  }
  return entries;
}

interface RawEntry {
  tag: number;
  type: number;
  offset: number;
  count: number;
}

function readEntry(bytes: Bytes, at: number): RawEntry {
  return {
    tag: bytes.u32(at, 'index entry tag'),
    type: bytes.u32(at + 4, 'index entry type'),
    offset: bytes.i32(at + 8, 'index entry offset'),
    count: bytes.u32(at + 12, 'index entry count'),
  };
}

/**
 * The region entry points at a 16-byte trailer in the store whose negative offset is minus the
 * size of the region's index (rpm's `hdrblobVerifyRegion`); only its shape is checked, since
 * the entries it covers are validated one by one like all others.
 */
function checkRegion(region: RawEntry, store: Buffer, il: number, at: number): void {
  const where = `region entry ${describeTag(region.tag)} at blob offset ${hex(at)}`;
  if (region.type !== RpmType.BIN || region.count !== ENTRY_SIZE) {
    throw new RpmDbFormatError(
      'corrupt-database',
      `${where}: type ${region.type} count ${region.count}, expected BIN of ${ENTRY_SIZE}`,
      at,
    );
  }
  if (region.offset < 0 || region.offset + ENTRY_SIZE > store.length) {
    throw new RpmDbFormatError(
      'corrupt-database',
      `${where}: trailer offset ${region.offset} outside the ${store.length}-byte data store`,
      at,
    );
  }
  const trailer = new Bytes(store, 'be', 0, 'header data store');
  const regionSize = -trailer.i32(region.offset + 8, 'region trailer offset');
  const regionEntries = regionSize / ENTRY_SIZE;
  if (!Number.isInteger(regionEntries) || regionEntries < 1 || regionEntries > il) {
    throw new RpmDbFormatError(
      'corrupt-database',
      `${where}: trailer claims ${-regionSize} bytes of index, not a multiple of ${ENTRY_SIZE} within the header's ${il} entries`,
      at,
    );
  }
}

/**
 * The byte length of an entry's data, or why the entry is invalid. `end` is where the previous
 * entry's data ends. Returns rather than throws: it runs for every entry of every header.
 */
function dataLength(raw: RawEntry, store: Buffer, end: number): number | string {
  if (raw.offset < 0) return 'negative offset outside the region entry';
  if (raw.offset < end) return `overlaps the previous entry's data (ending at ${end})`;
  if (raw.tag < FIRST_DATA_TAG) return `tag below ${FIRST_DATA_TAG} outside the region entry`;
  if (raw.type <= RpmType.NULL || raw.type > RpmType.I18NSTRING) return 'unknown or empty data type';
  if (raw.count < 1 || raw.count > HEADER_MAX_DATA) return 'count out of range';
  if (raw.offset > store.length) return `offset outside the ${store.length}-byte data store`;
  const size = fixedTypeSize[raw.type];
  if (size === undefined) {
    if (raw.type === RpmType.STRING && raw.count !== 1) return 'a STRING entry must have count 1';
    const length = stringsLength(store, raw.offset, raw.count);
    return length < 0
      ? `fewer than ${raw.count} NUL-terminated strings before the end of the data store`
      : length;
  }
  if (raw.offset % size !== 0) return `offset not aligned to ${size} bytes`;
  const length = size * raw.count;
  return raw.offset + length > store.length
    ? `${length} bytes of data run past the ${store.length}-byte data store`
    : length;
}

/** Bytes taken by `count` NUL-terminated strings at `offset`, or -1 when the store ends first. */
function stringsLength(store: Buffer, offset: number, count: number): number {
  let pos = offset;
  for (let n = 0; n < count; n++) {
    const nul = store.indexOf(0, pos);
    if (nul < 0) return -1;
    pos = nul + 1;
  }
  return pos - offset;
}
