/**
 * One source's turn in `db update`: download (conditional, or NVD's pages) into a private temp
 * folder, then import it into the DB being built. Failures become the source's outcome; only an
 * abort escapes, so one bad feed never stops the others.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AssayError, errorMessage, isAssayError } from '../../model/errors.js';
import type { DbBuilder, ImportFileResult } from '../build.js';
import type { SourceInfo } from '../types.js';
import { download, type HttpPolicy } from './download.js';
import { fetchNvdPages } from './nvd.js';
import type { SourceOutcome, UpdateEvent } from './outcome.js';
import type { RateLimiter } from './rate-limit.js';
import type { ResolvedSource } from './sources.js';

export interface RunContext {
  builder: DbBuilder;
  /** Temp root inside the DB directory; each source gets its own folder below it. */
  tmp: string;
  http: HttpPolicy;
  nvdApiKey?: string | undefined;
  nvdLimiter: RateLimiter;
  now: () => Date;
  signal?: AbortSignal | undefined;
  emit(e: UpdateEvent): void;
  /** Says the DB copy changed without an import (a moved cursor), so it must be swapped in. */
  markDirty(): void;
  /** Imports run one at a time (one SQLite writer); downloads may overlap them. */
  serialize<T>(fn: () => Promise<T>): Promise<T>;
}

type Fields = Omit<SourceOutcome, 'source' | 'url' | 'seconds'>;

export async function runSource(src: ResolvedSource, ctx: RunContext): Promise<SourceOutcome> {
  const started = Date.now();
  ctx.emit({ kind: 'start', source: src.name, url: src.url });
  await mkdir(ctx.tmp, { recursive: true });
  const work = await mkdtemp(join(ctx.tmp, 'src-'));
  let fields: Fields;
  try {
    fields = src.kind === 'nvd' ? await runNvd(src, ctx, work) : await runFile(src, ctx, work);
  } catch (err) {
    if (ctx.signal?.aborted)
      throw new AssayError('aborted', 'db update interrupted; the DB was left as it was', { cause: err });
    fields = failed(src, err);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const outcome = { source: src.name, url: src.url, ...fields, seconds: (Date.now() - started) / 1000 };
  ctx.emit({ kind: 'done', outcome });
  return outcome;
}

async function runFile(src: ResolvedSource, ctx: RunContext, work: string): Promise<Fields> {
  const prev = ctx.builder.source(src.name);
  const dest = join(work, src.fileName);
  await mkdir(dirname(dest), { recursive: true });
  let got: Awaited<ReturnType<typeof download>>;
  try {
    got = await download(
      {
        url: src.url,
        dest,
        what: src.name,
        compressible: !/\.(zip|gz)$/.test(src.fileName),
        // Validators are only meaningful to the server that issued them.
        previous: prev?.url === src.url ? prev : undefined,
        signal: ctx.signal,
        onProgress: (bytes, total) => ctx.emit({ kind: 'bytes', source: src.name, bytes, total }),
        onWait: (ms, reason) => ctx.emit({ kind: 'wait', source: src.name, ms, reason }),
      },
      ctx.http,
    );
  } catch (err) {
    if (src.mayBeMissing && isAssayError(err, 'not-found'))
      return { ...empty('skipped'), note: 'not published (HTTP 404)' };
    throw err;
  }
  if (got.status === 'unchanged') return { ...empty('unchanged'), note: 'not modified (HTTP 304)' };
  const result = await importInto(src, ctx, dest, { etag: got.etag, lastModified: got.lastModified });
  return { ...empty('updated'), records: result.records, issues: result.skipped, bytes: got.bytes };
}

async function runNvd(src: ResolvedSource, ctx: RunContext, work: string): Promise<Fields> {
  const prev = ctx.builder.source(src.name);
  if (!prev?.cursor && !ctx.nvdApiKey)
    ctx.emit({
      kind: 'warn',
      source: src.name,
      message:
        'first NVD download without an API key: ~300,000 CVEs at 5 requests per 30 s takes about 15 minutes; set NVD_API_KEY to go 10x faster',
    });
  const pages = await fetchNvdPages({
    url: src.url,
    dir: work,
    apiKey: ctx.nvdApiKey,
    cursor: prev?.cursor,
    limiter: ctx.nvdLimiter,
    http: ctx.http,
    now: ctx.now,
    signal: ctx.signal,
    onPage: (fetched, total) =>
      ctx.emit({ kind: 'importing', source: src.name, records: Math.min(fetched, total) }),
    onWait: (ms, reason) => ctx.emit({ kind: 'wait', source: src.name, ms, reason }),
  });
  if (pages.records === 0 && prev && !pages.full) {
    // Nothing modified since the last run: only move the cursor forward.
    const moved = { ...prev, cursor: pages.cursor, importedAt: ctx.now().toISOString() };
    // Through the same queue as imports, so it never lands inside another source's transaction.
    await ctx.serialize(async () => ctx.builder.setSource(moved));
    ctx.markDirty();
    return { ...empty('unchanged'), bytes: pages.bytes, note: `no CVE modified since ${prev.cursor}` };
  }
  const result = await importInto(src, ctx, work, { cursor: pages.cursor, dataDate: pages.cursor });
  return { ...empty('updated'), records: result.records, issues: result.skipped, bytes: pages.bytes };
}

async function importInto(
  src: ResolvedSource,
  ctx: RunContext,
  path: string,
  meta: Partial<Pick<SourceInfo, 'etag' | 'lastModified' | 'cursor' | 'dataDate'>>,
): Promise<ImportFileResult> {
  return ctx.serialize(() =>
    ctx.builder.importFile(path, {
      importer: src.importer,
      label: src.url,
      source: { id: src.name, url: src.url, ...definedOnly(meta) },
      onIssue: (issue) => ctx.emit({ kind: 'issue', source: src.name, issue }),
      onProgress: (records) => ctx.emit({ kind: 'importing', source: src.name, records }),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    }),
  );
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function empty(status: SourceOutcome['status']): Fields {
  return { status, records: 0, issues: 0, bytes: 0 };
}

function failed(src: ResolvedSource, err: unknown): Fields {
  // The build names the input and so does the importer: say the URL once.
  const message = errorMessage(err).replace(
    `${src.url} (${src.importer}): ${src.url}: `,
    `${src.url} (${src.importer}): `,
  );
  return {
    ...empty('failed'),
    error: message.startsWith(`${src.name}:`) ? message : `${src.name}: ${message}`,
    errorCode: err instanceof AssayError ? err.code : 'internal',
  };
}
