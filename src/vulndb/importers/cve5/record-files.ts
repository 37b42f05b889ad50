/**
 * Where CVE records come from: one record file, a directory tree as the cvelistV5 and
 * vulnrichment repositories lay it out (`<year>/<n>xxx/CVE-….json`), or a `.tar.gz` of such a
 * tree streamed entry by entry (never unpacked: nothing is written, so entry names are only
 * labels). Each record's bytes are held alone, capped at `maxRecordBytes`.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { AssayError, errorMessage } from '../../../model/errors.js';

/** A record file name; other files in a tree (`delta.json`, READMEs) are not records. */
export const RECORD_FILE = /^CVE-\d{4}-\d{4,}\.json$/;
export const isTarGz = (path: string): boolean => /\.(tar\.gz|tgz)$/i.test(path);

export interface RecordBytes {
  /** Where it came from: a path, or `archive.tar.gz!2024/1xxx/CVE-2024-1342.json`. */
  file: string;
  /** The id the file name promises, for messages about a record that does not parse. */
  nameId: string;
  bytes?: Buffer;
  /** Why there are no bytes (too large). */
  problem?: string;
}

const idFromName = (name: string): string => basename(name).replace(/\.json$/i, '');
const tooLarge = (size: number, max: number): string =>
  `record of ${size} bytes is larger than the limit of ${max} bytes`;

export async function* recordsIn(path: string, maxBytes: number): AsyncGenerator<RecordBytes> {
  const info = await stat(path).catch((err: unknown) => {
    throw new AssayError('not-found', `${path}: ${errorMessage(err)}`, { cause: err });
  });
  if (info.isDirectory()) yield* recordsInTree(path, maxBytes);
  else if (isTarGz(path)) yield* recordsInTarGz(path, maxBytes);
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
