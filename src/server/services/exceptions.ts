/**
 * Vulnerability and repository exceptions, stored in the one exception shape
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
import { badRequest, notFound } from '../errors.js';
import type { StoredException } from '../store/exceptions-repo.js';
import type { Store } from '../store/store.js';

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

export async function addVulnerabilityException(
  store: Store,
  input: VulnerabilityExceptionInput,
  author: string,
): Promise<StoredException> {
  const entry = validEntry({ kind: 'vulnerability', ...input, author });
  // An exception that has already expired would never apply: almost always a typo in the year.
  if (entry.expires !== undefined && exceptionInstant(entry.expires) <= Date.now())
    throw badRequest(`expires: ${entry.expires} is not in the future; an expired exception never applies`);
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
    await tx.images.refreshRepositoryExceptions(null);
  });
}
