/**
 * The few zip operations the jar analyzer needs, over yauzl (https://github.com/thejoshwolfe/yauzl)
 * reading from a Buffer: list the entries, and read one entry. An entry's inflated size must
 * equal the size the central directory declares (zlib stops at it), so a cap checked against
 * the declared size cannot be outrun by a lying header. Nothing here throws: failures are
 * values the caller turns into issues.
 */
import { promisify } from 'node:util';
import { inflateRaw as zlibInflateRaw } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { errorMessage } from '../../../model/errors.js';

export interface OpenedZip {
  bytes: Buffer;
  zip: ZipFile;
  entries: Entry[];
  /** Set when the central directory could not be read to its end; `entries` holds those read before. */
  error?: string;
}

export type OpenResult = { ok: true; opened: OpenedZip } | { ok: false; error: string };

/** Local file header (`PK\x03\x04`) or end of central directory of an empty archive (`PK\x05\x06`). */
export function looksLikeZip(bytes: Buffer): boolean {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) return false;
  return (bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6);
}

/** Reads the central directory, stopping after `maxEntries` (the rest are counted, not kept). */
export async function openZip(bytes: Buffer, maxEntries: number): Promise<OpenResult> {
  let zip: ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(bytes, {
      lazyEntries: true,
      autoClose: false,
      validateEntrySizes: true,
      strictFileNames: false,
    });
  } catch (err) {
    return { ok: false, error: errorMessage(err) };
  }
  // A late error event (after iteration stopped) must not become an unhandled 'error'.
  zip.on('error', () => undefined);
  const entries: Entry[] = [];
  if (zip.entryCount > maxEntries) {
    return {
      ok: true,
      opened: { bytes, zip, entries, error: `${zip.entryCount} entries, more than ${maxEntries}` },
    };
  }
  try {
    for await (const entry of zip.eachEntry()) entries.push(entry);
  } catch (err) {
    return { ok: true, opened: { bytes, zip, entries, error: errorMessage(err) } };
  }
  return { ok: true, opened: { bytes, zip, entries } };
}

export type ReadResult = { ok: true; bytes: Buffer } | { ok: false; error: string };

const inflateRaw = promisify(zlibInflateRaw);

/**
 * One entry's bytes; the caller has checked `entry.uncompressedSize` against its caps. yauzl
 * finds the data (local header); the data is then sliced from the archive's buffer (stored: no
 * copy) or inflated in one zlib call off the main thread, capped at the declared size — several
 * times faster than yauzl's chunked stream, which matters for fat jars and bombs alike.
 */
export async function readEntry(opened: OpenedZip, entry: Entry): Promise<ReadResult> {
  if (entry.isEncrypted()) return { ok: false, error: 'encrypted entry' };
  const method = entry.compressionMethod;
  if (method !== 0 && method !== 8) return { ok: false, error: `unsupported compression method ${method}` };
  try {
    const { fileDataStart } = await opened.zip.readLocalFileHeaderPromise(entry, { minimal: true });
    const end = fileDataStart + entry.compressedSize;
    if (end > opened.bytes.length) return { ok: false, error: 'entry data runs past the end of the archive' };
    const raw = opened.bytes.subarray(fileDataStart, end);
    const declared = entry.uncompressedSize;
    // zlib's default 16 KiB output chunks cost a round trip each: 1 MiB ones inflate ~4x faster.
    const chunkSize = Math.min(Math.max(declared, 16 * 1024), 1024 * 1024);
    const bytes =
      method === 0 ? raw : await inflateRaw(raw, { maxOutputLength: Math.max(1, declared), chunkSize });
    if (bytes.length !== declared) {
      return { ok: false, error: `holds ${bytes.length} bytes, its header declares ${declared}` };
    }
    return { ok: true, bytes };
  } catch (err) {
    return { ok: false, error: errorMessage(err) };
  }
}
