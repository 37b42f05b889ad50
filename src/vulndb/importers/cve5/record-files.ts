/**
 * Where CVE records come from: one record file, a directory tree as the cvelistV5 and
 * vulnrichment repositories lay it out (`<year>/<n>xxx/CVE-….json`), a `.tar.gz` of such a
 * tree streamed entry by entry (never unpacked: nothing is written, so entry names are only
 * labels), or a `.zip` of one as the CVE program publishes cvelistV5
 * (https://github.com/CVEProject/cvelistV5/releases): a zip of `cves/<year>/<n>xxx/CVE-….json`,
 * and the daily baseline as a zip holding that zip (`…_all_CVEs_at_midnight.zip.zip` →
 * `cves.zip`). Each record's bytes are held alone, capped at `maxRecordBytes`.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { AssayError, errorMessage } from '../../../model/errors.js';
import { zipEntryFiles, zipJsonEntries } from '../common/zip.js';

/** A record file name; other files in a tree (`delta.json`, READMEs) are not records. */
export const RECORD_FILE = /^CVE-\d{4}-\d{4,}\.json$/;
export const isTarGz = (path: string): boolean => /\.(tar\.gz|tgz)$/i.test(path);
export const isRecordName = (name: string): boolean => RECORD_FILE.test(basename(name));
export const isZipName = (name: string): boolean => name.toLowerCase().endsWith('.zip');

export interface RecordBytes {
  /** Where it came from: a path, or `archive.tar.gz!2024/1xxx/CVE-2024-1342.json`. */
  file: string;
  /** The id the file name promises, for messages about a record that does not parse. */
  nameId: string;
  /** The record's JSON (a zip entry comes decoded already). */
  bytes?: Buffer | string;
  /** Why there are no bytes (too large). */
  problem?: string;
}

const idFromName = (name: string): string => basename(name).replace(/\.json$/i, '');
const tooLarge = (size: number, max: number): string =>
  `record of ${size} bytes is larger than the limit of ${max} bytes`;

/** `tmpRoot`: where the temporary copy of a nested zip goes (default: the OS temp directory). */
export async function* recordsIn(
  path: string,
  maxBytes: number,
  tmpRoot?: string,
): AsyncGenerator<RecordBytes> {
  const info = await stat(path).catch((err: unknown) => {
    throw new AssayError('not-found', `${path}: ${errorMessage(err)}`, { cause: err });
  });
  if (info.isDirectory()) yield* recordsInTree(path, maxBytes);
  else if (isTarGz(path)) yield* recordsInTarGz(path, maxBytes);
  else if (isZipName(path)) yield* recordsInZip(path, maxBytes, tmpRoot ?? tmpdir());
  else yield await readRecordFile(path, info.size, maxBytes);
}

async function readRecordFile(path: string, size: number, maxBytes: number): Promise<RecordBytes> {
  const nameId = idFromName(path);
  if (size > maxBytes) return { file: path, nameId, problem: tooLarge(size, maxBytes) };
  return { file: path, nameId, bytes: await readFile(path) };
}

/** Depth-first in name order, so two imports of one tree write in the same order. Links are not followed. */
async function* recordsInTree(dir: string, maxBytes: number): AsyncGenerator<RecordBytes> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory() && !e.name.startsWith('.')) yield* recordsInTree(path, maxBytes);
    else if (e.isFile() && RECORD_FILE.test(e.name))
      yield await readRecordFile(path, (await stat(path)).size, maxBytes);
  }
}

/**
 * Entries in archive order. A gzip or tar that ends early throws `invalid-input` naming the file:
 * the records before the cut are already written, and the caller learns the input was incomplete.
 */
async function* recordsInTarGz(path: string, maxBytes: number): AsyncGenerator<RecordBytes> {
  // Larger reads and inflate chunks than the defaults: fewer hand-offs between the streams.
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const gunzip = createGunzip({ chunkSize: 1 << 18 });
  const extract = tar.extract();
  file.on('error', (err) => extract.destroy(err));
  gunzip.on('error', (err) => extract.destroy(err));
  file.pipe(gunzip).pipe(extract);
  const label = basename(path);
  try {
    for await (const entry of extract) {
      const { name, size = 0, type } = entry.header;
      if (type !== 'file' || !RECORD_FILE.test(basename(name))) {
        entry.resume();
        continue;
      }
      const where = `${label}!${name}`;
      if (size > maxBytes) {
        entry.resume();
        yield { file: where, nameId: idFromName(name), problem: tooLarge(size, maxBytes) };
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk);
      yield { file: where, nameId: idFromName(name), bytes: Buffer.concat(chunks) };
    }
  } catch (err) {
    throw new AssayError('invalid-input', `${path}: truncated or corrupt archive: ${errorMessage(err)}`, {
      cause: err,
    });
  } finally {
    file.destroy();
  }
}

/**
 * How much larger than its compressed size a nested zip may declare itself. A zip of deflated
 * JSON hardly deflates again (the real cves.zip: ~1.0); 20 leaves room for a zip of stored
 * entries while a "zip bomb" (ratios of 1000 and more) is refused before a byte is written.
 */
const NESTED_MAX_RATIO = 20;
const NESTED_MIN_CAP = 64 * 1024 * 1024;

/**
 * Every record of the zip at `path` (through `../common/zip.ts`: size caps, hostile names,
 * corrupt archives), its own entries first, then those of each nested zip. A zip inside the zip
 * needs random access, which a deflated entry does not give: it is copied to a temporary file
 * (capped), read the same way, and removed, also when the import fails or stops. One level only.
 */
async function* recordsInZip(path: string, maxBytes: number, tmpRoot: string): AsyncGenerator<RecordBytes> {
  const label = basename(path);
  yield* recordEntries(path, { errors: path, files: label }, maxBytes);
  for await (const nested of zipEntryFiles(path, path, isZipName)) {
    const where = { errors: `${path}!${nested.name}`, files: `${label}!${nested.name}` };
    const cap = Math.max(NESTED_MIN_CAP, nested.compressedSize * NESTED_MAX_RATIO);
    if (nested.size > cap)
      throw new AssayError(
        'too-large',
        `${where.errors}: a nested zip declaring ${nested.size} bytes from ${nested.compressedSize} compressed (over ${NESTED_MAX_RATIO} times as large): not extracted`,
      );
    const dir = await mkdtemp(join(tmpRoot, 'assay-cve5-zip-'));
    try {
      const copy = join(dir, 'nested.zip');
      await nested.copyTo(copy, cap);
      yield* recordEntries(copy, where, maxBytes);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** `errors` names the zip in thrown errors (a path), `files` in each record's `file` (a label). */
async function* recordEntries(
  path: string,
  names: { errors: string; files: string },
  maxBytes: number,
): AsyncGenerator<RecordBytes> {
  for await (const item of zipJsonEntries(path, maxBytes, names.errors, isRecordName)) {
    const file = `${names.files}!${item.name}`;
    const nameId = idFromName(item.name);
    yield 'text' in item ? { file, nameId, bytes: item.text } : { file, nameId, problem: item.problem };
  }
}
