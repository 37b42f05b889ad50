/**
 * The pure entry point: rpmdb bytes in, package records and located problems out. No I/O, no
 * rpm binary, never throws for bad input. Which of the three formats a file is follows from its
 * name (rpm fixes them: lib/backend/{sqlite.c,ndb/glue.c,bdb_ro.c}); a file whose bytes do not
 * match its name gets a precise wrong-magic problem from the backend.
 */
import { posix } from 'node:path';
import { scanBdb } from './bdb.js';
import type { BlobScan, RpmBlob, RpmDbFormat } from './blob.js';
import { parseHeader } from './header.js';
import { scanNdb } from './ndb.js';
import { hex, problemFrom, type RpmDbProblem } from './problems.js';
import { type RpmPackageRecord, readRecord } from './record.js';
import { scanSqlite } from './sqlite.js';

export type { RpmDbFormat } from './blob.js';
export type { RpmDbProblem } from './problems.js';
export type { RpmPackageRecord } from './record.js';

export interface RpmDbParseResult {
  format: RpmDbFormat;
  /** In key order (the order rpm installed them). */
  records: RpmPackageRecord[];
  problems: RpmDbProblem[];
}

const FORMAT_OF_NAME: Readonly<Record<string, RpmDbFormat>> = {
  'rpmdb.sqlite': 'sqlite',
  'Packages.db': 'ndb',
  Packages: 'bdb',
};

/** The format rpm uses for a database file of this name, if it is one. */
export function rpmDbFormatOf(path: string): RpmDbFormat | undefined {
  return FORMAT_OF_NAME[posix.basename(path)];
}

const scanners: Readonly<Record<RpmDbFormat, (file: Buffer) => BlobScan>> = {
  sqlite: scanSqlite,
  ndb: scanNdb,
  bdb: scanBdb,
};

export function parseRpmDb(format: RpmDbFormat, file: Buffer): RpmDbParseResult {
  let scan: BlobScan;
  try {
    scan = scanners[format](file);
  } catch (err) {
    // The scanners catch their own format errors; this is the net for anything unforeseen.
    scan = { blobs: [], problems: [problemFrom(err, `reading the ${format} database`)] };
  }
  const records: RpmPackageRecord[] = [];
  const problems = [...scan.problems];
  const blobs = [...scan.blobs].sort((a, b) => a.key - b.key);
  for (const blob of blobs) {
    const result = decodeBlob(blob);
    if (result.record) records.push(result.record);
    problems.push(...result.problems);
  }
  return { format, records, problems };
}

function decodeBlob(blob: RpmBlob): { record?: RpmPackageRecord; problems: RpmDbProblem[] } {
  const context =
    blob.offset === undefined
      ? `record ${blob.key}`
      : `record ${blob.key} (blob at offset ${hex(blob.offset)})`;
  try {
    return readRecord(parseHeader(blob.bytes), blob.key, context);
  } catch (err) {
    const problem = problemFrom(err, `${context}: header`, blob.key);
    // Header errors are located inside the blob (in the message); the file offset is the blob's.
    delete problem.offset;
    return { problems: [blob.offset === undefined ? problem : { ...problem, offset: blob.offset }] };
  }
}
