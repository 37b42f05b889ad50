/**
 * Every write to the vulnerability DB goes through `buildDb`: it copies the DB in use to a
 * temporary file beside it, lets the caller import into the copy, and renames the copy over the
 * original only when everything succeeded — a failed or interrupted update never touches the DB
 * a scan is reading (https://www.sqlite.org/howtocorrupt.html: never copy or replace a DB file
 * while a connection writes to it; a rename of a closed file is atomic on POSIX). A pull swaps a
 * checked file in with `swapDbFile` (db-file.ts) under the same lock.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { acquireBuildLock } from './build-lock.js';
import { dbFilePath, fsyncPath, removeLeftovers, tempDbPath } from './db-file.js';
import type { AdvisoryImporter, ImporterId, ImportIssue } from './importer.js';
import type { VulnDbReader } from './reader.js';
import { SqliteBuilder } from './sqlite-builder.js';
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
