/**
 * The vulnerability DB a scan reads: `vulnerabilities.db` in the DB directory, opened read-only.
 * It is only ever replaced whole (by `buildDb`'s atomic rename), so an open handle keeps reading
 * the file it opened while an update swaps in the next one.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { DenyList } from '../content/types.js';
import { AssayError, errorMessage } from '../model/errors.js';
import { dbFilePath } from './db-file.js';
import { checkSchema } from './schema.js';
import { SqliteReader } from './sqlite-reader.js';

export { DB_FILE, dbFilePath } from './db-file.js';

/** Upper bound of the memory map (address space, not memory): larger than any DB of every feed. */
const MMAP_BYTES = 16 * 1024 ** 3;

export function missingDbError(path: string): AssayError {
  return new AssayError(
    'database',
    `no vulnerability DB at ${path}: run \`assay db update\` (online) or \`assay db import FILES\` (offline)`,
  );
}

/** Opens an SQLite file read-only and checks it is a DB of this schema version. */
export function openReadOnly(path: string): Database.Database {
  if (!existsSync(path)) throw missingDbError(path);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new AssayError('database', `cannot open the vulnerability DB ${path}: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  try {
    // Reads through a memory map cost no system call per page: lookups several times faster on
    // a DB far larger than the page cache (https://www.sqlite.org/mmap.html; safe read-only).
    db.pragma(`mmap_size = ${MMAP_BYTES}`);
    // Take the shared lock once instead of once per query (fcntl calls were most of a lookup's
    // time). Nothing ever writes this file: a build renames a new file over it.
    db.pragma('locking_mode = EXCLUSIVE');
    checkSchema(db, path);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

export class VulnDb extends SqliteReader {
  readonly path: string;
  /** The file never changes while open (a build renames a new one over it): asked once per scan, computed once. */
  private namespaces: readonly string[] | undefined;
  private denyList: DenyList | undefined;
  private denyListSize: number | undefined;

  private constructor(db: Database.Database, path: string) {
    super(db);
    this.path = path;
  }

  /** The DB in `dir`; a 'database' error when it is missing, not a DB, or of another schema version. */
  static open(dir: string): VulnDb {
    const path = dbFilePath(dir);
    return new VulnDb(openReadOnly(path), path);
  }

  override ecosystems(): readonly string[] {
    this.namespaces ??= Object.freeze([...super.ecosystems()]);
    return this.namespaces;
  }

  override threatHashes(): DenyList {
    this.denyList ??= super.threatHashes();
    return this.denyList;
  }

  override threatHashCount(): number {
    this.denyListSize ??= this.denyList?.size ?? super.threatHashCount();
    return this.denyListSize;
  }

  close(): void {
    this.db.close();
  }
}
