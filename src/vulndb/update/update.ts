/**
 * `db update`: every selected feed downloaded from its URL and imported into ONE new copy of the
 * DB, swapped in atomically at the end (`buildDb`). A source that fails keeps what the DB had for
 * it; the others still land. Only when every source failed is the copy discarded.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buildDb, type DbBuilder } from '../build.js';
import { DEFAULT_HTTP, type HttpPolicy } from './download.js';
import { type SourceOutcome, type UpdateEvent, UpdateFailedError, type UpdateSummary } from './outcome.js';
import { nvdRateLimiter, type RateLimiter } from './rate-limit.js';
import { type RunContext, runSource } from './source-run.js';
import { type ResolvedSource, resolveSources } from './sources.js';

export interface UpdateOptions {
  /** Source or group names (`osv`, `osv:PyPI`, `kev`…); empty or absent = all. */
  sources?: readonly string[];
  /** Base URL of a mirror laid out as the README describes. */
  mirror?: string | undefined;
  /** Per-source URL overrides, by source name. */
  sourceUrls?: Readonly<Record<string, string>>;
  /** Read for NVD_API_KEY / ASSAY_NVD_API_KEY. */
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal | undefined;
  onEvent?(e: UpdateEvent): void;
  http?: Partial<HttpPolicy>;
  /** Downloads in flight at once (imports always run one at a time). Default 4. */
  concurrency?: number;
  nvdLimiter?: RateLimiter;
  now?: () => Date;
}

/** Thrown inside buildDb to discard the copy when no source changed anything. */
class NothingChanged extends Error {
  constructor(readonly outcomes: SourceOutcome[]) {
    super('nothing changed');
  }
}

export async function updateDb(dir: string, opts: UpdateOptions): Promise<UpdateSummary> {
  const sources = resolveSources({
    ...(opts.sources ? { select: opts.sources } : {}),
    ...(opts.mirror ? { mirror: opts.mirror } : {}),
    ...(opts.sourceUrls ? { sourceUrls: opts.sourceUrls } : {}),
  });
  await mkdir(dir, { recursive: true });
  // Downloads stay inside the DB directory: same file system as the DB, cleaned up below.
  const tmp = join(dir, `${TMP_PREFIX}${process.pid}-${Date.now()}`);
  let dirty = false;
  const markDirty = () => {
    dirty = true;
  };
  try {
    const outcomes = await buildDb(dir, async (builder) => {
      const ctx = runContext(builder, tmp, opts, markDirty);
      await removeStaleDownloads(dir);
      const done = await runPool(sources, opts.concurrency ?? 4, (s) => runSource(s, ctx));
      if (done.every((o) => o.status === 'failed'))
        throw new UpdateFailedError({ dir, sources: done, swapped: false });
      if (!dirty && !done.some((o) => o.status === 'updated')) throw new NothingChanged(done);
      return done;
    });
    return { dir, sources: outcomes, swapped: true };
  } catch (err) {
    if (err instanceof NothingChanged) return { dir, sources: err.outcomes, swapped: false };
    throw err;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

const TMP_PREFIX = '.update-';

function runContext(builder: DbBuilder, tmp: string, opts: UpdateOptions, markDirty: () => void): RunContext {
  const apiKey = opts.env.ASSAY_NVD_API_KEY || opts.env.NVD_API_KEY || undefined;
  return {
    builder,
    tmp,
    http: { ...DEFAULT_HTTP, ...opts.http },
    nvdApiKey: apiKey,
    nvdLimiter: opts.nvdLimiter ?? nvdRateLimiter(apiKey !== undefined),
    now: opts.now ?? (() => new Date()),
    signal: opts.signal,
    emit: (e) => opts.onEvent?.(e),
    markDirty,
    serialize: serializer(),
  };
}

/** Download folders of updates that crashed; safe to remove while buildDb holds the DB's lock. */
async function removeStaleDownloads(dir: string): Promise<void> {
  for (const name of await readdir(dir))
    if (name.startsWith(TMP_PREFIX)) await rm(join(dir, name), { recursive: true, force: true });
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
async function runPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** A mutex as a promise chain: each call starts when the previous one settled. */
function serializer(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

export type { ResolvedSource };
