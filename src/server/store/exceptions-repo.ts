/** Stored exceptions in the one shape of src/model/exception.ts, plus the columns SQL matches on. */
import { type ExceptionEntry, type ExceptionKind, exceptionInstant } from '../../model/exception.js';
import type { Sql } from './sql.js';
import { purlParts, repositoryPatternRegex } from './sql-fragments.js';

export interface StoredException {
  id: number;
  entry: ExceptionEntry;
}

interface ExceptionRow {
  id: number;
  kind: ExceptionKind;
  target: string;
  package: string | null;
  scope_image: string | null;
  scope_repository: string | null;
  reason: string;
  author: string | null;
  created_at: Date | string;
  expires: string | null;
  cancelled_by: string | null;
  cancelled_reason: string | null;
  cancelled_at: Date | string | null;
}

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

function toEntry(r: ExceptionRow): ExceptionEntry {
  const e: ExceptionEntry = { kind: r.kind, target: r.target, reason: r.reason, created: iso(r.created_at) };
  if (r.package) e.package = r.package;
  if (r.scope_image) e.scope = { image: r.scope_image };
  else if (r.scope_repository) e.scope = { repository: r.scope_repository };
  if (r.author) e.author = r.author;
  if (r.expires) e.expires = r.expires;
  if (r.cancelled_at && r.cancelled_by && r.cancelled_reason)
    e.cancelled = { by: r.cancelled_by, reason: r.cancelled_reason, at: iso(r.cancelled_at) };
  return e;
}

function matchColumns(e: ExceptionEntry) {
  const pkg = e.package?.startsWith('pkg:') ? purlParts(e.package) : { base: null, version: null };
  const scope = e.scope === undefined || e.scope === 'all' ? undefined : e.scope;
  const repo = scope && 'repository' in scope ? scope.repository : null;
  return {
    targetKey: e.kind === 'repository' ? repositoryPatternRegex(e.target) : e.target.toUpperCase(),
    packageBase: pkg.base,
    packageVersion: pkg.version,
    scopeImage: scope && 'image' in scope ? scope.image.toLowerCase() : null,
    scopeRepository: repo,
    scopeRepoRe: repo ? repositoryPatternRegex(repo) : null,
  };
}

export function exceptionsRepository(sql: Sql) {
  return {
    async insert(e: ExceptionEntry): Promise<StoredException> {
      const m = matchColumns(e);
      const r = await sql.query<ExceptionRow>(
        `INSERT INTO exceptions (kind, target, target_key, package, package_base, package_version, scope_image,
           scope_repository, scope_repo_re, reason, author, expires, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING *`,
        [
          e.kind,
          e.target,
          m.targetKey,
          e.package ?? null,
          m.packageBase,
          m.packageVersion,
          m.scopeImage,
          m.scopeRepository,
          m.scopeRepoRe,
          e.reason,
          e.author ?? null,
          e.expires ?? null,
          e.expires ? new Date(exceptionInstant(e.expires)) : null,
        ],
      );
      const row = r.rows[0];
      if (!row) throw new Error('INSERT … RETURNING gave no row');
      return { id: row.id, entry: toEntry(row) };
    },

    async list(opts: { kind?: ExceptionKind; live?: boolean }): Promise<StoredException[]> {
      const r = await sql.query<ExceptionRow>(
        `SELECT * FROM exceptions WHERE ($1::text IS NULL OR kind = $1)
           AND (NOT $2::boolean OR cancelled_at IS NULL) ORDER BY id`,
        [opts.kind ?? null, opts.live ?? false],
      );
      return r.rows.map((row) => ({ id: row.id, entry: toEntry(row) }));
    },

    async get(id: number): Promise<StoredException | undefined> {
      const r = await sql.query<ExceptionRow>('SELECT * FROM exceptions WHERE id = $1', [id]);
      const row = r.rows[0];
      return row ? { id: row.id, entry: toEntry(row) } : undefined;
    },

    /** Cancels live entries by id or by (kind, exact target); returns what was cancelled. */
    async cancel(
      select: { ids: readonly number[] } | { kind: ExceptionKind; targets: readonly string[] },
      by: string,
      reason: string,
    ): Promise<StoredException[]> {
      const [where, param] =
        'ids' in select
          ? ['id = ANY($1::int[])', select.ids]
          : ['kind = $4 AND target = ANY($1::text[])', select.targets];
      const r = await sql.query<ExceptionRow>(
        `UPDATE exceptions SET cancelled_by = $2, cancelled_reason = $3, cancelled_at = now()
         WHERE cancelled_at IS NULL AND ${where} RETURNING *`,
        'ids' in select ? [param, by, reason] : [param, by, reason, select.kind],
      );
      return r.rows.map((row) => ({ id: row.id, entry: toEntry(row) }));
    },

    /** Ids of live entries of these kinds whose expiry passed since `since` (what they excepted needs re-evaluating). */
    async expiredIdsSince(since: Date, kinds: readonly ExceptionKind[]): Promise<number[]> {
      const r = await sql.query<{ id: number }>(
        `SELECT id FROM exceptions WHERE kind = ANY($2::text[]) AND cancelled_at IS NULL
           AND expires_at > $1 AND expires_at <= now()`,
        [since, kinds],
      );
      return r.rows.map((x) => x.id);
    },

    /** Targets of vulnerability entries whose expiry passed since `since` (their findings need re-evaluating). */
    async expiredSince(since: Date): Promise<string[]> {
      const r = await sql.query<{ target_key: string }>(
        `SELECT DISTINCT target_key FROM exceptions WHERE kind = 'vulnerability' AND cancelled_at IS NULL
           AND expires_at > $1 AND expires_at <= now()`,
        [since],
      );
      return r.rows.map((x) => x.target_key);
    },
  };
}

export type ExceptionsRepository = ReturnType<typeof exceptionsRepository>;
