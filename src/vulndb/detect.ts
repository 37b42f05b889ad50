/**
 * Picks the importer for a local path (`assay db import`): every importer's `detect` sees the
 * same cheap "head" of the input described in `importer.ts`, tried in registry order (the
 * specific formats first, OSV last).
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';
import { AssayError, errorMessage } from '../model/errors.js';
import type { AdvisoryImporter } from './importer.js';
import { importers } from './importers/registry.js';

export const HEAD_BYTES = 64 * 1024;
/** How many entry names of a zip `detect` sees: enough to tell OSV `all.zip` from anything else. */
const ZIP_NAMES = 32;

export interface InputHead {
  kind: 'directory' | 'zip' | 'gzip' | 'file';
  /** What `detect` receives as `head`. */
  text: string;
  /** What `detect` receives as `path` (a directory's ends with `/`). */
  path: string;
  /** The first bytes, decompressed when the file is gzip (absent for directories and zips). */
  bytes?: Buffer;
}

export async function readHead(path: string): Promise<InputHead> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (err) {
    throw new AssayError('not-found', `${path}: ${errorMessage(err)}`, { cause: err });
  }
  if (info.isDirectory())
    return { kind: 'directory', text: '', path: path.endsWith('/') ? path : `${path}/` };
  const first = await readStart(path, HEAD_BYTES);
  if (path.toLowerCase().endsWith('.zip')) return { kind: 'zip', text: await zipNames(path), path };
  if (first[0] === 0x1f && first[1] === 0x8b) {
    const bytes = await gunzipStart(path, HEAD_BYTES);
    return { kind: 'gzip', text: bytes.toString('utf8'), path, bytes };
  }
  return { kind: 'file', text: first.toString('utf8'), path, bytes: first };
}

export async function detectImporter(path: string): Promise<AdvisoryImporter> {
  const head = await readHead(path);
  return importerForHead(head) ?? unknownFormat(path);
}

export function importerForHead(head: InputHead): AdvisoryImporter | undefined {
  return importers.find((i) => i.detect(head.text, head.path));
}

export function unknownFormat(path: string): never {
  throw new AssayError(
    'invalid-input',
    `${path}: not a known feed format (expected OSV JSON/zip, Debian tracker JSON, Alpine secdb JSON, NVD API 2.0 JSON, CVE JSON 5, EPSS CSV, KEV JSON); pass --format to force one`,
  );
}

async function readStart(path: string, max: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(max);
    const { bytesRead } = await fh.read(buf, 0, max, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The first `max` decompressed bytes; a truncated or corrupt stream gives what came before. */
function gunzipStart(path: string, max: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const input = createReadStream(path);
    const gunzip = createGunzip();
    const done = () => {
      input.destroy();
      gunzip.destroy();
      resolve(Buffer.concat(chunks).subarray(0, max));
    };
    gunzip.on('data', (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (size >= max) done();
    });
    gunzip.on('end', done);
    gunzip.on('error', done);
    input.on('error', done);
    input.pipe(gunzip);
  });
}

/** The names of the first entries, `\n`-joined; '' when the zip cannot be read (the importer reports why). */
async function zipNames(path: string): Promise<string> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, strictFileNames: false });
  } catch {
    return '';
  }
  zip.on('error', () => undefined);
  const names: string[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      names.push(entry.fileName);
      if (names.length >= ZIP_NAMES) break;
    }
  } catch {
    // A damaged central directory: the names read so far still tell the format.
  } finally {
    zip.close();
  }
  return names.join('\n');
}
