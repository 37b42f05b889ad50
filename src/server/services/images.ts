/** Image views: the filtered list with opaque cursors, the detail with effective findings, and lifecycle actions. */
import { z } from 'zod';
import type { ExceptionEntry } from '../../model/exception.js';
import type { Finding } from '../../model/result.js';
import {
  ContentKindSchema,
  GradeResultSchema,
  ScanStatusSchema,
  SeveritySchema,
} from '../../model/result.js';
import { badRequest, notFound } from '../errors.js';
import type { ImageFilter, PageRequest, SortKey } from '../store/image-list.js';
import type { ImageSummary } from '../store/image-rows.js';
import type { Store } from '../store/store.js';

const csv = <T extends z.ZodType>(item: T) =>
  z.string().transform((s, ctx) => {
    const parsed = z.array(item).safeParse(
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    );
    if (!parsed.success) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a comma-separated list of ${item.description ?? 'values'}`,
      });
      return z.NEVER;
    }
    return parsed.data as z.output<T>[];
  });
const bool = z.enum(['true', 'false']).transform((s) => s === 'true');
const score = (max: number) => z.coerce.number().min(0).max(max);

/** Query string of GET /api/v1/images (and the exports): unknown parameters are rejected. */
export const ImageListQuerySchema = z
  .object({
    result: csv(GradeResultSchema.describe('PASS, WARN, FAIL, UNKNOWN')).optional(),
    registry: z.string().max(255).optional(),
    repository: z.string().max(500).optional(),
    tag: z.string().max(255).optional(),
    cve: z.string().min(1).max(100).optional(),
    severity: csv(SeveritySchema.describe('critical, high, medium, low, none, unknown')).optional(),
    minCvss: score(10).optional(),
    maxCvss: score(10).optional(),
    minEpss: score(1).optional(),
    kev: bool.optional(),
    fixable: bool.optional(),
    status: csv(ScanStatusSchema.describe('scan statuses')).optional(),
    /** Images with ≥ 1 effective content finding of any listed kind. */
    content: csv(ContentKindSchema.describe('secret, threat, config')).optional(),
    dismissed: z.enum(['true', 'false', 'all']).optional(),
    q: z.string().max(200).optional(),
    sort: z.enum(['maxCvss', 'lastScanned', 'repository']).default('maxCvss'),
    order: z.enum(['asc', 'desc']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(2000).optional(),
  })
  .strict();
export type ImageListQuery = z.infer<typeof ImageListQuerySchema>;

const DEFAULT_ORDER: Record<SortKey, 'asc' | 'desc'> = {
  maxCvss: 'desc',
  lastScanned: 'desc',
  repository: 'asc',
};

const CursorSchema = z.tuple([
  z.string(),
  z.enum(['asc', 'desc']),
  z.union([z.string(), z.number()]),
  z.string(),
]);

export function encodeCursor(
  sort: SortKey,
  order: 'asc' | 'desc',
  after: NonNullable<PageRequest['after']>,
): string {
  return Buffer.from(JSON.stringify([sort, order, after.value, after.id])).toString('base64url');
}

function decodeCursor(cursor: string, sort: SortKey, order: 'asc' | 'desc'): PageRequest['after'] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('cursor: not a cursor returned by this API');
  }
  const c = CursorSchema.safeParse(parsed);
  if (!c.success || c.data[0] !== sort || c.data[1] !== order)
    throw badRequest('cursor: does not belong to this sort order; start again without a cursor');
  return { value: c.data[2], id: c.data[3] };
}

export function toFilter(q: ImageListQuery): ImageFilter {
  const { sort: _s, order: _o, limit: _l, cursor: _c, dismissed, ...rest } = q;
  return {
    ...rest,
    dismissed: dismissed === undefined ? false : dismissed === 'all' ? 'all' : dismissed === 'true',
  };
}

export async function listImages(
  store: Store,
  q: ImageListQuery,
): Promise<{ items: ImageSummary[]; nextCursor: string | null }> {
  const order = q.order ?? DEFAULT_ORDER[q.sort];
  const page: PageRequest = { sort: q.sort, order, limit: q.limit };
  if (q.cursor) page.after = decodeCursor(q.cursor, q.sort, order);
  const r = await store.imageList.list(toFilter(q), page);
  return { items: r.items, nextCursor: r.next ? encodeCursor(q.sort, order, r.next) : null };
}

/** Findings as stored, with `exception` set from the manager exception that excepts each (if any). */
export function markExceptions<F extends Finding>(
  stored: readonly { finding: F; exceptionId: number | null }[],
  byId: ReadonlyMap<number, ExceptionEntry>,
): F[] {
  return stored.map(({ finding, exceptionId }) => {
    const e = exceptionId === null ? undefined : byId.get(exceptionId);
    if (!e) return finding;
    const exception: NonNullable<Finding['exception']> = { reason: e.reason, source: 'manager' };
    if (e.author) exception.author = e.author;
    if (e.expires) exception.expires = e.expires;
    return { ...finding, exception };
  });
}

/** Every stored finding exception (vulnerability and content kinds), cancelled ones too. */
export async function exceptionsById(store: Store): Promise<Map<number, ExceptionEntry>> {
  const all = await store.exceptions.list({});
  return new Map(all.filter((e) => e.entry.kind !== 'repository').map((e) => [e.id, e.entry]));
}

export async function imageDetail(store: Store, digest: string) {
  const image = await store.images.get(digest);
  if (!image) throw notFound('image');
  const [stored, content, byId] = await Promise.all([
    store.findings.forImage(digest),
    store.contentFindings.forImage(digest),
    exceptionsById(store),
  ]);
  const { document, summary } = image;
  // Vulnerabilities first (highest CVSS first), then content findings by kind, severity, layer, place.
  const findings: Finding[] = [...markExceptions(stored, byId), ...markExceptions(content, byId)];
  return {
    ...summary,
    document: { ...document, result: summary.result, maxCvssV3: summary.maxCvssV3 },
    findings,
  };
}

export async function setDismissed(store: Store, digest: string, dismissed: boolean): Promise<void> {
  if (!(await store.images.setDismissed(digest, dismissed))) throw notFound('image');
}

export async function deleteImage(store: Store, digest: string): Promise<void> {
  if (!(await store.images.remove(digest))) throw notFound('image');
}
