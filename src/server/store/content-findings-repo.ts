/**
 * The `content_findings` table: the secret, threat and config findings of an image's latest
 * result. Manager exceptions of those kinds are matched in JS with the CLI's own rule
 * (`contentTargets`, src/match/content-exceptions.ts: rule globs do not translate to SQL), over
 * the rows an exception could touch; the scope test (all, repository pattern, image) is the SQL
 * the vulnerability exceptions use, so both kinds scope alike.
 */
import { contentTargetPath, contentTargets } from '../../match/content-exceptions.js';
import type { ExceptionEntry, ExceptionKind } from '../../model/exception.js';
import type { ContentFinding } from '../../model/result.js';
import type { Sql } from './sql.js';
import { LIVE_EXCEPTION, SCOPE_MATCHES } from './sql-fragments.js';

const COLUMNS = `image_key text, ord integer, kind text, rule_id text, severity text, layer_index integer,
  target_path text, sha256 text, doc_excepted boolean, data jsonb`;

const NAMES = COLUMNS.split(',')
  .map((c) => c.trim().split(' ')[0])
  .join(', ');

const SHA256 = /^(?:sha256:)?([0-9a-f]{64})$/i;

/** Detail order after the vulnerabilities: kind, most severe first, layer, place. */
const ORDER = `CASE c.kind WHEN 'secret' THEN 0 WHEN 'threat' THEN 1 ELSE 2 END,
  CASE c.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3
    WHEN 'none' THEN 4 ELSE 5 END,
  c.layer_index NULLS LAST, c.target_path COLLATE "C", c.ord`;

function toRow(key: string, ord: number, f: ContentFinding) {
  return {
    image_key: key,
    ord,
    kind: f.kind,
    rule_id: f.id,
    severity: f.severity,
    layer_index: f.location.layerIndex ?? null,
    target_path: contentTargetPath(f),
    sha256: f.kind === 'threat' ? (f.sha256?.toLowerCase() ?? null) : null,
    doc_excepted: f.exception !== undefined,
    data: f,
  };
}

/** A content finding as stored, with the manager exception that excepts it (if any). */
export interface StoredContentFinding {
  finding: ContentFinding;
  exceptionId: number | null;
}

/** Which content rows an exception of this kind and target could match (a superset; JS decides). */
export interface ContentTarget {
  kind: ExceptionKind;
  target: string;
}

function selector(targets: readonly ContentTarget[], exceptionIds: readonly number[]) {
  const kinds = new Set<string>();
  const rules = new Set<string>();
  const hashes = new Set<string>();
  for (const t of targets) {
    const hash = SHA256.exec(t.target);
    if (hash && t.kind === 'threat') hashes.add(hash[1]!.toLowerCase());
    else {
      const colon = t.kind === 'config' ? -1 : t.target.indexOf(':');
      kinds.add(t.kind);
      rules.add((colon < 0 ? t.target : t.target.slice(0, colon)).toLowerCase());
    }
  }
  return {
    where: `((c.kind = ANY($1::text[]) AND lower(c.rule_id) = ANY($2::text[]))
      OR c.sha256 = ANY($3::text[]) OR c.excepted_by = ANY($4::int[]))`,
    params: [[...kinds], [...rules], [...hashes], [...exceptionIds]],
  };
}

/**
 * A cheap superset of `contentTargets` for exception `e` and row `c`, so only plausible entries
 * reach JS: the whole check id (config), the rule id before the first colon, or a SHA-256.
 */
const MAY_TARGET = `(CASE WHEN c.kind = 'config' THEN lower(e.target) = lower(c.rule_id)
  ELSE lower(split_part(e.target, ':', 1)) = lower(c.rule_id) OR e.target ~* '^(sha256:)?[0-9a-f]{64}$' END)`;

interface CandidateRow {
  image_key: string;
  ord: number;
  data: ContentFinding;
  excepted_by: number | null;
  scoped: { id: number; kind: ExceptionKind; target: string }[];
}

/** The first (lowest id) in-scope live exception whose target matches the finding. */
function firstMatch(row: CandidateRow): number | null {
  for (const e of row.scoped) {
    const entry: ExceptionEntry = { kind: e.kind, target: e.target, reason: '-' };
    if (contentTargets(entry, row.data)) return e.id;
  }
  return null;
}

export function contentFindingsRepository(sql: Sql) {
  /** Content findings of several images, grouped by image, each in detail order. */
  async function forImages(keys: readonly string[]): Promise<Map<string, StoredContentFinding[]>> {
    const r = await sql.query<{ image_key: string; data: ContentFinding; excepted_by: number | null }>(
      `SELECT c.image_key, c.data, c.excepted_by FROM content_findings c
       WHERE c.image_key = ANY($1::text[]) ORDER BY c.image_key, ${ORDER}`,
      [keys],
    );
    const out = new Map<string, StoredContentFinding[]>(keys.map((k) => [k, []]));
    for (const x of r.rows) out.get(x.image_key)?.push({ finding: x.data, exceptionId: x.excepted_by });
    return out;
  }

  return {
    async replace(key: string, findings: readonly ContentFinding[]): Promise<void> {
      await sql.query('DELETE FROM content_findings WHERE image_key = $1', [key]);
      if (findings.length === 0) return;
      const rows = findings.map((f, i) => toRow(key, i, f));
      await sql.query(
        `INSERT INTO content_findings (${NAMES})
         SELECT ${NAMES} FROM jsonb_to_recordset($1::jsonb) AS x(${COLUMNS})`,
        [JSON.stringify(rows)],
      );
    },

    /**
     * Re-evaluates manager exceptions for the content findings of one image (`{image}`), or for
     * the rows an added exception could match (`targets`) and those excepted by a cancelled or
     * expired one (`exceptionIds`); returns the images whose findings changed.
     */
    async applyExceptions(
      select: { image: string } | { targets: readonly ContentTarget[]; exceptionIds: readonly number[] },
    ): Promise<string[]> {
      const s =
        'image' in select
          ? { where: 'c.image_key = $1', params: [select.image] }
          : selector(select.targets, select.exceptionIds);
      // FOR UPDATE: an ingest replacing these rows meanwhile waits, then re-applies on its own rows.
      const r = await sql.query<CandidateRow>(
        `SELECT c.image_key, c.ord, c.data, c.excepted_by,
           (SELECT coalesce(jsonb_agg(jsonb_build_object('id', e.id, 'kind', e.kind, 'target', e.target)
              ORDER BY e.id), '[]'::jsonb)
            FROM exceptions e WHERE e.kind = c.kind AND ${LIVE_EXCEPTION} AND ${SCOPE_MATCHES}
              AND ${MAY_TARGET}) AS scoped
         FROM content_findings c JOIN images i ON i.id = c.image_key WHERE ${s.where}
         FOR UPDATE OF c`,
        s.params,
      );
      const changed = r.rows
        .map((row) => ({ k: row.image_key, o: row.ord, e: firstMatch(row), was: row.excepted_by }))
        .filter((x) => x.e !== x.was);
      if (changed.length === 0) return [];
      await sql.query(
        `UPDATE content_findings c SET excepted_by = x.e
         FROM jsonb_to_recordset($1::jsonb) AS x(k text, o integer, e integer)
         WHERE c.image_key = x.k AND c.ord = x.o`,
        [JSON.stringify(changed.map(({ k, o, e }) => ({ k, o, e })))],
      );
      return [...new Set(changed.map((x) => x.k))];
    },

    /** Content findings of one image in detail order (kind, severity, layer, place). */
    forImage: async (key: string): Promise<StoredContentFinding[]> => (await forImages([key])).get(key) ?? [],

    forImages,
  };
}

export type ContentFindingsRepository = ReturnType<typeof contentFindingsRepository>;
