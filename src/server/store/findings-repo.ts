/** The `findings` table: one row per finding of an image's latest result. */
import type { VulnerabilityFinding } from '../../model/result.js';
import type { ScoredId } from '../../report/writers/findings.js';
import type { Sql } from './sql.js';
import { MATCHING_EXCEPTION, purlParts } from './sql-fragments.js';

/** Column list of the bulk insert; the JSON rows carry the same keys. */
const COLUMNS = `image_key text, ord integer, vuln_id text, ids text[], package_name text, source_name text,
  package_type text, package_version text, purl text, purl_base text, purl_version text,
  fixed_version text, fix_status text, severity text, cvss float8, epss float8, kev boolean,
  layer_index integer, from_base boolean, doc_excepted boolean, data jsonb`;

const NAMES = COLUMNS.split(',')
  .map((c) => c.trim().split(' ')[0])
  .join(', ');

function toRow(key: string, ord: number, f: VulnerabilityFinding) {
  const purl = purlParts(f.package.purl);
  return {
    image_key: key,
    ord,
    vuln_id: f.id,
    ids: [f.id, ...f.aliases].map((s) => s.toUpperCase()),
    package_name: f.package.name,
    source_name: f.package.sourceName ?? null,
    package_type: f.package.type,
    package_version: f.installedVersion,
    purl: f.package.purl,
    purl_base: purl.base,
    purl_version: purl.version,
    fixed_version: f.fixedVersion ?? null,
    fix_status: f.status,
    severity: f.severity,
    cvss: f.cvss?.score ?? null,
    epss: f.epss?.score ?? null,
    kev: f.kev !== undefined,
    layer_index: f.package.layerIndex,
    from_base: f.fromBaseImage,
    doc_excepted: f.exception !== undefined,
    data: f,
  };
}

/** A finding as stored, with the manager exception that excepts it (if any). */
export interface StoredFinding {
  finding: VulnerabilityFinding;
  exceptionId: number | null;
}

/** A finding reduced to what orders its id and says whether it counts. */
export interface FindingKey extends ScoredId {
  exceptionId: number | null;
  /** Excepted by the scanner's own ignore file. */
  docExcepted: boolean;
}

export function findingsRepository(sql: Sql) {
  return {
    /** Replaces an image's findings in one statement (jsonb_to_recordset keeps it to one round trip). */
    async replace(key: string, findings: readonly VulnerabilityFinding[]): Promise<void> {
      await sql.query('DELETE FROM findings WHERE image_key = $1', [key]);
      if (findings.length === 0) return;
      const rows = findings.map((f, i) => toRow(key, i, f));
      await sql.query(
        `INSERT INTO findings (${NAMES}) SELECT ${NAMES} FROM jsonb_to_recordset($1::jsonb) AS x(${COLUMNS})`,
        [JSON.stringify(rows)],
      );
    },

    /**
     * Re-evaluates manager exceptions for the findings of one image (`{image}`), or for every
     * finding carrying one of `ids` or excepted by one of `exceptionIds` (an exception was added,
     * cancelled or expired); returns the images whose findings changed.
     */
    async applyExceptions(
      select: { image: string } | { ids: readonly string[]; exceptionIds: readonly number[] },
    ): Promise<string[]> {
      const where =
        'image' in select ? 'f.image_key = $1' : '(f.ids && $1::text[] OR f.excepted_by = ANY($2::int[]))';
      const params =
        'image' in select ? [select.image] : [select.ids.map((s) => s.toUpperCase()), select.exceptionIds];
      const r = await sql.query<{ image_key: string }>(
        `WITH changed AS (
           UPDATE findings f SET excepted_by = ${MATCHING_EXCEPTION}
           FROM images i WHERE i.id = f.image_key AND ${where}
             AND f.excepted_by IS DISTINCT FROM ${MATCHING_EXCEPTION}
           RETURNING f.image_key)
         SELECT DISTINCT image_key FROM changed`,
        params,
      );
      return r.rows.map((x) => x.image_key);
    },

    /** Findings of one image, highest CVSS first (no score last). */
    async forImage(key: string): Promise<StoredFinding[]> {
      const r = await sql.query<{ data: VulnerabilityFinding; excepted_by: number | null }>(
        `SELECT data, excepted_by FROM findings WHERE image_key = $1
         ORDER BY cvss DESC NULLS LAST, ord`,
        [key],
      );
      return r.rows.map((x) => ({ finding: x.data, exceptionId: x.excepted_by }));
    },

    /**
     * What orders and excepts the findings of several images (the per-image CSV), grouped by
     * image: plain columns only, so the findings' JSON is never read.
     */
    async sortKeys(keys: readonly string[]): Promise<Map<string, FindingKey[]>> {
      const r = await sql.query<{
        image_key: string;
        vuln_id: string;
        severity: VulnerabilityFinding['severity'];
        cvss: number | null;
        excepted_by: number | null;
        doc_excepted: boolean;
      }>(
        `SELECT image_key, vuln_id, severity, cvss, excepted_by, doc_excepted
         FROM findings WHERE image_key = ANY($1::text[])`,
        [keys],
      );
      const out = new Map<string, FindingKey[]>(keys.map((k) => [k, []]));
      for (const x of r.rows)
        out.get(x.image_key)?.push({
          id: x.vuln_id,
          severity: x.severity,
          ...(x.cvss === null ? {} : { cvss: { score: x.cvss } }),
          exceptionId: x.excepted_by,
          docExcepted: x.doc_excepted,
        });
      return out;
    },

    /** Findings of several images (an export page), grouped by image, each highest CVSS first. */
    async forImages(keys: readonly string[]): Promise<Map<string, StoredFinding[]>> {
      const r = await sql.query<{
        image_key: string;
        data: VulnerabilityFinding;
        excepted_by: number | null;
      }>(
        `SELECT image_key, data, excepted_by FROM findings WHERE image_key = ANY($1::text[])
         ORDER BY image_key, cvss DESC NULLS LAST, ord`,
        [keys],
      );
      const out = new Map<string, StoredFinding[]>(keys.map((k) => [k, []]));
      for (const x of r.rows) out.get(x.image_key)?.push({ finding: x.data, exceptionId: x.excepted_by });
      return out;
    },
  };
}

export type FindingsRepository = ReturnType<typeof findingsRepository>;
