/**
 * Every write to the vulnerability DB goes through `buildDb`: it copies the DB in use to a
 * temporary file beside it, lets the caller import into the copy, and renames the copy over the
 * original only when everything succeeded — a failed or interrupted update never touches the DB
 * a scan is reading (https://www.sqlite.org/howtocorrupt.html: never copy or replace a DB file
 * while a connection writes to it; a rename of a closed file is atomic on POSIX).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireBuildLock } from './build-lock.js';
import type { AdvisoryImporter, ImporterId, ImportIssue } from './importer.js';
import type { VulnDbReader } from './reader.js';
import { SqliteBuilder } from './sqlite-builder.js';
import { DB_FILE, dbFilePath } from './store.js';
import type { SourceInfo } from './types.js';

export interface ImportFileOptions {
  /** Skip detection and use this importer (`db import --format`). */
  importer?: ImporterId;
  /** How the input is named in issues and errors (default: the path). */
  label?: string;
  /** Import metadata to record (the updater passes the URL, validators and cursor). */
  source?: Partial<Pick<SourceInfo, 'id' | 'url' | 'etag' | 'lastModified' | 'cursor' | 'dataDate'>>;
  onIssue?(issue: ImportIssue): void;
  onProgress?(records: number): void;
  signal?: AbortSignal;
  maxRecordBytes?: number;
}

export interface ImportFileResult {
  importer: ImporterId;
  sourceId: string;
  records: number;
  skipped: number;
  issues: number;
  dataDate?: string;
  scope?: string;
}

export interface DbBuilder {
  /**
   * Imports one file, directory or archive in its own transaction: when the importer throws,
   * that input's writes are rolled back, an AssayError is thrown and the builder stays usable.
   */
  importFile(path: string, opts?: ImportFileOptions): Promise<ImportFileResult>;
  /** `importFile` with an importer object instead of a registry id (tests, benches, wrappers). */
  importWith(importer: AdvisoryImporter, path: string, opts?: ImportFileOptions): Promise<ImportFileResult>;
  source(id: string): SourceInfo | undefined;
  /** Upserts one import-metadata row. */
  setSource(info: SourceInfo): void;
  /** Reads the DB being built, writes included. Invalid after `replaceWith`. */
  reader(): VulnDbReader;
  /** What the build started from: a copy of the DB in use, nothing, or nothing because the old one was unusable. */
  readonly startedFrom: 'copy' | 'empty' | 'replaced-unusable';
  /** Replaces the whole DB being built with a validated DB file (moved, not copied): `db import BUNDLE`. */
  replaceWith(validatedFile: string): void;
}

const TEMP_PREFIX = `.${DB_FILE}.`;
const TEMP_SUFFIX = '.tmp';

/** A temporary file name in `dir` for a DB being written (removed on failure, or by the next build). */
export function tempDbPath(dir: string): string {
  return join(dir, `${TEMP_PREFIX}${process.pid}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
}

export async function buildDb<T>(dir: string, fn: (b: DbBuilder) => Promise<T>): Promise<T> {
  await mkdir(dir, { recursive: true });
  const lock = acquireBuildLock(dir);
  const tmp = tempDbPath(dir);
  try {
    removeLeftovers(dir);
    const builder = new SqliteBuilder(tmp, dbFilePath(dir));
    let result: T;
    try {
      result = await fn(builder);
      builder.finish();
    } finally {
      builder.close();
    }
    fsyncPath(tmp);
    await rename(tmp, dbFilePath(dir));
    fsyncPath(dir);
    return result;
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  } finally {
    lock.release();
  }
}

/**
 * Moves a validated DB file (in `dir` or a directory inside it: the same file system) over the
 * DB in use under the build lock, then runs `afterSwap` still under the lock. Unlike
 * `replaceWith`, nothing is copied: no copy of the old DB, no copy of the new one (`db update
 * --from` of a ~100 MB DB). The file must already be a checked DB of this schema.
 */
export async function swapDbFile(
  dir: string,
  validatedFile: string,
  afterSwap?: () => Promise<void>,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const lock = acquireBuildLock(dir);
  try {
    removeLeftovers(dir);
    fsyncPath(validatedFile);
    await rename(validatedFile, dbFilePath(dir));
    fsyncPath(dir);
    await afterSwap?.();
  } finally {
    lock.release();
  }
}

/** Temporary files of builds that crashed; only called while holding the lock. */
function removeLeftovers(dir: string): void {
  for (const name of readdirSync(dir))
    if (name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX)) rmSync(join(dir, name), { force: true });
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
