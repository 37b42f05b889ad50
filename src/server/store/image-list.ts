/**
 * The image list (filters, sort, keyset pagination), the repository view and the summary. Filters
 * read only `images` aggregates (content findings too: `content` reads the per-kind counts), except `cve`, which probes the GIN index on `findings.ids`.
 * Repository-excepted images never appear here (they have their own view).
 */
import type { ContentKind, GradeResult, ScanStatus, Severity } from '../../model/result.js';
import { IMAGE_COLUMNS, type ImageRow, type ImageSummary, toIso, toSummary } from './image-rows.js';
import type { Sql, SqlValue } from './sql.js';
import { likeContains } from './sql-fragments.js';

export type SortKey = 'maxCvss' | 'lastScanned' | 'repository';

export interface ImageFilter {
  result?: GradeResult[];
  registry?: string;
  repository?: string;
  tag?: string;
  cve?: string;
  severity?: Severity[];
  minCvss?: number;
  maxCvss?: number;
  minEpss?: number;
  kev?: boolean;
  fixable?: boolean;
  status?: ScanStatus[];
  /** Images with at least one effective content finding of any of these kinds. */
  content?: ContentKind[];
  /** false (default) hides dismissed images, true shows only them, 'all' shows both. */
  dismissed?: boolean | 'all';
  q?: string;
}

export interface PageRequest {
  sort: SortKey;
  order: 'asc' | 'desc';
  limit: number;
  /** The last row of the previous page: its sort value and id. */
  after?: { value: string | number; id: string };
}

const SORT_SQL: Record<SortKey, { expr: string; cast: string }> = {
  maxCvss: { expr: 'coalesce(i.max_cvss, -1)', cast: 'float8' },
  lastScanned: { expr: 'i.scanned_at', cast: 'timestamptz' },
  repository: { expr: 'i.repository', cast: 'text' },
};

const SEVERITY_COLUMN: Record<Severity, string> = {
  critical: 'i.critical_count',
  high: 'i.high_count',
  medium: 'i.medium_count',
  low: 'i.low_count',
  none: 'i.none_count',
  unknown: 'i.unknown_count',
};

const CONTENT_COLUMN: Record<ContentKind, string> = {
  secret: 'i.secret_count',
  threat: 'i.threat_count',
  config: 'i.config_count',
};

export class Where {
  readonly parts: string[] = ['NOT i.repo_excepted'];
  readonly params: SqlValue[] = [];
  add(sqlWithParam: (p: string) => string, value: SqlValue): void {
    this.params.push(value);
    this.parts.push(sqlWithParam(`$${this.params.length}`));
  }
  text(): string {
    return this.parts.join(' AND ');
  }
}

/** The WHERE clause of a filter (exported as the seam for exports honouring the same filters). */
export function buildWhere(f: ImageFilter): Where {
  const w = new Where();
  if (f.result?.length) w.add((p) => `i.result = ANY(${p}::text[])`, f.result);
  if (f.status?.length) w.add((p) => `i.status = ANY(${p}::text[])`, f.status);
  if (f.registry !== undefined) w.add((p) => `i.registry = ${p}`, f.registry);
  if (f.repository !== undefined) w.add((p) => `i.repository = ${p}`, f.repository);
  if (f.tag !== undefined) w.add((p) => `i.tags @> ARRAY[${p}::text]`, f.tag);
  if (f.cve !== undefined)
    w.add(
      (p) => `i.id IN (SELECT f.image_key FROM findings f WHERE f.ids @> ARRAY[upper(${p}::text)])`,
      f.cve,
    );
  if (f.severity?.length)
    w.parts.push(`(${f.severity.map((s) => `${SEVERITY_COLUMN[s]} > 0`).join(' OR ')})`);
  if (f.content?.length)
    w.parts.push(`(${[...new Set(f.content)].map((k) => `${CONTENT_COLUMN[k]} > 0`).join(' OR ')})`);
  if (f.minCvss !== undefined) w.add((p) => `i.max_cvss >= ${p}::float8`, f.minCvss);
  if (f.maxCvss !== undefined) w.add((p) => `i.max_cvss <= ${p}::float8`, f.maxCvss);
  if (f.minEpss !== undefined) w.add((p) => `i.max_epss >= ${p}::float8`, f.minEpss);
  if (f.kev !== undefined) w.parts.push(f.kev ? 'i.kev_count > 0' : 'i.kev_count = 0');
  if (f.fixable !== undefined) w.parts.push(f.fixable ? 'i.fixable_count > 0' : 'i.fixable_count = 0');
  const dismissed = f.dismissed ?? false;
  if (dismissed !== 'all') w.parts.push(dismissed ? 'i.dismissed' : 'NOT i.dismissed');
  if (f.q)
    w.add(
      (p) => `(i.repository ILIKE ${p} OR i.registry ILIKE ${p} OR i.id ILIKE ${p}
        OR array_to_string(i.tags, ' ') ILIKE ${p})`,
      likeContains(f.q),
    );
  return w;
}

function sortValue(row: ImageRow, sort: SortKey): string | number {
  if (sort === 'maxCvss') return row.max_cvss ?? -1;
  if (sort === 'lastScanned') return toIso(row.scanned_at);
  return row.repository;
}

export function imageListRepository(sql: Sql) {
  return {
    async list(
      filter: ImageFilter,
      page: PageRequest,
    ): Promise<{ items: ImageSummary[]; next?: PageRequest['after'] }> {
      const w = buildWhere(filter);
      const { expr, cast } = SORT_SQL[page.sort];
      const dir = page.order === 'asc' ? 'ASC' : 'DESC';
      if (page.after) {
        const op = page.order === 'asc' ? '>' : '<';
        w.params.push(page.after.value, page.after.id);
        const n = w.params.length;
        w.parts.push(`(${expr}, i.id) ${op} ($${n - 1}::${cast}, $${n}::text)`);
      }
      w.params.push(page.limit + 1);
      const r = await sql.query<ImageRow>(
        `SELECT ${IMAGE_COLUMNS} FROM images i WHERE ${w.text()}
         ORDER BY ${expr} ${dir}, i.id ${dir} LIMIT $${w.params.length}`,
        w.params,
      );
      const rows = r.rows.slice(0, page.limit);
      const last = rows[rows.length - 1];
      const more = r.rows.length > page.limit && last !== undefined;
      return {
        items: rows.map(toSummary),
        ...(more ? { next: { value: sortValue(last, page.sort), id: last.id } } : {}),
      };
    },
  };
}

export type ImageListRepository = ReturnType<typeof imageListRepository>;
