/** Aggregate views over `images`: repositories and the summary (repository-excepted and dismissed images left out). */
import type { GradeResult } from '../../model/result.js';
import { type ContentCounts, toIso } from './image-rows.js';
import type { Sql } from './sql.js';
import { likeContains } from './sql-fragments.js';

export interface RepositoryRow {
  registry: string;
  repository: string;
  images: number;
  /** The first tag of the most recently scanned image that has one. */
  latestTag: string | null;
  lastScanned: string;
  worstResult: GradeResult;
  results: Record<GradeResult, number>;
}

export interface Summary {
  results: Record<GradeResult, number>;
  total: number;
  topRiskRepositories: { registry: string; repository: string; failImages: number }[];
  /** Images with at least one effective content finding of each kind. */
  content: ContentCounts;
}

const VISIBLE = 'NOT i.repo_excepted AND NOT i.dismissed';
// Worst first: FAIL, WARN, UNKNOWN (not known to be safe), PASS.
const RANK = `CASE i.result WHEN 'FAIL' THEN 3 WHEN 'WARN' THEN 2 WHEN 'UNKNOWN' THEN 1 ELSE 0 END`;

interface RepoSqlRow {
  registry: string;
  repository: string;
  images: number;
  latest_tag: string | null;
  last_scanned: Date | string;
  worst: number;
  pass: number;
  warn: number;
  fail: number;
  unknown: number;
}

const WORST: GradeResult[] = ['PASS', 'UNKNOWN', 'WARN', 'FAIL'];

export function overviewRepository(sql: Sql) {
  return {
    async repositories(opts: { q?: string; limit: number; offset: number }): Promise<RepositoryRow[]> {
      const r = await sql.query<RepoSqlRow>(
        `SELECT i.registry, i.repository, count(*)::int AS images,
           (array_agg(i.tags[1] ORDER BY i.scanned_at DESC) FILTER (WHERE cardinality(i.tags) > 0))[1] AS latest_tag,
           max(i.scanned_at) AS last_scanned, max(${RANK})::int AS worst,
           count(*) FILTER (WHERE i.result = 'PASS')::int AS pass, count(*) FILTER (WHERE i.result = 'WARN')::int AS warn,
           count(*) FILTER (WHERE i.result = 'FAIL')::int AS fail, count(*) FILTER (WHERE i.result = 'UNKNOWN')::int AS unknown
         FROM images i WHERE ${VISIBLE} AND ($1::text IS NULL OR i.repository ILIKE $1)
         GROUP BY i.registry, i.repository ORDER BY i.repository, i.registry LIMIT $2 OFFSET $3`,
        [opts.q ? likeContains(opts.q) : null, opts.limit, opts.offset],
      );
      return r.rows.map((x) => ({
        registry: x.registry,
        repository: x.repository,
        images: x.images,
        latestTag: x.latest_tag,
        lastScanned: toIso(x.last_scanned),
        worstResult: WORST[x.worst] ?? 'UNKNOWN',
        results: { PASS: x.pass, WARN: x.warn, FAIL: x.fail, UNKNOWN: x.unknown },
      }));
    },

    async summary(): Promise<Summary> {
      const counts = await sql.query<{ result: GradeResult; n: number }>(
        `SELECT i.result, count(*)::int AS n FROM images i WHERE ${VISIBLE} GROUP BY i.result`,
      );
      const results: Record<GradeResult, number> = { PASS: 0, WARN: 0, FAIL: 0, UNKNOWN: 0 };
      for (const c of counts.rows) results[c.result] = c.n;
      const top = await sql.query<{ registry: string; repository: string; n: number }>(
        `SELECT i.registry, i.repository, count(*)::int AS n FROM images i
         WHERE ${VISIBLE} AND i.result = 'FAIL'
         GROUP BY i.registry, i.repository ORDER BY n DESC, i.repository, i.registry LIMIT 5`,
      );
      // Matches the partial index images_visible_content (migration 3): an index-only scan.
      const content = await sql.query<ContentCounts>(
        `SELECT count(*) FILTER (WHERE i.secret_count > 0)::int AS secret,
           count(*) FILTER (WHERE i.threat_count > 0)::int AS threat,
           count(*) FILTER (WHERE i.config_count > 0)::int AS config
         FROM images i WHERE ${VISIBLE} AND (i.secret_count > 0 OR i.threat_count > 0 OR i.config_count > 0)`,
      );
      return {
        results,
        total: Object.values(results).reduce((a, b) => a + b, 0),
        content: content.rows[0] ?? { secret: 0, threat: 0, config: 0 },
        topRiskRepositories: top.rows.map((t) => ({
          registry: t.registry,
          repository: t.repository,
          failImages: t.n,
        })),
      };
    },
  };
}

export type OverviewRepository = ReturnType<typeof overviewRepository>;
