/**
 * `VulnDbReader` over an open SQLite connection: the read-only DB a scan opens (`store.ts`) and
 * the builder's connection while it writes (`build.ts`) answer through this one class, so both
 * give the same answers as `testing/memory-db.ts` (checked by `store.test.ts`). Statements are
 * prepared once per connection; the matcher calls `affected` once per package, answered from the
 * derived `packages` table (one row per package, see `schema.ts`).
 */
import type Database from 'better-sqlite3';
import type { DenyList, DenyListEntry } from '../content/types.js';
import { normalizePackageName } from './names.js';
import { parseRanges, unpack } from './packed-entries.js';
import type { AdvisoryInfo, AffectedEntry, DbInfo, VulnDbReader } from './reader.js';
import { readMeta } from './schema.js';
import {
  type CvssRecord,
  type CvssSource,
  type CvssVersion,
  DB_SCHEMA_VERSION,
  type EpssRecord,
  type FixStatus,
  type KevRecord,
  type Reference,
  type SourceInfo,
} from './types.js';

type Row = Record<string, unknown>;

const AFFECTED_COLUMNS =
  'a.feed, a.id, f.ecosystem, f.package, f.purl, f.status, f.ranges, f.versions, f.fixed, f.vendor_severity';

const ADVISORY_COLUMNS =
  'rowid, feed, id, aliases, related, summary, details, published, modified, withdrawn, vendor_severity, refs, cwes';

/** Copies the non-null columns of `row` named in `map` (column → property). */
function optional(row: Row, map: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [column, prop] of Object.entries(map)) {
    const v = row[column];
    if (v !== null && v !== undefined) out[prop] = String(v);
  }
  return out;
}

function parseJson<T>(text: unknown): T {
  return JSON.parse(String(text)) as T;
}

export class SqliteReader implements VulnDbReader {
  private readonly q: ReturnType<typeof prepareQueries>;

  constructor(protected readonly db: Database.Database) {
    this.q = prepareQueries(db);
  }

  /** One seek in `packages` and one JSON.parse: the matcher calls this once per package. */
  affected(ecosystem: string, name: string): readonly AffectedEntry[] {
    const pkg = normalizePackageName(ecosystem, name);
    const packed: unknown = this.q.packages.get(ecosystem, pkg);
    return typeof packed === 'string' ? unpack(ecosystem, pkg, packed) : [];
  }

  /** The affected entries of one advisory (`db search ID`). */
  affectedOf(feed: string, advisoryId: string): readonly AffectedEntry[] {
    return toEntries(this.q.affectedOf.all(feed, advisoryId) as unknown[][]);
  }

  advisory(feed: string, id: string): AdvisoryInfo | undefined {
    const row = this.q.advisory.get(feed, id) as Row | undefined;
    return row && this.toAdvisory(row);
  }

  advisoriesFor(id: string): readonly AdvisoryInfo[] {
    return (this.q.advisoriesFor.all(id) as Row[]).map((row) => this.toAdvisory(row));
  }

  cvss(ids: readonly string[]): readonly CvssRecord[] {
    const out: CvssRecord[] = [];
    for (const id of new Set(ids)) for (const row of this.q.cvss.all(id) as Row[]) out.push(toCvss(row));
    return out;
  }

  epss(cve: string): EpssRecord | undefined {
    const row = this.q.epss.get(cve) as Row | undefined;
    if (!row) return undefined;
    return {
      cve: String(row.cve),
      score: Number(row.score),
      percentile: Number(row.percentile),
      ...optional(row, { date: 'date', model_version: 'modelVersion' }),
    };
  }

  kev(cve: string): KevRecord | undefined {
    const row = this.q.kev.get(cve) as Row | undefined;
    if (!row) return undefined;
    return {
      cve: String(row.cve),
      dateAdded: String(row.date_added),
      knownRansomwareCampaignUse: row.ransomware === 1,
      ...optional(row, {
        vendor_project: 'vendorProject',
        product: 'product',
        name: 'name',
        due_date: 'dueDate',
        required_action: 'requiredAction',
        notes: 'notes',
      }),
    };
  }

  /**
   * Walks the (ecosystem, package) index from one distinct ecosystem to the next: a seek per
   * namespace instead of a scan of every affected row.
   */
  ecosystems(): readonly string[] {
    const out: string[] = [];
    let next = this.q.firstEcosystem.get() as string | null | undefined;
    while (typeof next === 'string') {
      out.push(next);
      next = this.q.nextEcosystem.get(next) as string | null | undefined;
    }
    return out;
  }

  threatHashes(): DenyList {
    const out = new Map<string, DenyListEntry>();
    // Key order (sha256, source): a hash's rows are adjacent, the first source id first.
    for (const [hash, source, name] of this.q.threatHashes.iterate() as Iterable<
      [string, string, string | null]
    >) {
      const earlier = out.get(hash);
      if (earlier === undefined || (earlier.name === undefined && name !== null))
        out.set(hash, threatEntry(source, name));
    }
    return out;
  }

  threatHash(sha256: string): DenyListEntry | undefined {
    const row = this.q.threatHash.get(sha256.toLowerCase()) as [string, string | null] | undefined;
    return row && threatEntry(row[0], row[1]);
  }

  threatHashCount(): number {
    return Number(this.q.threatHashCount.get());
  }

  info(): DbInfo {
    const info: DbInfo = {
      schemaVersion: Number(readMeta(this.db, 'schema_version') ?? DB_SCHEMA_VERSION),
      sources: (this.q.sources.all() as Row[]).map(toSource),
    };
    const builtAt = readMeta(this.db, 'built_at');
    if (builtAt) info.builtAt = builtAt;
    return info;
  }

  /** One import-metadata row. */
  source(id: string): SourceInfo | undefined {
    const row = this.q.source.get(id) as Row | undefined;
    return row && toSource(row);
  }

  /** Entries for `name` in every namespace, each normalised by its ecosystem's rule (`db search --package`). */
  affectedInAnyEcosystem(name: string): readonly AffectedEntry[] {
    return this.ecosystems().flatMap((e) => this.affected(e, name));
  }

  private toAdvisory(row: Row): AdvisoryInfo {
    const info: AdvisoryInfo = {
      feed: String(row.feed),
      id: String(row.id),
      aliases: parseJson<string[]>(row.aliases),
      references: parseJson<Reference[]>(row.refs),
      cvss: (this.q.advisoryCvss.all(row.rowid) as Row[]).map(toCvss),
      ...optional(row, {
        summary: 'summary',
        details: 'details',
        published: 'published',
        modified: 'modified',
        withdrawn: 'withdrawn',
        vendor_severity: 'vendorSeverity',
      }),
    };
    if (row.related !== null) info.related = parseJson<string[]>(row.related);
    if (row.cwes !== null) info.cwes = parseJson<string[]>(row.cwes);
    return info;
  }
}

function prepareQueries(db: Database.Database) {
  return {
    packages: db.prepare('SELECT entries FROM packages WHERE ecosystem = ? AND package = ?').pluck(),
    affectedOf: db
      .prepare(
        `SELECT ${AFFECTED_COLUMNS} FROM advisories a JOIN affected f ON f.adv = a.rowid
         WHERE a.feed = ? AND a.id = ? ORDER BY f.rowid`,
      )
      .raw(),
    advisory: db.prepare(`SELECT ${ADVISORY_COLUMNS} FROM advisories WHERE feed = ? AND id = ?`),
    advisoriesFor: db.prepare(
      `SELECT ${ADVISORY_COLUMNS} FROM advisories WHERE rowid IN
         (SELECT adv FROM advisory_ids WHERE vuln_id = ?) ORDER BY rowid`,
    ),
    advisoryCvss: db.prepare(
      'SELECT vuln_id, source, source_name, version, vector, base_score FROM cvss WHERE adv = ? ORDER BY rowid',
    ),
    cvss: db.prepare(
      `SELECT vuln_id, source, source_name, version, vector, base_score FROM cvss WHERE vuln_id = ?
       ORDER BY adv IS NOT NULL, rowid`,
    ),
    epss: db.prepare('SELECT * FROM epss WHERE cve = ?'),
    kev: db.prepare('SELECT * FROM kev WHERE cve = ?'),
    firstEcosystem: db.prepare('SELECT MIN(ecosystem) FROM packages').pluck(),
    nextEcosystem: db.prepare('SELECT MIN(ecosystem) FROM packages WHERE ecosystem > ?').pluck(),
    threatHashes: db.prepare('SELECT sha256, source, name FROM threat_hashes ORDER BY sha256, source').raw(),
    threatHash: db
      .prepare(
        'SELECT source, name FROM threat_hashes WHERE sha256 = ? ORDER BY name IS NULL, source LIMIT 1',
      )
      .raw(),
    threatHashCount: db.prepare('SELECT COUNT(DISTINCT sha256) FROM threat_hashes').pluck(),
    sources: db.prepare('SELECT * FROM sources ORDER BY id'),
    source: db.prepare('SELECT * FROM sources WHERE id = ?'),
  };
}

/** Rows of AFFECTED_COLUMNS, read raw (arrays): `affectedOf`. */
function toEntries(rows: unknown[][]): AffectedEntry[] {
  const out: AffectedEntry[] = [];
  for (const r of rows) {
    const entry: AffectedEntry = {
      feed: r[0] as string,
      advisoryId: r[1] as string,
      ecosystem: r[2] as string,
      package: r[3] as string,
      status: r[5] as FixStatus,
      ranges: parseRanges(r[6] as string),
      versions: r[7] === null ? [] : JSON.parse(r[7] as string),
    };
    if (r[4] !== null) entry.purl = r[4] as string;
    if (r[8] !== null) entry.fixed = r[8] as string;
    if (r[9] !== null) entry.vendorSeverity = r[9] as string;
    out.push(entry);
  }
  return out;
}

function toCvss(row: Row): CvssRecord {
  const rec: CvssRecord = {
    vulnId: String(row.vuln_id),
    source: row.source as CvssSource,
    version: row.version as CvssVersion,
    vector: String(row.vector),
    baseScore: Number(row.base_score),
  };
  if (row.source_name !== '') rec.sourceName = String(row.source_name);
  return rec;
}

function threatEntry(source: string, name: string | null): DenyListEntry {
  return name === null ? { source: `db:${source}` } : { name, source: `db:${source}` };
}

function toSource(row: Row): SourceInfo {
  return {
    id: String(row.id),
    importer: String(row.importer),
    records: Number(row.records),
    issues: Number(row.issues),
    importedAt: String(row.imported_at),
    ...optional(row, {
      url: 'url',
      etag: 'etag',
      last_modified: 'lastModified',
      data_date: 'dataDate',
      cursor: 'cursor',
    }),
  };
}
