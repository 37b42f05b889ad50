/**
 * The SQLite schema of the vulnerability DB (one file, `vulnerabilities.db`). Child rows point
 * at their advisory by its integer rowid rather than repeating (feed, id): smaller rows, and an
 * advisory's replacement or a scope's snapshot deletes its children through one index each.
 * Lists that are only ever read whole (aliases, references, CWE ids, ranges, versions) are compact JSON;
 * the ids an advisory answers to are also rows of `advisory_ids`, the index `advisoriesFor` needs.
 */
import type Database from 'better-sqlite3';
import { AssayError, errorMessage } from '../model/errors.js';
import { DB_SCHEMA_VERSION } from './types.js';

const DDL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE advisories (
  rowid INTEGER PRIMARY KEY,
  feed TEXT NOT NULL,
  id TEXT NOT NULL,
  scope TEXT,
  aliases TEXT NOT NULL,
  related TEXT,
  summary TEXT,
  details TEXT,
  published TEXT,
  modified TEXT,
  withdrawn TEXT,
  vendor_severity TEXT,
  refs TEXT NOT NULL,
  -- CWE ids as a JSON array (CVE records' problemTypes); NULL when the feed names none.
  cwes TEXT,
  UNIQUE (feed, id)
);
CREATE INDEX advisories_scope ON advisories (scope) WHERE scope IS NOT NULL;

-- Every id an advisory answers to: its own and each alias.
CREATE TABLE advisory_ids (
  vuln_id TEXT NOT NULL,
  adv INTEGER NOT NULL,
  PRIMARY KEY (vuln_id, adv)
) WITHOUT ROWID;
CREATE INDEX advisory_ids_adv ON advisory_ids (adv);

CREATE TABLE affected (
  adv INTEGER NOT NULL,
  ecosystem TEXT NOT NULL,
  package TEXT NOT NULL,
  purl TEXT,
  status TEXT NOT NULL,
  ranges TEXT NOT NULL,
  versions TEXT,
  fixed TEXT,
  vendor_severity TEXT
);
CREATE INDEX affected_package ON affected (ecosystem, package);
CREATE INDEX affected_adv ON affected (adv);

-- Derived from affected + advisories at the end of every import (sqlite-sink.ts refreshPackages):
-- one row per package holding all its entries as one compact JSON array (packed-entries.ts), so
-- the matcher's lookup is one seek and one JSON.parse instead of a row, a join and two parses per
-- entry. A rowid table, not WITHOUT ROWID: rows of a kilobyte or more would spill into overflow
-- pages of an index b-tree (https://www.sqlite.org/withoutrowid.html, section 4).
CREATE TABLE packages (
  ecosystem TEXT NOT NULL,
  package TEXT NOT NULL,
  entries TEXT NOT NULL
);
CREATE UNIQUE INDEX packages_key ON packages (ecosystem, package);

-- Scores tied to an advisory (adv set, replaced with it) or standalone (adv NULL, upserted by key).
CREATE TABLE cvss (
  adv INTEGER,
  vuln_id TEXT NOT NULL,
  source TEXT NOT NULL,
  source_name TEXT NOT NULL,
  version TEXT NOT NULL,
  vector TEXT NOT NULL,
  base_score REAL NOT NULL,
  scope TEXT,
  -- The feed that stated a standalone score (NVD, CVE records); replaced per (feed, vuln_id).
  feed TEXT
);
CREATE INDEX cvss_vuln ON cvss (vuln_id);
CREATE INDEX cvss_adv ON cvss (adv) WHERE adv IS NOT NULL;
CREATE UNIQUE INDEX cvss_key ON cvss (vuln_id, feed, source, source_name, version) WHERE adv IS NULL;

CREATE TABLE epss (
  cve TEXT PRIMARY KEY,
  score REAL NOT NULL,
  percentile REAL NOT NULL,
  date TEXT,
  model_version TEXT,
  scope TEXT
) WITHOUT ROWID;

CREATE TABLE kev (
  cve TEXT PRIMARY KEY,
  vendor_project TEXT,
  product TEXT,
  name TEXT,
  date_added TEXT NOT NULL,
  due_date TEXT,
  required_action TEXT,
  ransomware INTEGER NOT NULL,
  notes TEXT,
  scope TEXT
) WITHOUT ROWID;

-- SHA-256 threat deny-lists (importers/threat-hashes): one row per hash per list, source the
-- list's scope (= its source id), so two lists holding one hash each keep it and a list's
-- re-import replaces only its own rows. Lookups seek by hash (the key's first column).
CREATE TABLE threat_hashes (
  sha256 TEXT NOT NULL,
  source TEXT NOT NULL,
  name TEXT,
  PRIMARY KEY (sha256, source)
) WITHOUT ROWID;
CREATE INDEX threat_hashes_source ON threat_hashes (source);

CREATE TABLE sources (
  id TEXT PRIMARY KEY,
  importer TEXT NOT NULL,
  url TEXT,
  etag TEXT,
  last_modified TEXT,
  records INTEGER NOT NULL,
  issues INTEGER NOT NULL,
  imported_at TEXT NOT NULL,
  data_date TEXT,
  cursor TEXT
) WITHOUT ROWID;
`;

/** Creates the tables in an empty database and stamps the schema version. */
export function createSchema(db: Database.Database): void {
  db.exec(DDL);
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('schema_version', String(DB_SCHEMA_VERSION));
}

export function readMeta(db: Database.Database, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key);
  return typeof row === 'string' ? row : undefined;
}

export function writeMeta(db: Database.Database, key: string, value: string): void {
  db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

/**
 * Throws a 'database' error unless `db` is a vulnerability DB of this schema version: a DB of
 * another version is rebuilt by `db update`, never misread.
 */
export function checkSchema(db: Database.Database, path: string): void {
  let version: string | undefined;
  try {
    version = readMeta(db, 'schema_version');
  } catch (err) {
    throw new AssayError('database', `${path} is not an Assay vulnerability DB: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  if (version !== String(DB_SCHEMA_VERSION))
    throw new AssayError(
      'database',
      `${path} has schema version ${version ?? 'none'}, this assay needs ${DB_SCHEMA_VERSION}: run \`assay db update\` to rebuild it`,
    );
  const missing = missingTables(db);
  if (missing.length > 0)
    throw new AssayError(
      'database',
      `${path} lacks the table(s) ${missing.join(', ')} (written by an older development build): run \`assay db update\` to rebuild it`,
    );
}

const TABLES = [...DDL.matchAll(/^CREATE TABLE (\w+)/gm)].map((m) => m[1] as string);

/** Tables of the DDL absent from `db`: the schema changed during development without a version bump. */
function missingTables(db: Database.Database): string[] {
  const present = new Set(
    db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[],
  );
  return TABLES.filter((t) => !present.has(t));
}
