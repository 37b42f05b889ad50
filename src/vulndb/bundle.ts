/**
 * The portable DB bundle of `assay db export` / `assay db import BUNDLE`, for air-gapped sites:
 * a tar.gz holding `metadata.json` (schema version, build time, sources, the DB's sha256) and
 * `vulnerabilities.db`, compacted with `VACUUM INTO` (https://www.sqlite.org/lang_vacuum.html#vacuuminto).
 * The same DB gives the same bytes: fixed tar header fields (mtime = the DB's build time, owner
 * 0, mode 0644), a fixed gzip level, and node's zlib writes no timestamp in the gzip header.
 */

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import Database from 'better-sqlite3';
import tar from 'tar-stream';
import { z } from 'zod';
import { AssayError, errorMessage, ioError } from '../model/errors.js';
import type { InputHead } from './detect.js';
import { checkSchema } from './schema.js';
import { SqliteReader } from './sqlite-reader.js';
import { DB_FILE, openReadOnly } from './store.js';
import { DB_SCHEMA_VERSION, type SourceInfo } from './types.js';

export const BUNDLE_METADATA = 'metadata.json';
const METADATA_MAX_BYTES = 16 * 1024 * 1024;
const GZIP_LEVEL = 6;

const metadataSchema = z.object({
  schemaVersion: z.number().int(),
  builtAt: z.string().optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  sources: z.array(z.looseObject({ id: z.string(), importer: z.string() })),
});
export type BundleMetadata = z.infer<typeof metadataSchema>;

export interface ExportResult {
  bytes: number;
  metadata: { schemaVersion: number; builtAt?: string; sha256: string; sources: SourceInfo[] };
}

/** True when a gunzipped head starts with the tar header of a bundle's first entry. */
export function isBundleHead(head: InputHead): boolean {
  const b = head.bytes;
  if (head.kind !== 'gzip' || !b || b.length < 512) return false;
  const name = b.subarray(0, 100).toString('latin1').replace(/\0.*$/s, '');
  return name === BUNDLE_METADATA && b.subarray(257, 262).toString('latin1') === 'ustar';
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function sibling(path: string, tag: string): string {
  return `${path}.${tag}-${randomBytes(6).toString('hex')}.tmp`;
}

/** Writes the bundle of the DB file `dbPath` to `out` (via a temporary file renamed at the end). */
export async function exportBundle(dbPath: string, out: string): Promise<ExportResult> {
  const compact = sibling(out, 'db');
  const partial = sibling(out, 'part');
  try {
    openReadOnly(dbPath).close(); // a clear error for a missing DB or another schema version
    await vacuumInto(dbPath, compact);
    // Read from the copy: it is the snapshot the bundle holds, even if an update swapped the DB meanwhile.
    const db = openReadOnly(compact);
    let info: ReturnType<SqliteReader['info']>;
    try {
      info = new SqliteReader(db).info();
    } finally {
      db.close();
    }
    const metadata = {
      schemaVersion: info.schemaVersion,
      ...(info.builtAt ? { builtAt: info.builtAt } : {}),
      sha256: await sha256File(compact),
      sources: info.sources,
    };
    const mtime = new Date(info.builtAt ? Date.parse(info.builtAt) : 0);
    await writeTarGz(partial, mtime, Buffer.from(`${JSON.stringify(metadata, null, 2)}\n`), compact);
    await rename(partial, out);
    return { bytes: (await stat(out)).size, metadata };
  } finally {
    await rm(compact, { force: true });
    await rm(partial, { force: true });
  }
}

// Run as plain JavaScript by the child: better-sqlite3's path, the DB, the destination.
const VACUUM_SCRIPT = `const Database = require(process.argv[1]);
const db = new Database(process.argv[2], { readonly: true, fileMustExist: true });
db.prepare('VACUUM INTO ?').run(process.argv[3]);
db.close();`;

/**
 * `VACUUM INTO` (https://www.sqlite.org/lang_vacuum.html#vacuuminto) in a child process: it takes
 * seconds for a 100 MB DB and is synchronous in better-sqlite3, so in-process it would stop the
 * manager answering its scanners while it publishes.
 */
async function vacuumInto(src: string, dest: string): Promise<void> {
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  const child = spawn(process.execPath, ['-e', VACUUM_SCRIPT, sqlite, src, dest], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    if (stderr.length < 8192) stderr += d;
  });
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) {
    const why = /^\w*Error: (.*)$/m.exec(stderr)?.[1] ?? (stderr.trim() || `exit ${code}`);
    throw new AssayError('database', `cannot compact ${src} into ${dest}: ${why}`);
  }
}

async function writeTarGz(out: string, mtime: Date, metadata: Buffer, dbFile: string): Promise<void> {
  const pack = tar.pack();
  const header = { mtime, mode: 0o644, uid: 0, gid: 0, uname: '', gname: '', type: 'file' as const };
  const written = pipeline(pack, createGzip({ level: GZIP_LEVEL }), createWriteStream(out));
  pack.entry({ ...header, name: BUNDLE_METADATA }, metadata);
  const size = (await stat(dbFile)).size;
  const entry = pack.entry({ ...header, name: DB_FILE, size });
  for await (const chunk of createReadStream(dbFile, { highWaterMark: 1 << 20 }))
    if (!entry.write(chunk as Buffer)) await once(entry, 'drain');
  entry.end(null);
  pack.finalize();
  await written;
}

export interface ExtractedBundle {
  /** The validated DB file, beside `dir`'s DB (the caller moves it into place). */
  file: string;
  metadata: BundleMetadata;
}

/**
 * Unpacks a bundle into a temporary file next to `siblingOf` and validates it: both entries
 * present, the DB's sha256 as stated, this schema version, and `PRAGMA integrity_check` ok.
 */
export async function extractBundle(path: string, siblingOf: string): Promise<ExtractedBundle> {
  const file = sibling(siblingOf, 'bundle');
  try {
    const { metadata, sha256 } = await unpack(path, file);
    if (!metadata) throw bad(path, `no ${BUNDLE_METADATA}`);
    if (!sha256) throw bad(path, `no ${DB_FILE}`);
    if (metadata.sha256 !== sha256)
      throw bad(path, `${DB_FILE} has sha256 ${sha256}, metadata says ${metadata.sha256}`);
    if (metadata.schemaVersion !== DB_SCHEMA_VERSION)
      throw new AssayError(
        'database',
        `${path}: bundle has schema version ${metadata.schemaVersion}, this assay needs ${DB_SCHEMA_VERSION}`,
      );
    validateDb(path, file);
    return { file, metadata };
  } catch (err) {
    rmSync(file, { force: true });
    throw err;
  }
}

function bad(path: string, why: string): AssayError {
  return new AssayError('invalid-input', `${path}: not a valid assay DB bundle: ${why}`);
}

function validateDb(path: string, file: string): void {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    checkSchema(db, path);
    const result = db.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw bad(path, `integrity check failed: ${String(result)}`);
  } catch (err) {
    if (err instanceof AssayError) throw err;
    throw bad(path, errorMessage(err));
  } finally {
    db?.close();
  }
}

async function unpack(path: string, dbOut: string): Promise<{ metadata?: BundleMetadata; sha256?: string }> {
  const extract = tar.extract();
  const input = createReadStream(path);
  const gunzip = createGunzip();
  input.on('error', (err) => extract.destroy(err));
  gunzip.on('error', (err) => extract.destroy(err));
  input.pipe(gunzip).pipe(extract);
  const found: { metadata?: BundleMetadata; sha256?: string } = {};
  let writeFailed: unknown;
  try {
    for await (const entry of extract) {
      const { name, type, size = 0 } = entry.header;
      if (type !== 'file') throw bad(path, `unexpected ${type} entry ${name}`);
      if (name === BUNDLE_METADATA && size > METADATA_MAX_BYTES)
        throw bad(path, `${BUNDLE_METADATA} is ${size} bytes, more than ${METADATA_MAX_BYTES}`);
      if (name === BUNDLE_METADATA) found.metadata = await readMetadata(path, entry);
      else if (name === DB_FILE)
        found.sha256 = await saveHashed(entry, dbOut, (e) => {
          writeFailed = e;
        });
      else throw bad(path, `unexpected entry ${name} (${size} bytes)`);
    }
  } catch (err) {
    if (err instanceof AssayError) throw err;
    // Only the DB file is written here: a system error is the disk's fault, not the archive's.
    if (writeFailed) throw ioError(`${path}: cannot unpack into ${dbOut}`, writeFailed);
    throw bad(path, `truncated or corrupt archive: ${errorMessage(err)}`);
  } finally {
    input.destroy();
  }
  return found;
}

/** tar-stream's entries are streamx streams, typed as yielding `unknown`; they yield Buffers. */
function asBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk);
  throw new TypeError(`unexpected tar chunk ${typeof chunk}`);
}

async function readMetadata(path: string, entry: AsyncIterable<unknown>): Promise<BundleMetadata> {
  const chunks: Buffer[] = [];
  for await (const c of entry) chunks.push(asBuffer(c));
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    throw bad(path, `${BUNDLE_METADATA} is not JSON: ${errorMessage(err)}`);
  }
  const parsed = metadataSchema.safeParse(doc);
  if (!parsed.success) throw bad(path, `${BUNDLE_METADATA}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Writes the entry to `out` and hashes it; a failed write is reported through `onWriteError`. */
async function saveHashed(
  entry: AsyncIterable<unknown>,
  out: string,
  onWriteError: (err: unknown) => void,
): Promise<string> {
  const hash = createHash('sha256');
  const sink = createWriteStream(out);
  sink.on('error', onWriteError);
  await pipeline(async function* () {
    for await (const c of entry) {
      const chunk = asBuffer(c);
      hash.update(chunk);
      yield chunk;
    }
  }, sink);
  return hash.digest('hex');
}
