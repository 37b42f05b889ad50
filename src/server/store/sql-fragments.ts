/**
 * SQL shared by several queries, so the rules they encode live in one place. Every fragment is a
 * constant: user input only ever reaches the database as a bind parameter.
 */
import { parsePurlBase, purlKey } from '../../match/purl-parts.js';

/** A finding counts for grading unless the scanner's ignore file or a manager exception excepted it. */
export const EFFECTIVE = '(f.excepted_by IS NULL AND NOT f.doc_excepted)';

/**
 * The grade of a maximum CVSS score, exactly as `gradeOf` in src/match/grade.ts (tested against it):
 * UNKNOWN unless scanned, FAIL when `contentFail` (an effective content finding of a `--fail-on`
 * kind, see `contentFailSql`), PASS without a score, else FAIL ≥ fail, WARN ≥ warn, else PASS.
 */
export function gradeSql(
  max: string,
  status: string,
  warn: string,
  fail: string,
  contentFail: string,
): string {
  return `CASE WHEN ${status} <> 'scanned' THEN 'UNKNOWN' WHEN ${contentFail} THEN 'FAIL'
    WHEN ${max} IS NULL THEN 'PASS'
    WHEN ${max} >= ${fail} THEN 'FAIL' WHEN ${max} >= ${warn} THEN 'WARN' ELSE 'PASS' END`;
}

/** Whether effective content counts hit one of the image's `--fail-on` kinds (`failOn`: a text[]). */
export function contentFailSql(failOn: string, secret: string, threat: string, config: string): string {
  return `((${secret} > 0 AND 'secret' = ANY(${failOn})) OR (${threat} > 0 AND 'threat' = ANY(${failOn}))
    OR (${config} > 0 AND 'config' = ANY(${failOn})))`;
}

/** The stored columns' content-fail test of image `i` (what a threshold change re-grades with). */
export const CONTENT_FAIL = contentFailSql('i.fail_on', 'i.secret_count', 'i.threat_count', 'i.config_count');

/** Whether image `i` belongs to a repository matching regex `re` (bare name or registry/name). */
export function repositoryMatchSql(re: string): string {
  return `(i.repository ~ ${re} OR (i.registry <> '' AND (i.registry || '/' || i.repository) ~ ${re}))`;
}

export const LIVE_EXCEPTION = '(e.cancelled_at IS NULL AND (e.expires_at IS NULL OR e.expires_at > now()))';

/** Exception `e`'s scope covers image `i` (all, one image by either digest, or a repository pattern). */
export const SCOPE_MATCHES = `((e.scope_image IS NULL OR e.scope_image = lower(i.id) OR e.scope_image = lower(i.image_id))
    AND (e.scope_repo_re IS NULL OR ${repositoryMatchSql('e.scope_repo_re')}))`;

/**
 * The first live vulnerability exception matching finding `f` of image `i`: the same rules as
 * `applyExceptions` in src/match/exceptions.ts (id or alias, scope, package name or purl base).
 */

export const MATCHING_EXCEPTION = `(SELECT min(e.id) FROM exceptions e
  WHERE e.kind = 'vulnerability' AND ${LIVE_EXCEPTION} AND e.target_key = ANY(f.ids)
    AND ${SCOPE_MATCHES}
    AND (e.package IS NULL
      OR (e.package_base IS NULL AND (e.package = f.package_name OR e.package = f.source_name))
      OR (e.package_base = f.purl_base AND (e.package_version IS NULL OR e.package_version = f.purl_version))))`;

/** `*` within one path segment, `**` across segments, the rest literal (src/match/repository-pattern.ts). */
export function repositoryPatternRegex(pattern: string): string {
  let source = '';
  const p = pattern.trim();
  for (let i = 0; i < p.length; i++) {
    const ch = p[i] ?? '';
    if (ch === '*' && p[i + 1] === '*') {
      source += '.*';
      while (p[i + 1] === '*') i++;
    } else if (ch === '*') source += '[^/]*';
    else source += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return `^${source}$`;
}

/** The comparable base of a purl (lower-cased type/namespace/name) and its version. */
export function purlParts(purl: string): { base: string | null; version: string | null } {
  const p = parsePurlBase(purl);
  return p ? { base: purlKey(p).toLowerCase(), version: p.version ?? null } : { base: null, version: null };
}

/** Escapes LIKE wildcards so free text matches literally (`\` is PostgreSQL's default escape). */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}
