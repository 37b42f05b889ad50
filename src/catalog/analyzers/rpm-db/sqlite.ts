/**
 * rpmdb.sqlite, rpm's default backend since 4.16 (Fedora 33+, RHEL/CentOS Stream/Rocky/Alma 9+,
 * Amazon Linux 2023): table `Packages(hnum INTEGER PRIMARY KEY, blob BLOB)`
 * with one header blob per installed package (rpm lib/backend/sqlite.c). The other tables are
 * indexes rebuilt from the headers and are not read.
 *
 * The database is opened from memory (better-sqlite3 deserialises a Buffer), read-only: no temp
 * file, and nothing the image contains can make SQLite write anywhere.
 */
import Database from 'better-sqlite3';
import type { BlobScan, RpmBlob } from './blob.js';
import { problemFrom, type RpmDbProblem } from './problems.js';

/** "SQLite format 3\0" (https://www.sqlite.org/fileformat2.html#magic_header_string). */
const SQLITE_MAGIC = Buffer.from('SQLite format 3\u0000', 'latin1');
/** File-format write/read version bytes: 2 means WAL mode (fileformat2.html, offsets 18 and 19). */
const WRITE_VERSION_AT = 18;
const READ_VERSION_AT = 19;
const WAL_MODE = 2;
const LEGACY_MODE = 1;
const SQLITE_HEADER_SIZE = 100;

export function scanSqlite(file: Buffer): BlobScan {
  if (!file.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) {
    const found =
      file.length === 0
        ? 'is empty'
        : `starts with ${file.subarray(0, SQLITE_MAGIC.length).toString('hex')}, not "SQLite format 3"`;
    return {
      blobs: [],
      problems: [
        { code: 'corrupt-database', offset: 0, message: `not an SQLite database: the file ${found}` },
      ],
    };
  }
  const truncated = truncation(file);
  let db: Database.Database;
  try {
    db = new Database(withoutWal(file), { readonly: true });
  } catch (err) {
    return { blobs: [], problems: [...truncated, sqliteProblem(err, 'SQLite could not open the database')] };
  }
  try {
    const scan = readPackages(db);
    return { blobs: scan.blobs, problems: [...truncated, ...scan.problems] };
  } finally {
    db.close();
  }
}

/**
 * SQLite only says "database disk image is malformed" for a cut-off file; the header's page
 * size and page count (fileformat2.html, offsets 16 and 28, the count valid when the number
 * at offset 92 equals the change counter at 24) let the problem say what really happened.
 */
function truncation(file: Buffer): RpmDbProblem[] {
  if (file.length < SQLITE_HEADER_SIZE) {
    return [
      {
        code: 'truncated-file',
        offset: file.length,
        message: `SQLite file of ${file.length} bytes, shorter than its ${SQLITE_HEADER_SIZE}-byte header`,
      },
    ];
  }
  const rawPageSize = file.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const pages = file.readUInt32BE(28);
  const countValid = file.readUInt32BE(92) === file.readUInt32BE(24);
  if (!countValid || pages === 0 || pageSize * pages <= file.length) return [];
  return [
    {
      code: 'truncated-file',
      offset: file.length,
      message: `SQLite header declares ${pages} pages of ${pageSize} bytes (${pageSize * pages} bytes), the file has ${file.length}`,
    },
  ];
}

/** SQLite's own error code (`SQLITE_CORRUPT`, `SQLITE_NOTADB`…) is the most precise thing it says. */
function sqliteProblem(err: unknown, context: string): RpmDbProblem {
  const problem = problemFrom(err, context);
  const code = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
  return code === undefined ? problem : { ...problem, message: `${problem.message} (${code})` };
}

/**
 * SQLite refuses to open an in-memory image of a WAL-mode database (SQLITE_CANTOPEN), and rpm
 * leaves its database in WAL mode. The two version bytes are the only difference on disk once
 * the WAL is checkpointed, so a copy with them set to the rollback-journal value reads the same
 * pages. Pages still in an un-checkpointed `rpmdb.sqlite-wal` are not seen (README).
 */
function withoutWal(file: Buffer): Buffer {
  if (
    file.length <= READ_VERSION_AT ||
    (file[WRITE_VERSION_AT] !== WAL_MODE && file[READ_VERSION_AT] !== WAL_MODE)
  )
    return file;
  const copy = Buffer.from(file);
  copy[WRITE_VERSION_AT] = LEGACY_MODE;
  copy[READ_VERSION_AT] = LEGACY_MODE;
  return copy;
}

function readPackages(db: Database.Database): BlobScan {
  const blobs: RpmBlob[] = [];
  const problems: RpmDbProblem[] = [];
  let lastKey: number | undefined;
  try {
    const refusal = checkSchema(db);
    if (refusal !== undefined)
      return { blobs, problems: [{ code: 'corrupt-database', message: `not an rpm database: ${refusal}` }] };
    const rows = db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum').raw().iterate();
    for (const row of rows) {
      const blob = toBlob(row, problems);
      if (blob === undefined) continue;
      blobs.push(blob);
      lastKey = blob.key;
    }
  } catch (err) {
    // A corrupt page ends the scan where it is: what was read so far stays (principle 6).
    const after = lastKey === undefined ? '' : ` after hnum ${lastKey}`;
    problems.push(sqliteProblem(err, `reading table Packages${after}`));
  }
  return { blobs, problems };
}

/**
 * The schema is part of the untrusted file: a `Packages` VIEW (say, an endless recursive query)
 * or a virtual table (code of an extension module) must not run. Only a plain table is read.
 */
function checkSchema(db: Database.Database): string | undefined {
  const row: unknown = db.prepare("SELECT type, sql FROM sqlite_master WHERE name = 'Packages'").raw().get();
  if (!Array.isArray(row)) return 'no Packages table';
  const [type, sql]: unknown[] = row;
  if (type !== 'table') return `Packages is a ${String(type)}, not a table`;
  if (typeof sql === 'string' && /^\s*CREATE\s+VIRTUAL\b/i.test(sql)) return 'Packages is a virtual table';
  return undefined;
}

function toBlob(row: unknown, problems: RpmDbProblem[]): RpmBlob | undefined {
  if (!Array.isArray(row)) return undefined;
  const [hnum, blob]: unknown[] = row;
  if (typeof hnum !== 'number' || !Number.isSafeInteger(hnum)) {
    problems.push({
      code: 'corrupt-database',
      message: `Packages row with a non-integer hnum (${String(hnum)})`,
    });
    return undefined;
  }
  if (!Buffer.isBuffer(blob)) {
    problems.push({
      code: 'corrupt-database',
      key: hnum,
      message: `Packages row hnum ${hnum}: blob is ${blob === null ? 'NULL' : typeof blob}, not a BLOB`,
    });
    return undefined;
  }
  return { key: hnum, bytes: blob };
}
