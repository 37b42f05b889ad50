/**
 * Whether a zip holds CVE records, for `detect`, from the first bytes of the file alone. Entry
 * names cannot tell: NVD API responses are also published as `CVE-….json` files. `detect` is
 * synchronous and yauzl is not, and the central directory sits at the end of the archive; but a
 * zip also starts with its entries, each behind a local file header (APPNOTE.TXT 4.3.7,
 * https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT). So the leading headers are
 * walked to the first record entry and its first bytes inflated — inside the first entry named
 * `*.zip` too, for cvelistV5's zip in a zip, whose inner zip likewise starts with its entries.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { constants, inflateRawSync } from 'node:zlib';

const LOCAL_HEADER = 0x04034b50;
const HEAD_BYTES = 256 * 1024;
/** Compressed bytes inflated per peek, and the most they may give: a bomb ends the peek, not memory. */
const PEEK_IN = 64 * 1024;
const PEEK_OUT = 4 * 1024 * 1024;
/** General purpose flag bit 3: sizes follow the data (APPNOTE 4.4.4), the header says 0. */
const DATA_DESCRIPTOR = 0x08;

interface Peeked {
  name: string;
  /** The entry's first bytes, inflated. */
  data: Buffer;
}

/** The start of the first entry whose name `want`s, walking the local headers of `zip` (which may be cut). */
function firstEntry(zip: Buffer, want: (name: string) => boolean): Peeked | undefined {
  let at = 0;
  while (at + 30 <= zip.length && zip.readUInt32LE(at) === LOCAL_HEADER) {
    const flags = zip.readUInt16LE(at + 6);
    const method = zip.readUInt16LE(at + 8);
    const compressed = zip.readUInt32LE(at + 18);
    const nameEnd = at + 30 + zip.readUInt16LE(at + 26);
    const name = zip.subarray(at + 30, nameEnd).toString('utf8');
    const dataStart = nameEnd + zip.readUInt16LE(at + 28);
    const unknownSize = (flags & DATA_DESCRIPTOR) !== 0 || compressed === 0xffffffff;
    if (want(name)) {
      const end = unknownSize ? zip.length : Math.min(zip.length, dataStart + compressed);
      const data = inflated(zip.subarray(dataStart, Math.min(end, dataStart + PEEK_IN)), method);
      return data && { name, data };
    }
    // Where the next header starts is unknown without inflating this entry: give up.
    if (unknownSize) return undefined;
    at = dataStart + compressed;
  }
  return undefined;
}

function inflated(raw: Buffer, method: number): Buffer | undefined {
  if (method === 0) return raw;
  if (method !== 8) return undefined;
  try {
    // SYNC_FLUSH: inflate what is there without requiring the end of the stream.
    return inflateRawSync(raw, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: PEEK_OUT });
  } catch {
    return undefined;
  }
}

/**
 * True when the first record entry of the zip whose start is `zip` (or, `depth` levels down, of
 * the first nested zip) passes `isRecord`.
 */
export function zipStartHolds(
  zip: Buffer,
  isRecordName: (name: string) => boolean,
  isRecord: (head: string) => boolean,
  depth = 1,
): boolean {
  const isZip = (name: string) => depth > 0 && name.toLowerCase().endsWith('.zip');
  const found = firstEntry(zip, (name) => isRecordName(name) || isZip(name));
  if (!found) return false;
  if (isRecordName(found.name)) return isRecord(found.data.toString('utf8'));
  return zipStartHolds(found.data, isRecordName, isRecord, depth - 1);
}

/** The first 256 KiB of the file at `path`; empty when it cannot be read. */
export function fileStartSync(path: string): Buffer {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(HEAD_BYTES);
    return buf.subarray(0, readSync(fd, buf, 0, HEAD_BYTES, 0));
  } catch {
    return Buffer.alloc(0);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
