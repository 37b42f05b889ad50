/**
 * `AdvisorySink` writing into the builder's SQLite connection, with the rules documented in
 * `importer.ts` (and mirrored by `testing/memory-db.ts`): `snapshot(scope)` removes every row an
 * earlier import wrote under that scope; `putAdvisory` replaces an advisory written by an
 * earlier import but merges one written earlier in the same import. The caller wraps each import
 * in a transaction (`build.ts`); everything here is prepared statements.
 */
import type Database from 'better-sqlite3';
import type { AdvisorySink } from './importer.js';
import { flatRanges, PACKED_ENTRY_SQL } from './packed-entries.js';
import type {
  AdvisoryRecord,
  CvssRecord,
  EpssRecord,
  KevRecord,
  Reference,
  ThreatHashRecord,
} from './types.js';

function prepareWrites(db: Database.Database) {
  return {
    findAdvisory: db.prepare('SELECT rowid, aliases, refs, cwes FROM advisories WHERE feed = ? AND id = ?'),
    insertAdvisory: db.prepare(
      `INSERT INTO advisories (feed, id, scope, aliases, related, summary, details, published, modified,
         withdrawn, vendor_severity, refs, cwes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    replaceAdvisory: db.prepare(
      `UPDATE advisories SET scope = ?, aliases = ?, related = ?, summary = ?, details = ?, published = ?,
         modified = ?, withdrawn = ?, vendor_severity = ?, refs = ?, cwes = ? WHERE rowid = ?`,
    ),
    mergeLists: db.prepare('UPDATE advisories SET aliases = ?, refs = ?, cwes = ? WHERE rowid = ?'),
    deleteIds: db.prepare('DELETE FROM advisory_ids WHERE adv = ?'),
    deleteAffected: db.prepare('DELETE FROM affected WHERE adv = ?'),
    deleteAdvisoryCvss: db.prepare('DELETE FROM cvss WHERE adv = ?'),
    insertId: db.prepare('INSERT OR IGNORE INTO advisory_ids (vuln_id, adv) VALUES (?, ?)'),
    insertAffected: db.prepare(
      `INSERT INTO affected (adv, ecosystem, package, purl, status, ranges, versions, fixed, vendor_severity)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertAdvisoryCvss: db.prepare(
      `INSERT INTO cvss (adv, vuln_id, source, source_name, version, vector, base_score, scope)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    deleteFeedCvss: db.prepare('DELETE FROM cvss WHERE adv IS NULL AND vuln_id = ? AND feed = ?'),
    upsertCvss: db.prepare(
      `INSERT INTO cvss (adv, vuln_id, source, source_name, version, vector, base_score, scope, feed)
       VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (vuln_id, feed, source, source_name, version) WHERE adv IS NULL
       DO UPDATE SET vector = excluded.vector, base_score = excluded.base_score, scope = excluded.scope`,
    ),
    upsertEpss: db.prepare(
      `INSERT OR REPLACE INTO epss (cve, score, percentile, date, model_version, scope) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    upsertKev: db.prepare(
      `INSERT OR REPLACE INTO kev (cve, vendor_project, product, name, date_added, due_date, required_action,
         ransomware, notes, scope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    upsertThreatHash: db.prepare(
      'INSERT OR REPLACE INTO threat_hashes (sha256, source, name) VALUES (?, ?, ?)',
    ),
    snapshot: [
      'DELETE FROM advisory_ids WHERE adv IN (SELECT rowid FROM advisories WHERE scope = $scope)',
      'DELETE FROM affected WHERE adv IN (SELECT rowid FROM advisories WHERE scope = $scope)',
      'DELETE FROM cvss WHERE adv IN (SELECT rowid FROM advisories WHERE scope = $scope)',
      'DELETE FROM advisories WHERE scope = $scope',
      'DELETE FROM cvss WHERE adv IS NULL AND scope = $scope',
      'DELETE FROM epss WHERE scope = $scope',
      'DELETE FROM kev WHERE scope = $scope',
      'DELETE FROM threat_hashes WHERE source = $scope',
    ].map((sql) => db.prepare(sql)),
  };
}

const orNull = (v: string | undefined) => v ?? null;

/**
 * The packages the current import touched: temp triggers (this connection only, rolled back with
 * the import) note the key of every `affected` row added or removed, whichever write did it — an
 * insert, an advisory's replacement or a snapshot.
 */
const TRACK_TOUCHED = `
CREATE TEMP TABLE IF NOT EXISTS touched (
  ecosystem TEXT NOT NULL, package TEXT NOT NULL, PRIMARY KEY (ecosystem, package)) WITHOUT ROWID;
CREATE TEMP TRIGGER IF NOT EXISTS affected_added AFTER INSERT ON affected BEGIN
  INSERT OR IGNORE INTO touched VALUES (new.ecosystem, new.package);
END;
CREATE TEMP TRIGGER IF NOT EXISTS affected_removed AFTER DELETE ON affected BEGIN
  INSERT OR IGNORE INTO touched VALUES (old.ecosystem, old.package);
END;`;

/** Rewrites the touched rows of `packages` from `affected` + `advisories`, entries in insertion order. */
const REFRESH_PACKAGES = [
  'DELETE FROM packages WHERE (ecosystem, package) IN (SELECT ecosystem, package FROM temp.touched)',
  `INSERT INTO packages (ecosystem, package, entries)
   SELECT f.ecosystem, f.package, '[' || group_concat(${PACKED_ENTRY_SQL}, ',' ORDER BY f.rowid) || ']'
   FROM temp.touched t
   JOIN affected f ON f.ecosystem = t.ecosystem AND f.package = t.package
   JOIN advisories a ON a.rowid = f.adv
   GROUP BY f.ecosystem, f.package`,
  'DELETE FROM temp.touched',
];

export class SqliteSink implements AdvisorySink {
  private readonly w: ReturnType<typeof prepareWrites>;
  private scope: string | null = null;
  /** rowids of the advisories written by the current import, by `feed\0id`: a second write merges. */
  private written = new Map<string, number | bigint>();

  private readonly refresh: Database.Statement[];
  private readonly anyTouched: Database.Statement;

  constructor(db: Database.Database) {
    db.exec(TRACK_TOUCHED);
    this.w = prepareWrites(db);
    this.refresh = REFRESH_PACKAGES.map((sql) => db.prepare(sql));
    this.anyTouched = db.prepare('SELECT EXISTS (SELECT 1 FROM temp.touched)').pluck();
  }

  /**
   * Brings `packages` up to date with the writes so far; the builder calls it before each
   * import commits and before its reader answers. Only the packages touched since the last call
   * are rewritten.
   */
  refreshPackages(): void {
    if (this.anyTouched.get() === 0) return;
    for (const stmt of this.refresh) stmt.run();
  }

  /** Starts one import: no scope until it declares one, nothing written yet. */
  beginImport(): void {
    this.scope = null;
    this.written = new Map();
  }

  endImport(): void {
    this.beginImport();
  }

  snapshot(scope: string): void {
    this.scope = scope;
    for (const stmt of this.w.snapshot) stmt.run({ scope });
  }

  putAdvisory(record: AdvisoryRecord): void {
    const key = `${record.feed}\u0000${record.id}`;
    const earlier = this.written.get(key);
    if (earlier !== undefined) {
      this.merge(earlier, record);
      return;
    }
    const rowid = this.upsertRow(record);
    this.written.set(key, rowid);
    this.writeChildren(rowid, record, [record.id, ...record.aliases]);
  }

  putCvss(feed: string, vulnId: string, records: readonly CvssRecord[]): void {
    this.w.deleteFeedCvss.run(vulnId, feed);
    for (const r of records)
      this.w.upsertCvss.run(
        r.vulnId,
        r.source,
        r.sourceName ?? '',
        r.version,
        r.vector,
        r.baseScore,
        this.scope,
        feed,
      );
  }

  putEpss(r: EpssRecord): void {
    this.w.upsertEpss.run(r.cve, r.score, r.percentile, orNull(r.date), orNull(r.modelVersion), this.scope);
  }

  putKev(r: KevRecord): void {
    this.w.upsertKev.run(
      r.cve,
      orNull(r.vendorProject),
      orNull(r.product),
      orNull(r.name),
      r.dateAdded,
      orNull(r.dueDate),
      orNull(r.requiredAction),
      r.knownRansomwareCampaignUse ? 1 : 0,
      orNull(r.notes),
      this.scope,
    );
  }

  putThreatHash(r: ThreatHashRecord): void {
    if (this.scope === null)
      throw new Error('putThreatHash before snapshot: a deny-list entry needs its list');
    this.w.upsertThreatHash.run(r.sha256, this.scope, orNull(r.name));
  }

  /** Inserts the advisory row, or replaces one an earlier import wrote (its children go with it). */
  private upsertRow(r: AdvisoryRecord): number | bigint {
    const fields = [
      this.scope,
      JSON.stringify(r.aliases),
      r.related === undefined ? null : JSON.stringify(r.related),
      orNull(r.summary),
      orNull(r.details),
      orNull(r.published),
      orNull(r.modified),
      orNull(r.withdrawn),
      orNull(r.vendorSeverity),
      JSON.stringify(r.references),
      r.cwes === undefined ? null : JSON.stringify(r.cwes),
    ];
    const existing = this.w.findAdvisory.get(r.feed, r.id) as { rowid: number } | undefined;
    if (!existing) return this.w.insertAdvisory.run(r.feed, r.id, ...fields).lastInsertRowid;
    const rowid = existing.rowid;
    this.w.deleteIds.run(rowid);
    this.w.deleteAffected.run(rowid);
    this.w.deleteAdvisoryCvss.run(rowid);
    this.w.replaceAdvisory.run(...fields, rowid);
    return rowid;
  }

  /** A second write of the same advisory in one import: lists grow, the first write's fields stay. */
  private merge(rowid: number | bigint, r: AdvisoryRecord): void {
    const row = this.w.findAdvisory.get(r.feed, r.id) as {
      aliases: string;
      refs: string;
      cwes: string | null;
    };
    const aliases = [...new Set([...(JSON.parse(row.aliases) as string[]), ...r.aliases])];
    const refs = [...(JSON.parse(row.refs) as Reference[]), ...r.references];
    const earlierCwes = row.cwes === null ? undefined : (JSON.parse(row.cwes) as string[]);
    const cwes =
      earlierCwes || r.cwes
        ? JSON.stringify([...new Set([...(earlierCwes ?? []), ...(r.cwes ?? [])])])
        : null;
    this.w.mergeLists.run(JSON.stringify(aliases), JSON.stringify(refs), cwes, rowid);
    this.writeChildren(rowid, r, r.aliases);
  }

  private writeChildren(rowid: number | bigint, r: AdvisoryRecord, ids: readonly string[]): void {
    for (const id of ids) this.w.insertId.run(id, rowid);
    for (const a of r.affected)
      this.w.insertAffected.run(
        rowid,
        a.ecosystem,
        a.package,
        orNull(a.purl),
        a.status,
        flatRanges(a.ranges),
        a.versions.length === 0 ? null : JSON.stringify(a.versions),
        orNull(a.fixed),
        orNull(a.vendorSeverity),
      );
    for (const c of r.cvss)
      this.w.insertAdvisoryCvss.run(
        rowid,
        c.vulnId,
        c.source,
        c.sourceName ?? '',
        c.version,
        c.vector,
        c.baseScore,
        this.scope,
      );
  }
}
