/** Writes and per-image reads of `images`; list queries live in image-list.ts. */
import type { ImageResult, Thresholds } from '../../model/result.js';
import { IMAGE_COLUMNS, type ImageRow, type ImageSummary, toSummary } from './image-rows.js';
import type { Sql } from './sql.js';
import {
  CONTENT_FAIL,
  contentFailSql,
  EFFECTIVE,
  gradeSql,
  LIVE_EXCEPTION,
  repositoryMatchSql,
} from './sql-fragments.js';

/** What storing a result did: `unchanged` = same scan time again, `stale` = an older scan lost. */
export type ClaimOutcome = 'created' | 'replaced' | 'unchanged' | 'stale';

type ImageDocument = Omit<ImageResult, 'findings'>;

export interface ExportHead {
  input: string;
  image: ImageDocument['image'];
  scannedAt: string;
  hasPackages: boolean;
  /** The image has content findings (excepted ones too). */
  hasContent: boolean;
}

function rowValues(doc: ImageDocument) {
  return [
    doc.image.id,
    doc.image.imageId ?? null,
    doc.image.registry,
    doc.image.repository,
    doc.image.tags,
    doc.status,
    doc.statusMessage,
    doc.scannedAt,
    JSON.stringify(doc),
    doc.scanners ?? ['vuln'],
    doc.failOn ?? [],
  ];
}

// Scan times are kept to the millisecond so cursors (JavaScript dates) compare exactly.
const SCANNED_AT = `date_trunc('milliseconds', $8::timestamptz)`;
// SET expressions see the old row, hence $6 (the new status) rather than the status column.
const RESET_AGGREGATES = `result = CASE WHEN $6 = 'scanned' THEN 'PASS' ELSE 'UNKNOWN' END, max_cvss = NULL,
  critical_count = 0, high_count = 0, medium_count = 0, low_count = 0, none_count = 0, unknown_count = 0,
  finding_count = 0, excepted_count = 0, kev_count = 0, fixable_count = 0, max_epss = NULL,
  secret_count = 0, threat_count = 0, config_count = 0, content_excepted_count = 0`;

export function imagesRepository(sql: Sql) {
  return {
    /**
     * Inserts the image row or, when the stored scan is older, overwrites it; the row stays locked
     * until the transaction ends, so concurrent submissions for one digest serialise here.
     */
    async claim(doc: ImageDocument): Promise<ClaimOutcome> {
      const values = rowValues(doc);
      const inserted = await sql.query(
        `INSERT INTO images (id, image_id, registry, repository, tags, status, status_message, scanned_at, document,
           scanners, fail_on, result)
         VALUES ($1, $2, $3, $4, $5, $6, $7, ${SCANNED_AT}, $9::jsonb, $10::text[], $11::text[],
           CASE WHEN $6 = 'scanned' THEN 'PASS' ELSE 'UNKNOWN' END)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        values,
      );
      if (inserted.rowCount > 0) return 'created';
      const cmp = await sql.query<{ cmp: number }>(
        `SELECT CASE WHEN scanned_at < date_trunc('milliseconds', $2::timestamptz) THEN 1
                     WHEN scanned_at = date_trunc('milliseconds', $2::timestamptz) THEN 0 ELSE -1 END AS cmp
         FROM images WHERE id = $1 FOR UPDATE`,
        [doc.image.id, doc.scannedAt],
      );
      const c = cmp.rows[0]?.cmp;
      if (c === 0) return 'unchanged';
      if (c !== 1) return 'stale';
      await sql.query(
        `UPDATE images SET image_id = $2, registry = $3, repository = $4, tags = $5, status = $6,
           status_message = $7, scanned_at = ${SCANNED_AT}, document = $9::jsonb, scanners = $10::text[],
           fail_on = $11::text[], received_at = now(), ${RESET_AGGREGATES}
         WHERE id = $1`,
        values,
      );
      return 'replaced';
    },

    /** Recomputes the stored aggregates and grade of some images (all when `keys` is null) from their effective findings. */
    async recompute(keys: readonly string[] | null, t: Thresholds): Promise<void> {
      await sql.query(
        `UPDATE images i SET max_cvss = a.max_cvss, critical_count = a.critical, high_count = a.high,
           medium_count = a.medium, low_count = a.low, none_count = a.none, unknown_count = a.unknown,
           finding_count = a.findings, excepted_count = a.excepted, kev_count = a.kev,
           fixable_count = a.fixable, max_epss = a.max_epss, secret_count = c.secret,
           threat_count = c.threat, config_count = c.config, content_excepted_count = c.excepted,
           result = ${gradeSql('a.max_cvss', 'i.status', '$2::float8', '$3::float8', contentFailSql('i.fail_on', 'c.secret', 'c.threat', 'c.config'))}
         FROM images j CROSS JOIN LATERAL (
           SELECT max(f.cvss) FILTER (WHERE ${EFFECTIVE}) AS max_cvss,
             count(*) FILTER (WHERE ${EFFECTIVE} AND f.severity = 'critical')::int AS critical,
             count(*) FILTER (WHERE ${EFFECTIVE} AND f.severity = 'high')::int AS high,
             count(*) FILTER (WHERE ${EFFECTIVE} AND f.severity = 'medium')::int AS medium,
             count(*) FILTER (WHERE ${EFFECTIVE} AND f.severity = 'low')::int AS low,
             count(*) FILTER (WHERE ${EFFECTIVE} AND f.severity = 'none')::int AS none,
             count(*) FILTER (WHERE ${EFFECTIVE} AND f.severity = 'unknown')::int AS unknown,
             count(*) FILTER (WHERE ${EFFECTIVE})::int AS findings,
             count(*) FILTER (WHERE NOT ${EFFECTIVE})::int AS excepted,
             count(*) FILTER (WHERE ${EFFECTIVE} AND f.kev)::int AS kev,
             count(*) FILTER (WHERE ${EFFECTIVE} AND f.fixed_version IS NOT NULL)::int AS fixable,
             max(f.epss) FILTER (WHERE ${EFFECTIVE}) AS max_epss
           FROM findings f WHERE f.image_key = j.id) a
         CROSS JOIN LATERAL (
           SELECT count(*) FILTER (WHERE ${EFFECTIVE} AND f.kind = 'secret')::int AS secret,
             count(*) FILTER (WHERE ${EFFECTIVE} AND f.kind = 'threat')::int AS threat,
             count(*) FILTER (WHERE ${EFFECTIVE} AND f.kind = 'config')::int AS config,
             count(*) FILTER (WHERE NOT ${EFFECTIVE})::int AS excepted
           FROM content_findings f WHERE f.image_key = j.id) c
         WHERE i.id = j.id AND ($1::text[] IS NULL OR j.id = ANY($1::text[]))`,
        [keys, t.warn, t.fail],
      );
    },

    /** A threshold change: one UPDATE over the stored maxima, touching only rows whose grade changes. */
    async regrade(t: Thresholds): Promise<number> {
      const grade = gradeSql('i.max_cvss', 'i.status', '$1::float8', '$2::float8', CONTENT_FAIL);
      const r = await sql.query(`UPDATE images i SET result = ${grade} WHERE i.result <> ${grade}`, [
        t.warn,
        t.fail,
      ]);
      return r.rowCount;
    },

    /** Marks images whose repository a live repository exception names (all images when `key` is null). */
    async refreshRepositoryExceptions(key: string | null): Promise<void> {
      const excepted = `EXISTS (SELECT 1 FROM exceptions e
        WHERE e.kind = 'repository' AND ${LIVE_EXCEPTION} AND ${repositoryMatchSql('e.target_key')})`;
      await sql.query(
        `UPDATE images i SET repo_excepted = ${excepted}
         WHERE ($1::text IS NULL OR i.id = $1) AND i.repo_excepted IS DISTINCT FROM ${excepted}`,
        [key],
      );
    },

    async get(key: string): Promise<{ summary: ImageSummary; document: ImageDocument } | undefined> {
      const r = await sql.query<ImageRow & { document: ImageDocument }>(
        `SELECT ${IMAGE_COLUMNS}, i.document FROM images i WHERE i.id = $1`,
        [key],
      );
      const row = r.rows[0];
      return row ? { summary: toSummary(row), document: row.document } : undefined;
    },

    /** What a per-image CSV row needs of several stored documents, without reading their packages in Node. */
    async exportHeads(keys: readonly string[]): Promise<Map<string, ExportHead>> {
      const r = await sql.query<{
        id: string;
        input: string;
        image: ImageDocument['image'];
        scanned_at: string;
        has_packages: boolean;
        has_content: boolean;
      }>(
        `SELECT id, document->>'input' AS input, document->'image' AS image,
           document->>'scannedAt' AS scanned_at,
           jsonb_array_length(document->'packages') > 0 AS has_packages,
           EXISTS (SELECT 1 FROM content_findings c WHERE c.image_key = images.id) AS has_content
         FROM images WHERE id = ANY($1::text[])`,
        [keys],
      );
      return new Map(
        r.rows.map((x) => [
          x.id,
          {
            input: x.input,
            image: x.image,
            scannedAt: x.scanned_at,
            hasPackages: x.has_packages,
            hasContent: x.has_content,
          },
        ]),
      );
    },

    /** The stored documents (without findings) of several images. */
    async documents(keys: readonly string[]): Promise<Map<string, ImageDocument>> {
      const r = await sql.query<{ id: string; document: ImageDocument }>(
        'SELECT id, document FROM images WHERE id = ANY($1::text[])',
        [keys],
      );
      return new Map(r.rows.map((x) => [x.id, x.document]));
    },

    async setDismissed(key: string, dismissed: boolean): Promise<boolean> {
      const r = await sql.query('UPDATE images SET dismissed = $2 WHERE id = $1', [key, dismissed]);
      return r.rowCount > 0;
    },

    async remove(key: string): Promise<boolean> {
      const r = await sql.query('DELETE FROM images WHERE id = $1', [key]);
      return r.rowCount > 0;
    },

    async countByResult(): Promise<Record<string, number>> {
      const r = await sql.query<{ result: string; n: number }>(
        'SELECT result, count(*)::int AS n FROM images GROUP BY result',
      );
      return Object.fromEntries(r.rows.map((x) => [x.result, x.n]));
    },
  };
}

export type ImagesRepository = ReturnType<typeof imagesRepository>;
