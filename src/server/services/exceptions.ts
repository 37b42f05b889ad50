/**
 * Vulnerability, repository and content (secret, threat, config) exceptions, stored in the one exception shape
 * (src/model/exception.ts). Every change re-evaluates the affected findings and re-grades the
 * affected images in the same transaction, so results change immediately.
 */
import { z } from 'zod';
import {
  type ExceptionEntry,
  ExceptionEntrySchema,
  ExceptionScopeSchema,
  exceptionInstant,
} from '../../model/exception.js';
import { type ContentKind, ContentKindSchema, contentKinds } from '../../model/result.js';
import { badRequest, notFound } from '../errors.js';
import type { ContentTarget } from '../store/content-findings-repo.js';
import type { StoredException } from '../store/exceptions-repo.js';
import type { Store } from '../store/store.js';

/**
 * Wildcards (`*` or `**` runs) allowed in a content exception's path glob. Matching is linear in
 * pattern × path (src/content/secrets/glob.ts), so this is a bound on how broad a hand-written
 * exception may be, not a defence: any depth, a directory, any depth, a file pattern.
 */
const MAX_WILDCARDS = 3;

export const VulnerabilityExceptionInputSchema = z
  .object({
    target: z.string().trim().min(1).max(200),
    package: z.string().trim().min(1).max(500).optional(),
    scope: ExceptionScopeSchema.optional(),
    reason: z.string().trim().min(1).max(2000),
    expires: z.string().optional(),
  })
  .strict();
export type VulnerabilityExceptionInput = z.infer<typeof VulnerabilityExceptionInputSchema>;

/**
 * A content exception: `secret` → `RULE[:PATH-GLOB]`; `threat` → a SHA-256 (or `ID[:PATH-GLOB]`);
 * `config` → a check id (src/match/content-exceptions.ts). Globs with more than `MAX_WILDCARDS`
 * wildcards are refused.
 */
export const ContentExceptionInputSchema = z
  .object({
    kind: ContentKindSchema,
    target: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .refine((t) => (t.match(/\*+/g) ?? []).length <= MAX_WILDCARDS, {
        message: `at most ${MAX_WILDCARDS} wildcards (* or **) in a path glob`,
      }),
    scope: ExceptionScopeSchema.optional(),
    reason: z.string().trim().min(1).max(2000),
    expires: z.string().optional(),
  })
  .strict();
export type ContentExceptionInput = z.infer<typeof ContentExceptionInputSchema>;

export const RepositoryExceptionInputSchema = z
  .object({
    repositories: z.array(z.string().trim().min(1).max(500)).min(1).max(1000),
    reason: z.string().trim().min(1).max(2000),
  })
  .strict();
export type RepositoryExceptionInput = z.infer<typeof RepositoryExceptionInputSchema>;

function validEntry(entry: ExceptionEntry): ExceptionEntry {
  const parsed = ExceptionEntrySchema.safeParse(entry);
  if (!parsed.success)
    throw badRequest(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

async function reapply(tx: Store, ids: string[], exceptionIds: number[]): Promise<void> {
  const changed = await tx.findings.applyExceptions({ ids, exceptionIds });
  if (changed.length > 0) await tx.images.recompute(changed, await tx.settings.thresholds('share'));
}

async function reapplyContent(tx: Store, targets: ContentTarget[], exceptionIds: number[]): Promise<void> {
  const changed = await tx.contentFindings.applyExceptions({ targets, exceptionIds });
  if (changed.length > 0) await tx.images.recompute(changed, await tx.settings.thresholds('share'));
}

function notExpired(entry: ExceptionEntry): void {
  // An exception that has already expired would never apply: almost always a typo in the year.
  if (entry.expires !== undefined && exceptionInstant(entry.expires) <= Date.now())
    throw badRequest(`expires: ${entry.expires} is not in the future; an expired exception never applies`);
}

export async function addVulnerabilityException(
  store: Store,
  input: VulnerabilityExceptionInput,
  author: string,
): Promise<StoredException> {
  const entry = validEntry({ kind: 'vulnerability', ...input, author });
  notExpired(entry);
  return store.transaction(async (tx) => {
    const stored = await tx.exceptions.insert(entry);
    await reapply(tx, [entry.target], []);
    return stored;
  });
}

export async function cancelVulnerabilityException(
  store: Store,
  id: number,
  by: string,
): Promise<StoredException> {
  return store.transaction(async (tx) => {
    const existing = await tx.exceptions.get(id);
    if (existing?.entry.kind !== 'vulnerability') throw notFound(`exception ${id}`);
    const [cancelled] = await tx.exceptions.cancel({ ids: [id] }, by, 'deleted');
    if (!cancelled) return existing; // already cancelled: deleting twice is not an error
    await reapply(tx, [cancelled.entry.target], [id]);
    return cancelled;
  });
}

export async function addContentException(
  store: Store,
  input: ContentExceptionInput,
  author: string,
): Promise<StoredException> {
  const entry = validEntry({ ...input, author });
  notExpired(entry);
  return store.transaction(async (tx) => {
    const stored = await tx.exceptions.insert(entry);
    await reapplyContent(tx, [{ kind: entry.kind, target: entry.target }], []);
    return stored;
  });
}

const isContentKind = (kind: string): kind is ContentKind =>
  (contentKinds as readonly string[]).includes(kind);

export async function cancelContentException(store: Store, id: number, by: string): Promise<StoredException> {
  return store.transaction(async (tx) => {
    const existing = await tx.exceptions.get(id);
    if (!existing || !isContentKind(existing.entry.kind)) throw notFound(`exception ${id}`);
    const [cancelled] = await tx.exceptions.cancel({ ids: [id] }, by, 'deleted');
    if (!cancelled) return existing; // already cancelled: deleting twice is not an error
    await reapplyContent(tx, [], [id]);
    return cancelled;
  });
}

/** Live content exceptions, of one kind or all three. */
export async function listContentExceptions(store: Store, kind?: ContentKind): Promise<StoredException[]> {
  const live = await store.exceptions.list({ live: true });
  return live.filter((e) => (kind ? e.entry.kind === kind : isContentKind(e.entry.kind)));
}

export async function addRepositoryExceptions(
  store: Store,
  input: RepositoryExceptionInput,
  author: string,
): Promise<StoredException[]> {
  const entries = input.repositories.map((target) =>
    validEntry({ kind: 'repository', target, reason: input.reason, author }),
  );
  return store.transaction(async (tx) => {
    const out: StoredException[] = [];
    for (const e of entries) out.push(await tx.exceptions.insert(e));
    await tx.images.refreshRepositoryExceptions(null);
    return out;
  });
}

export async function cancelRepositoryExceptions(
  store: Store,
  input: RepositoryExceptionInput,
  by: string,
): Promise<StoredException[]> {
  return store.transaction(async (tx) => {
    const cancelled = await tx.exceptions.cancel(
      { kind: 'repository', targets: input.repositories },
      by,
      input.reason,
    );
    await tx.images.refreshRepositoryExceptions(null);
    return cancelled;
  });
}

export function listExceptions(
  store: Store,
  kind: 'vulnerability' | 'repository',
): Promise<StoredException[]> {
  return store.exceptions.list({ kind, live: true });
}

/** Every entry ever stored (cancelled ones carry `cancelled`), as `{exceptions: […]}`. */
export async function exportExceptions(store: Store): Promise<{ exceptions: ExceptionEntry[] }> {
  const all = await store.exceptions.list({});
  return { exceptions: all.map((s) => s.entry) };
}

/** Re-evaluates entries that expired since `since`; main.ts calls it periodically. */
export async function sweepExpiredExceptions(store: Store, since: Date): Promise<void> {
  await store.transaction(async (tx) => {
    const targets = await tx.exceptions.expiredSince(since);
    if (targets.length > 0) await reapply(tx, targets, []);
    const contentIds = await tx.exceptions.expiredIdsSince(since, contentKinds);
    if (contentIds.length > 0) await reapplyContent(tx, [], contentIds);
    await tx.images.refreshRepositoryExceptions(null);
  });
}
