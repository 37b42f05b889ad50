/**
 * Streams the `.json` entries of a zip (OSV's `<ecosystem>/all.zip`, GHSA exports, the CVE
 * program's cvelistV5 zips) one at a time with yauzl (https://github.com/thejoshwolfe/yauzl)
 * reading from the file, never the whole archive into memory. Entries whose declared or inflated size exceeds the record cap are
 * yielded as problems, not read (zip bombs); a name that would escape a directory is yielded as
 * a problem too (nothing is ever written to disk; the name is reported because it is hostile).
 * Anything that breaks the archive itself (no central directory, truncated or corrupt data, an
 * entry inflating to another size than its header declares) throws `corrupt zip`.
 * `zipEntryFiles` hands out other entries (a zip inside a zip) to be copied to a file, capped.
 */
import { createWriteStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { inflateRawSync, inflateRaw as zlibInflateRaw } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { AssayError, errorMessage } from '../../../model/errors.js';
import { BlockReader } from './block-reader.js';

export const isJsonName = (name: string): boolean => basename(name).toLowerCase().endsWith('.json');

export type ZipItem = { name: string; text: string } | { name: string; problem: string };

function openZip(reader: BlockReader): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    // decodeStrings: false keeps yauzl from rejecting the whole archive over one hostile name;
    // names are decoded and checked below, per entry.
    yauzl.fromRandomAccessReader(
      reader,
      reader.size,
      { lazyEntries: true, autoClose: false, decodeStrings: false },
      (err, zip) => (err ? reject(err) : resolve(zip)),
    );
  });
}

function localHeader(zip: ZipFile, entry: Entry): Promise<{ fileDataStart: number }> {
  return new Promise((resolve, reject) => {
    zip.readLocalFileHeader(entry, { minimal: true }, (err, header) => (err ? reject(err) : resolve(header)));
  });
}

const inflateRaw = promisify(zlibInflateRaw);

/**
 * Below this size an entry is inflated synchronously: an all.zip holds 10^4–10^5 records of a
 * few KiB, and a thread-pool round trip per record costs more than inflating it. Bigger entries
 * go to the pool so the event loop is never held long.
 */
const SYNC_INFLATE_MAX = 256 * 1024;

/**
 * One entry's bytes: its compressed data read with one positioned read, inflated in one zlib
 * call capped at the declared size (several times faster than a stream per entry, which
 * matters for 10^5-entry archives). Data that ends early or inflates to another size than the
 * header declares means the archive is corrupt: that throws.
 */
async function readData(zip: ZipFile, reader: BlockReader, entry: Entry): Promise<Buffer> {
  const method = entry.compressionMethod;
  if (method !== 0 && method !== 8) throw new Error(`unsupported compression method ${method}`);
  const { fileDataStart } = await localHeader(zip, entry);
  const raw = await reader.readAt(fileDataStart, entry.compressedSize);
  if (raw.length !== entry.compressedSize) throw new Error('entry data runs past the end of the archive');
  const declared = entry.uncompressedSize;
  const chunkSize = Math.min(Math.max(declared, 16 * 1024), 1024 * 1024);
  const options = { maxOutputLength: Math.max(1, declared), chunkSize };
  let bytes = raw;
  if (method === 8)
    bytes = declared <= SYNC_INFLATE_MAX ? inflateRawSync(raw, options) : await inflateRaw(raw, options);
  if (bytes.length !== declared)
    throw new Error(`entry holds ${bytes.length} bytes, its header declares ${declared}`);
  return bytes;
}

function entryName(entry: Entry): string {
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
}

/** The next entry, or undefined at the end; errors of the central directory reject. */
function nextEntry(zip: ZipFile): Promise<Entry | undefined> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (e: Entry) => {
      cleanup();
      resolve(e);
    };
    const onEnd = () => {
      cleanup();
      resolve(undefined);
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

async function readItem(
  zip: ZipFile,
  reader: BlockReader,
  entry: Entry,
  name: string,
  maxBytes: number,
): Promise<ZipItem> {
  const unsafe = yauzl.validateFileName(name);
  if (unsafe !== null) return { name, problem: `unsafe entry name: ${unsafe}` };
  if (entry.uncompressedSize > maxBytes) {
    return { name, problem: `${entry.uncompressedSize} bytes, more than the ${maxBytes}-byte record limit` };
  }
  if (entry.isEncrypted()) return { name, problem: 'encrypted entry' };
  // A compressed size above the cap cannot inflate to a size within it honestly.
  if (entry.compressedSize > maxBytes)
    return { name, problem: `${entry.compressedSize} compressed bytes, more than the record limit` };
  return { name, text: (await readData(zip, reader, entry)).toString('utf8') };
}

interface Walked {
  zip: ZipFile;
  reader: BlockReader;
  entry: Entry;
  name: string;
}

/**
 * Every file entry of the zip at `path` (directories skipped), in archive order. Failures of the
 * archive itself throw `invalid-input` naming `label`.
 */
async function* walkZip(path: string, label: string): AsyncGenerator<Walked> {
  let zip: ZipFile;
  let reader: BlockReader;
  let fd: FileHandle | undefined;
  try {
    fd = await open(path, 'r');
    reader = new BlockReader(fd, (await fd.stat()).size);
    zip = await openZip(reader);
  } catch (err) {
    await fd?.close();
    throw corrupt(label, err);
  }
  try {
    for (;;) {
      const entry = await nextEntry(zip);
      if (!entry) return;
      const name = entryName(entry);
      if (!name.endsWith('/')) yield { zip, reader, entry, name };
    }
  } catch (err) {
    throw corrupt(label, err);
  } finally {
    zip.close();
    await fd?.close();
  }
}

const corrupt = (label: string, err: unknown): AssayError =>
  err instanceof AssayError
    ? err
    : new AssayError('invalid-input', `${label}: corrupt zip: ${errorMessage(err)}`, { cause: err });

/**
 * The entries of the zip at `path` whose names `accept` (by default every `*.json`), in archive
 * order, as texts or as problems (too large, hostile name, encrypted).
 */
export async function* zipJsonEntries(
  path: string,
  maxBytes: number,
  label = path,
  accept: (name: string) => boolean = isJsonName,
): AsyncGenerator<ZipItem> {
  for await (const { zip, reader, entry, name } of walkZip(path, label)) {
    if (!accept(name)) continue;
    try {
      yield await readItem(zip, reader, entry, name, maxBytes);
    } catch (err) {
      throw corrupt(label, err);
    }
  }
}

export interface ZipEntryFile {
  name: string;
  /** The sizes the central directory declares. */
  compressedSize: number;
  size: number;
  /**
   * Streams the entry's inflated bytes into the file `dest`: `too-large` when it declares more
   * than `cap` bytes, `invalid-input` when it is encrypted, uses another method or inflates to
   * another size than declared. Call it before asking for the next entry.
   */
  copyTo(dest: string, cap: number): Promise<void>;
}

/** The entries whose names `accept`, to be copied out one by one (a zip nested in a zip). */
export async function* zipEntryFiles(
  path: string,
  label: string,
  accept: (name: string) => boolean,
): AsyncGenerator<ZipEntryFile> {
  for await (const { zip, entry, name } of walkZip(path, label)) {
    if (!accept(name)) continue;
    const where = `${label}!${name}`;
    yield {
      name,
      compressedSize: entry.compressedSize,
      size: entry.uncompressedSize,
      copyTo: (dest, cap) => copyEntry(zip, entry, where, dest, cap),
    };
  }
}

async function copyEntry(
  zip: ZipFile,
  entry: Entry,
  where: string,
  dest: string,
  cap: number,
): Promise<void> {
  if (entry.uncompressedSize > cap)
    throw new AssayError(
      'too-large',
      `${where}: ${entry.uncompressedSize} bytes, more than the ${cap}-byte limit`,
    );
  if (entry.isEncrypted()) throw new AssayError('invalid-input', `${where}: encrypted entry`);
  try {
    // yauzl checks the inflated size against the declared one (validateEntrySizes), so a lying
    // header cannot write more than `cap` bytes.
    const stream = await zip.openReadStreamPromise(entry);
    await pipeline(stream, createWriteStream(dest));
  } catch (err) {
    throw new AssayError('invalid-input', `${where}: corrupt zip entry: ${errorMessage(err)}`, {
      cause: err,
    });
  }
}
