/**
 * Downloads one feed file with Node's fetch: conditional (ETag / Last-Modified → 304 means
 * "unchanged"), retried with backoff on network errors, 5xx and 429 (honouring Retry-After),
 * resumed with `Range` after a connection drops mid-body, capped in size and checked against
 * Content-Length. RFC 9110: §13.1 (conditionals), §14 (ranges), §10.2.3 (Retry-After).
 */
import { type FileHandle, open } from 'node:fs/promises';
import { shouldRetryStatus } from '../../image/registry/retry.js';
import { AssayError, errorMessage, ioError } from '../../model/errors.js';
import { httpStatusError } from './http-errors.js';
import { IdleTimer } from './idle-timer.js';
import { waitToRetry } from './retry-wait.js';

export interface HttpPolicy {
  /** Idle limit: connecting, waiting for headers, and every gap in the body. */
  timeoutMs: number;
  /** Extra attempts after the first. */
  retries: number;
  /** First backoff step; later ones double (with jitter). */
  backoffMs: number;
  /** A server's Retry-After is honoured up to this. */
  maxRetryAfterMs: number;
  /** Bigger downloads are refused (`too-large`). */
  maxBytes: number;
  userAgent: string;
}

export const DEFAULT_HTTP: HttpPolicy = {
  timeoutMs: 60_000,
  retries: 5,
  backoffMs: 1_000,
  maxRetryAfterMs: 120_000,
  // The largest feed, OSV's npm or Debian all.zip, is a few hundred MiB.
  maxBytes: 4 * 1024 ** 3,
  userAgent: 'assay-db-update',
};

export interface DownloadRequest {
  url: string;
  /** Where the body goes; created or truncated. */
  dest: string;
  /** Names the download in messages: the source name. */
  what: string;
  /** Validators from the last successful import; when the server says 304, nothing is written. */
  previous?: { etag?: string | undefined; lastModified?: string | undefined } | undefined;
  headers?: Record<string, string>;
  /**
   * Accept a gzip/br-encoded transfer (fetch inflates it): far fewer bytes for JSON feeds, but
   * no resume and no Content-Length check. Off for files that are compressed already.
   */
  compressible?: boolean;
  signal?: AbortSignal | undefined;
  onProgress?(bytes: number, total: number | undefined): void;
  /** Told before every wait, so the user sees why nothing moves. */
  onWait?(ms: number, reason: string): void;
}

export type DownloadResult =
  | { status: 'unchanged' }
  | { status: 'downloaded'; bytes: number; etag?: string; lastModified?: string; attempts: number };

/** What one attempt leaves behind for the next: the bytes on disk and how to ask for the rest. */
interface DownloadState {
  bytes: number;
  /** A strong ETag or the Last-Modified date: the `If-Range` validator for a resume. */
  validator?: string | undefined;
  etag?: string | undefined;
  lastModified?: string | undefined;
  total?: number | undefined;
}

export async function download(
  req: DownloadRequest,
  policy: HttpPolicy = DEFAULT_HTTP,
): Promise<DownloadResult> {
  const file = await open(req.dest, 'w');
  const state: DownloadState = { bytes: 0 };
  try {
    for (let attempt = 0; ; attempt++) {
      let outcome: Attempt;
      try {
        outcome = await attemptOnce(req, policy, file, state);
      } catch (err) {
        if (req.signal?.aborted) throw new AssayError('aborted', `${req.what}: aborted`, { cause: err });
        if (attempt >= policy.retries || !isRetryable(err)) throw asNetworkError(err, req);
        await waitToRetry(req, policy, undefined, attempt, `${req.what}: ${errorMessage(err)}; retrying`);
        continue;
      }
      if (outcome.kind === 'done') return { ...outcome.result, attempts: attempt + 1 };
      if (outcome.kind === 'unchanged') return { status: 'unchanged' };
      if (attempt >= policy.retries) throw outcome.error;
      const after = outcome.retryAfter ? ` (Retry-After: ${outcome.retryAfter})` : '';
      await waitToRetry(
        req,
        policy,
        outcome.retryAfter,
        attempt,
        `${req.what}: HTTP ${outcome.status} from ${req.url}${after}`,
      );
    }
  } finally {
    await file.close();
  }
}

type Attempt =
  | { kind: 'done'; result: { status: 'downloaded'; bytes: number; etag?: string; lastModified?: string } }
  | { kind: 'unchanged' }
  | { kind: 'retry'; error: AssayError; status: number; retryAfter: string | undefined };

/** Marks errors of the exchange itself (resets, truncation, idle timeouts): worth another try. */
class TransientError extends Error {}

async function attemptOnce(
  req: DownloadRequest,
  policy: HttpPolicy,
  file: FileHandle,
  state: DownloadState,
): Promise<Attempt> {
  const idle = new IdleTimer(policy.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, idle.signal]) : idle.signal;
  const headers = requestHeaders(req, policy, state);
  let res: Response;
  try {
    res = await fetch(req.url, { headers, signal, redirect: 'follow' });
  } catch (err) {
    idle.stop();
    throw idle.fired ? new TransientError(`no response within ${policy.timeoutMs} ms`) : transient(err);
  }
  try {
    const early = await checkStatus(res, req, file, state);
    if (early) return early;
    await prepareWrite(res, file, state, req, policy);
    await readBody(res, file, state, req, policy, idle);
    return { kind: 'done', result: downloaded(state) };
  } finally {
    idle.stop();
    if (res.body && !res.bodyUsed) await res.body.cancel().catch(() => undefined);
  }
}

/** What a status other than 200/206 means: unchanged, retry later, restart, or fail now. */
async function checkStatus(
  res: Response,
  req: DownloadRequest,
  file: FileHandle,
  state: DownloadState,
): Promise<Attempt | undefined> {
  if (res.status === 200 || res.status === 206) return undefined;
  if (res.status === 304 && state.bytes === 0 && req.previous) return { kind: 'unchanged' };
  if (res.status === 416 && state.bytes > 0) {
    // Our offset is past the end: the file changed under us. Start again from byte 0.
    Object.assign(state, { bytes: 0, validator: undefined });
    await file.truncate(0);
    throw new TransientError('range not satisfiable; restarting');
  }
  const error = httpStatusError(req.what, req.url, res);
  if (!shouldRetryStatus(res.status)) throw error;
  return {
    kind: 'retry',
    error,
    status: res.status,
    retryAfter: res.headers.get('retry-after') ?? undefined,
  };
}

function downloaded(state: DownloadState): Extract<Attempt, { kind: 'done' }>['result'] {
  return {
    status: 'downloaded',
    bytes: state.bytes,
    ...(state.etag ? { etag: state.etag } : {}),
    ...(state.lastModified ? { lastModified: state.lastModified } : {}),
  };
}

function requestHeaders(
  req: DownloadRequest,
  policy: HttpPolicy,
  state: DownloadState,
): Record<string, string> {
  // identity: byte offsets for Range and Content-Length must be those of the file itself.
  const h: Record<string, string> = {
    'user-agent': policy.userAgent,
    'accept-encoding': req.compressible ? 'gzip, br' : 'identity',
    ...req.headers,
  };
  if (state.bytes > 0 && state.validator) {
    h.range = `bytes=${state.bytes}-`;
    h['if-range'] = state.validator;
  } else if (req.previous && state.bytes === 0) {
    if (req.previous.etag) h['if-none-match'] = req.previous.etag;
    if (req.previous.lastModified) h['if-modified-since'] = req.previous.lastModified;
  }
  return h;
}

/** 206 continues at our offset; 200 (the server ignored Range or the file changed) starts over. */
async function prepareWrite(
  res: Response,
  file: FileHandle,
  state: DownloadState,
  req: DownloadRequest,
  policy: HttpPolicy,
): Promise<void> {
  const length = numberHeader(res.headers.get('content-length'));
  if (res.status === 206) {
    const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
    if (!range || Number(range[1]) !== state.bytes) {
      Object.assign(state, { bytes: 0, validator: undefined });
      await file.truncate(0);
      throw new TransientError(`unexpected Content-Range ${res.headers.get('content-range')}; restarting`);
    }
    if (range[3] !== '*') state.total = Number(range[3]);
  } else {
    if (state.bytes > 0) await file.truncate(0);
    state.bytes = 0;
    state.total = encoded(res) ? undefined : length;
    state.etag = res.headers.get('etag') ?? undefined;
    state.lastModified = res.headers.get('last-modified') ?? undefined;
    state.validator = resumeValidator(res);
  }
  if (state.total !== undefined && state.total > policy.maxBytes) throw tooLarge(req, policy);
}

/**
 * Only a strong validator may go in If-Range (RFC 9110 §13.1.5), and only when the server
 * says it serves ranges; a compressed transfer has no stable byte offsets at all.
 */
function resumeValidator(res: Response): string | undefined {
  if (encoded(res) || res.headers.get('accept-ranges')?.toLowerCase() !== 'bytes') return undefined;
  const etag = res.headers.get('etag');
  if (etag && !etag.startsWith('W/')) return etag;
  return res.headers.get('last-modified') ?? undefined;
}

function encoded(res: Response): boolean {
  const ce = res.headers.get('content-encoding');
  return ce !== null && ce.toLowerCase() !== 'identity';
}

async function readBody(
  res: Response,
  file: FileHandle,
  state: DownloadState,
  req: DownloadRequest,
  policy: HttpPolicy,
  idle: IdleTimer,
): Promise<void> {
  if (!res.body) throw new TransientError('response without a body');
  try {
    for await (const chunk of res.body) {
      idle.touch();
      if (state.bytes + chunk.byteLength > policy.maxBytes) throw tooLarge(req, policy);
      await writeChunk(file, chunk, state.bytes, req);
      state.bytes += chunk.byteLength;
      req.onProgress?.(state.bytes, state.total);
    }
  } catch (err) {
    if (err instanceof AssayError) throw err;
    if (idle.fired) throw new TransientError(`no data for ${policy.timeoutMs} ms after ${state.bytes} bytes`);
    throw transient(err, `connection lost after ${state.bytes} bytes`);
  }
  if (state.total !== undefined && state.bytes !== state.total)
    throw new TransientError(`body ended after ${state.bytes} of ${state.total} bytes`);
}

/** A failed write (disk full, file size limit) is no network fault: a retry would fail the same way. */
async function writeChunk(file: FileHandle, chunk: Uint8Array, position: number, req: DownloadRequest) {
  try {
    // A write may be short (a file-size limit reached mid-chunk): write the rest, which then
    // fails with the reason instead of leaving a silently truncated file.
    for (let done = 0; done < chunk.byteLength; ) {
      const { bytesWritten } = await file.write(chunk, done, chunk.byteLength - done, position + done);
      if (bytesWritten === 0) throw new Error('no bytes written');
      done += bytesWritten;
    }
  } catch (err) {
    throw ioError(`${req.what}: cannot write ${req.dest}`, err);
  }
}

function tooLarge(req: DownloadRequest, policy: HttpPolicy): AssayError {
  return new AssayError(
    'too-large',
    `${req.what}: ${req.url} is larger than the ${policy.maxBytes}-byte limit`,
  );
}

function numberHeader(v: string | null): number | undefined {
  return v !== null && /^\d+$/.test(v) ? Number(v) : undefined;
}

function transient(err: unknown, context?: string): TransientError {
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
  const text = `${errorMessage(err)}${cause}`;
  return new TransientError(context ? `${context} (${text})` : text, { cause: err });
}

function isRetryable(err: unknown): boolean {
  return err instanceof TransientError;
}

function asNetworkError(err: unknown, req: DownloadRequest): AssayError {
  if (err instanceof AssayError) return err;
  const code = /no (response|data) within|no data for/.test(errorMessage(err)) ? 'timeout' : 'network';
  return new AssayError(code, `${req.what}: ${req.url}: ${errorMessage(err)}`, { cause: err });
}
