/**
 * The Images view's state lives in the URL query, spelled exactly as GET /api/v1/images spells
 * its parameters, so a shared address is also a valid API query. Two defaults differ from "no
 * filter": results PASS, WARN and FAIL (UNKNOWN is opt-in) and dismissed images hidden (the API's
 * own default).
 */
import { contentKinds, scanStatuses } from '../../../../src/model/values.js';
import type { ContentKind, GradeResult, ImageListParams, ScanStatus, Severity } from '../../api/types.js';

export const RESULTS: GradeResult[] = ['PASS', 'WARN', 'FAIL', 'UNKNOWN'];
export const DEFAULT_RESULTS: GradeResult[] = ['PASS', 'WARN', 'FAIL'];
/** In the URL when every result box is unticked: nothing can match, so nothing is fetched. */
export const NO_RESULT = 'none';
export const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'unknown'];
/** The scan statuses as the result model defines them (a plain-constant module: no zod in the bundle). */
export const STATUSES: readonly ScanStatus[] = scanStatuses;
/** The `content` filter's values (images with at least one effective finding of each kind ticked). */
export const CONTENT_KINDS: readonly ContentKind[] = contentKinds;
export const CONTENT_LABELS: Record<ContentKind, string> = {
  secret: 'Secrets',
  threat: 'Threats',
  config: 'Config findings',
};
export const PAGE_SIZES = [50, 100, 200] as const;
export type SortKey = 'maxCvss' | 'lastScanned' | 'repository';
export const DEFAULT_ORDER: Record<SortKey, 'asc' | 'desc'> = {
  maxCvss: 'desc',
  lastScanned: 'desc',
  repository: 'asc',
};

/** URL keys that filter (everything but sort, order, page size and cursor). */
export const FILTER_KEYS = [
  'result',
  'registry',
  'repository',
  'tag',
  'cve',
  'severity',
  'minCvss',
  'maxCvss',
  'minEpss',
  'kev',
  'fixable',
  'content',
  'status',
  'dismissed',
  'q',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export const list = (s: string | null): string[] =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** The result boxes ticked: the URL's list, or the default when the URL names none. */
export function selectedResults(search: URLSearchParams): GradeResult[] {
  const raw = search.get('result');
  if (raw === null) return DEFAULT_RESULTS;
  return RESULTS.filter((r) => list(raw).includes(r));
}

export function sortOf(search: URLSearchParams): { sort: SortKey; order: 'asc' | 'desc' } {
  const s = search.get('sort');
  const sort: SortKey = s === 'lastScanned' || s === 'repository' ? s : 'maxCvss';
  const o = search.get('order');
  return { sort, order: o === 'asc' || o === 'desc' ? o : DEFAULT_ORDER[sort] };
}

export function pageSizeOf(search: URLSearchParams): number {
  const n = Number(search.get('limit'));
  return PAGE_SIZES.find((p) => p === n) ?? PAGE_SIZES[0];
}

/**
 * The filters as API parameters (shared by the list and the exports): unknown URL keys are left
 * out because the API rejects them. `undefined` when no result is ticked.
 */
export function filterParams(search: URLSearchParams): ImageListParams | undefined {
  const results = selectedResults(search);
  if (results.length === 0) return undefined;
  const p: ImageListParams = {};
  for (const k of FILTER_KEYS) {
    const v = search.get(k);
    if (v !== null && v !== '' && k !== 'result') p[k] = v;
  }
  if (results.length < RESULTS.length) p.result = results.join(',');
  const { sort, order } = sortOf(search);
  p.sort = sort;
  p.order = order;
  return p;
}

/** The list query: filters plus page size and the current cursor. */
export function listParams(search: URLSearchParams): ImageListParams | undefined {
  const p = filterParams(search);
  if (!p) return undefined;
  p.limit = String(pageSizeOf(search));
  const cursor = search.get('cursor');
  if (cursor) p.cursor = cursor;
  return p;
}

/** Whether any filter differs from the defaults (for "Clear filters" and the empty state). */
export function hasFilters(search: URLSearchParams): boolean {
  return FILTER_KEYS.some((k) => (search.get(k) ?? '') !== '');
}

/** URL changes that reset every filter (and the page): sort and page size stay. */
export function clearedFilters(): Record<string, undefined> {
  const out: Record<string, undefined> = { cursor: undefined };
  for (const k of FILTER_KEYS) out[k] = undefined;
  return out;
}

/** A percentage typed by the user as the API's 0..1 fraction, without float noise (7 → "0.07"). */
export function percentToFraction(pct: string): string {
  return pct.trim() === '' ? '' : String(Number((Number(pct) / 100).toPrecision(6)));
}

export function fractionToPercent(fraction: string | null): string {
  return fraction ? String(Number((Number(fraction) * 100).toPrecision(6))) : '';
}
