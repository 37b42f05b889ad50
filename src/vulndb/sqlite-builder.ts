/**
 * The `DbBuilder` that `buildDb` hands out: one read-write connection to the temporary DB file,
 * the SQLite sink importers write through, and the reader over the same connection.
 */
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { AssayError, wrapError } from '../model/errors.js';
import type { DbBuilder, ImportFileOptions, ImportFileResult } from './build.js';
import { detectImporter } from './detect.js';
import {
  type AdvisoryImporter,
  DEFAULT_MAX_RECORD_BYTES,
  type ImportContext,
  type ImporterId,
  type ImportStats,
} from './importer.js';
import { importerById } from './importers/registry.js';
import type { VulnDbReader } from './reader.js';
import { checkSchema, createSchema, writeMeta } from './schema.js';
import { SqliteReader } from './sqlite-reader.js';
import { SqliteSink } from './sqlite-sink.js';
import type { SourceInfo } from './types.js';

/** Opens `tmp` read-write, starting from a copy of `current` when that is a usable DB of this schema. */
function openCopy(tmp: string, current: string): { db: Database.Database; from: DbBuilder['startedFrom'] } {
  let from: DbBuilder['startedFrom'] = 'empty';
  if (existsSync(current)) {
    copyFileSync(current, tmp);
    try {
      const db = tune(new Database(tmp));
      checkSchema(db, current);
      return { db, from: 'copy' };
    } catch {
      // Another schema version, or not a DB at all: it is rebuilt, never misread.
      from = 'replaced-unusable';
      rmSync(tmp, { force: true });
    }
  }
  const db = tune(new Database(tmp));
  createSchema(db);
  return { db, from };
}

/**
 * The temporary file is thrown away on any failure, so durability settings buy nothing while
 * writing: no fsync per transaction, rollback journal in memory (still able to roll back one
 * failed input, which journal_mode=OFF is not). `finish` fsyncs once before the rename.
 */
function tune(db: Database.Database): Database.Database {
  db.pragma('journal_mode = MEMORY');
  db.pragma('synchronous = OFF');
  db.pragma('temp_store = MEMORY');
  // Index inserts land all over the file: a cache of 256 MiB (allocated only as used) keeps them
  // off the disk until the end.
  db.pragma('cache_size = -262144');
  return db;
}

/**
 * The builder's reader: `packages` is derived at the end of each import, so before answering
 * from it this brings it up to date with the writes of the import in progress (a no-op between
 * imports).
 */
class BuildingReader extends SqliteReader {
  constructor(
    db: Database.Database,
    private readonly sink: SqliteSink,
  ) {
    super(db);
  }

  override affected(ecosystem: string, name: string) {
    this.sink.refreshPackages();
    return super.affected(ecosystem, name);
  }

  override ecosystems() {
    this.sink.refreshPackages();
    return super.ecosystems();
  }
}

export class SqliteBuilder implements DbBuilder {
  private db: Database.Database;
  private sink: SqliteSink;
  private current: SqliteReader;
  readonly startedFrom: DbBuilder['startedFrom'];
  /** Set by `replaceWith`, cleared by any write after it. */
  private keepBuiltAt = false;
  /** importFile calls run one after another: each owns the connection's transaction. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly tmp: string,
    currentDb: string,
  ) {
    const { db, from } = openCopy(tmp, currentDb);
    this.db = db;
    this.startedFrom = from;
    this.sink = new SqliteSink(db);
    this.current = new BuildingReader(db, this.sink);
  }

  importFile(path: string, opts: ImportFileOptions = {}): Promise<ImportFileResult> {
    return this.enqueue(async () =>
      this.importNow(opts.importer ? importerById(opts.importer) : await detectImporter(path), path, opts),
    );
  }

  importWith(
    importer: AdvisoryImporter,
    path: string,
    opts: ImportFileOptions = {},
  ): Promise<ImportFileResult> {
    return this.enqueue(() => this.importNow(importer, path, opts));
  }

  private enqueue<R>(fn: () => Promise<R>): Promise<R> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  source(id: string): SourceInfo | undefined {
    return this.current.source(id);
  }

  setSource(info: SourceInfo): void {
    this.keepBuiltAt = false;
    this.db
      .prepare(
        `INSERT OR REPLACE INTO sources (id, importer, url, etag, last_modified, records, issues, imported_at,
           data_date, cursor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        info.id,
        info.importer,
        info.url ?? null,
        info.etag ?? null,
        info.lastModified ?? null,
        info.records,
        info.issues,
        info.importedAt,
        info.dataDate ?? null,
        info.cursor ?? null,
      );
  }

  reader(): VulnDbReader {
    return this.current;
  }

  replaceWith(validatedFile: string): void {
    this.keepBuiltAt = true;
    this.db.close();
    copyFileSync(validatedFile, this.tmp);
    rmSync(validatedFile, { force: true });
    this.db = tune(new Database(this.tmp));
    checkSchema(this.db, validatedFile);
    this.sink = new SqliteSink(this.db);
    this.current = new BuildingReader(this.db, this.sink);
  }

  finish(): void {
    // A bundle imported as is keeps its build time: `db status` must show how old its data is.
    if (!this.keepBuiltAt) writeMeta(this.db, 'built_at', new Date().toISOString());
    // Snapshots delete as much as they insert: give back the free pages once they are a quarter of the file.
    const free = Number(this.db.pragma('freelist_count', { simple: true }));
    const pages = Number(this.db.pragma('page_count', { simple: true }));
    if (free * 4 > pages) this.db.exec('VACUUM');
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private async importNow(
    importer: AdvisoryImporter,
    path: string,
    opts: ImportFileOptions,
  ): Promise<ImportFileResult> {
    const label = opts.label ?? path;
    let issues = 0;
    const ctx: ImportContext = {
      label,
      issue: (i) => {
        issues++;
        opts.onIssue?.(i);
      },
      maxRecordBytes: opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
    };
    if (opts.onProgress) ctx.progress = opts.onProgress;
    if (opts.signal) ctx.signal = opts.signal;
    this.keepBuiltAt = false;
    this.db.exec('BEGIN');
    this.sink.beginImport();
    try {
      const stats = await importer.import(path, this.sink, ctx);
      if (opts.signal?.aborted) throw new AssayError('aborted', `${label}: aborted`);
      this.sink.refreshPackages();
      const result = this.record(path, importer.id, stats, issues, opts);
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw wrapError(err, `${label} (${importer.id})`, 'invalid-input');
    } finally {
      this.sink.endImport();
    }
  }

  private record(
    path: string,
    importer: ImporterId,
    stats: ImportStats,
    issues: number,
    opts: ImportFileOptions,
  ): ImportFileResult {
    const src = opts.source ?? {};
    // Without a scope the file is the source: its full path, so two `sample.zip` files in
    // different folders stay two sources (a basename would let the second overwrite the first).
    const sourceId = src.id ?? stats.scope ?? `${importer}:${resolve(path)}`;
    const dataDate = src.dataDate ?? stats.dataDate;
    const info: SourceInfo = {
      id: sourceId,
      importer,
      records: stats.records,
      issues,
      importedAt: new Date().toISOString(),
    };
    for (const k of ['url', 'etag', 'lastModified', 'cursor'] as const) if (src[k]) info[k] = src[k];
    if (dataDate) info.dataDate = dataDate;
    this.setSource(info);
    const result: ImportFileResult = {
      importer,
      sourceId,
      records: stats.records,
      skipped: stats.skipped,
      issues,
    };
    if (dataDate) result.dataDate = dataDate;
    if (stats.scope) result.scope = stats.scope;
    return result;
  }
}
