/**
 * Pushing one blob, chunked and resumable (OCI distribution-spec, "Pushing blobs in chunks":
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-a-blob-in-chunks):
 * `HEAD` the blob (present → skip), `POST …/blobs/uploads/` → Location, one `PATCH` per chunk
 * with `Content-Range: START-END` (inclusive), then `PUT Location?digest=`. After a failed chunk
 * we ask the session how much it holds (`GET Location` → `Range: 0-N`) and continue from byte
 * N+1. Chunks are never re-sent blindly: distribution 2.8 ignores Content-Range and appends,
 * so a repeated chunk would corrupt the blob. A session the registry no longer accepts (2.8
 * cancels one whose state token lags behind its data) is restarted from byte 0, a few times.
 */
import { AssayError, isAssayError } from '../../model/errors.js';
import { isDigest } from '../digest.js';
import type { RegistryClient } from './client.js';
import type { HttpResponse } from './transport.js';

export interface BlobSource {
  digest: string;
  size: number;
  /** The bytes [offset, offset + length). */
  read(offset: number, length: number): Promise<Buffer>;
}

export interface UploadOptions {
  /** Bytes per PATCH (default 8 MiB). */
  chunkSize?: number;
  /** Fresh upload sessions after the first, when the registry drops one (default 2). */
  restarts?: number;
  /** Failed chunks per session answered by a status check (default 5). */
  resumes?: number;
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal | undefined;
}

export interface UploadResult {
  /** True when the registry already had the blob. */
  skipped: boolean;
  /** Bytes sent, including re-sent ones. */
  sent: number;
}

export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;
const OCTETS = 'application/octet-stream';

/** Failures after which asking the session for its state is worth it: the exchange, not the request. */
function recoverable(err: unknown): boolean {
  return (
    isAssayError(err, 'network') ||
    isAssayError(err, 'timeout') ||
    isAssayError(err, 'registry') ||
    isAssayError(err, 'rate-limited')
  );
}

/** `HEAD /v2/<name>/blobs/<digest>`: whether the repository already holds the blob. */
export async function hasBlob(
  client: RegistryClient,
  digest: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const path = `/v2/${client.repository}/blobs/${digest}`;
  const res = await client.request(path, `${client.label}: blob ${digest}`, {
    method: 'HEAD',
    allow: [404],
    signal,
  });
  res.body.resume();
  return res.status !== 404;
}

/** `PUT /v2/<name>/manifests/<tag>` (spec "Pushing Manifests"); the digest the registry reports, if any. */
export async function putManifest(
  client: RegistryClient,
  reference: string,
  manifest: { data: Buffer; mediaType: string },
  signal?: AbortSignal,
): Promise<string | undefined> {
  const path = `/v2/${client.repository}/manifests/${reference}`;
  const res = await client.request(path, `${client.label}: manifest ${reference}`, {
    method: 'PUT',
    headers: { 'content-type': manifest.mediaType, 'content-length': String(manifest.data.length) },
    body: manifest.data,
    signal,
  });
  res.body.resume();
  const digest = res.headers['docker-content-digest'];
  return typeof digest === 'string' && isDigest(digest) ? digest : undefined;
}

/** Marks an upload session the registry will not continue: start a new one. */
class SessionLost extends Error {}

export async function uploadBlob(
  client: RegistryClient,
  blob: BlobSource,
  what: string,
  opts: UploadOptions = {},
): Promise<UploadResult> {
  const { signal } = opts;
  if (await hasBlob(client, blob.digest, signal)) return { skipped: true, sent: 0 };
  const counter = { sent: 0 };
  const restarts = opts.restarts ?? 2;
  for (let attempt = 0; ; attempt++) {
    try {
      await uploadSession(client, blob, what, opts, counter);
      return { skipped: false, sent: counter.sent };
    } catch (err) {
      if (!(err instanceof SessionLost)) throw err;
      if (attempt >= restarts)
        throw new AssayError(
          'registry',
          `${client.label}: ${what}: upload failed ${attempt + 1} times: ${err.message}`,
        );
    }
  }
}

async function uploadSession(
  client: RegistryClient,
  blob: BlobSource,
  what: string,
  opts: UploadOptions,
  counter: { sent: number },
): Promise<void> {
  const full = `${client.label}: ${what}`;
  const chunkSize = Math.max(1, opts.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const start = await client.request(`/v2/${client.repository}/blobs/uploads/`, `${full}: start upload`, {
    method: 'POST',
    headers: { 'content-length': '0' },
    signal: opts.signal,
  });
  let session = { location: location(start, full), offset: 0 };
  let resumes = opts.resumes ?? 5;
  while (session.offset < blob.size) {
    const length = Math.min(chunkSize, blob.size - session.offset);
    const chunk = await blob.read(session.offset, length);
    if (chunk.length !== length)
      throw new AssayError(
        'invalid-input',
        `${full}: the source ended at byte ${session.offset + chunk.length} of ${blob.size}`,
      );
    try {
      session = await patch(client, session, chunk, full, opts.signal);
      counter.sent += chunk.length;
      opts.onProgress?.(session.offset, blob.size);
    } catch (err) {
      if (!recoverable(err) && !isAssayError(err, 'invalid-input')) throw err;
      if (resumes-- <= 0) throw err;
      session = await status(client, session.location, full, opts.signal);
    }
  }
  await complete(client, session.location, blob, full, opts.signal);
}

interface Session {
  location: string;
  /** Bytes the registry holds. */
  offset: number;
}

async function patch(
  client: RegistryClient,
  session: Session,
  chunk: Buffer,
  what: string,
  signal: AbortSignal | undefined,
): Promise<Session> {
  const end = session.offset + chunk.length - 1;
  const res = await client.request(session.location, `${what}: bytes ${session.offset}-${end}`, {
    method: 'PATCH',
    headers: {
      'content-type': OCTETS,
      'content-range': `${session.offset}-${end}`,
      'content-length': String(chunk.length),
    },
    body: chunk,
    signal,
    retries: 0,
    // 416: the registry holds another amount than we thought; the status check says how much.
    allow: [416],
  });
  res.body.resume();
  if (res.status === 416)
    throw new AssayError('invalid-input', `${what}: registry refused the range (HTTP 416)`);
  const range = parseRange(res.headers.range);
  return { location: location(res, what), offset: range ?? end + 1 };
}

/** `GET Location`: how many bytes the session holds; SessionLost when it is gone or invalid. */
async function status(
  client: RegistryClient,
  current: string,
  what: string,
  signal: AbortSignal | undefined,
): Promise<Session> {
  let res: HttpResponse;
  try {
    res = await client.request(current, `${what}: upload status`, { signal, allow: [400, 404, 416] });
  } catch (err) {
    if (recoverable(err)) throw new SessionLost(`upload status: ${(err as Error).message}`);
    throw err;
  }
  res.body.resume();
  const range = parseRange(res.headers.range);
  if (res.status !== 204 && res.status !== 200)
    throw new SessionLost(`upload session gone (HTTP ${res.status})`);
  if (range === undefined) throw new SessionLost('upload status without a Range header');
  return { location: location(res, what), offset: range };
}

async function complete(
  client: RegistryClient,
  current: string,
  blob: BlobSource,
  what: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  const url = new URL(current);
  url.searchParams.set('digest', blob.digest);
  try {
    const res = await client.request(url.href, `${what}: commit`, {
      method: 'PUT',
      headers: { 'content-type': OCTETS, 'content-length': '0' },
      signal,
      retries: 0,
      allow: [400, 404],
    });
    res.body.resume();
    if (res.status === 201 || res.status === 204) return;
    // DIGEST_INVALID (bytes lost or doubled) or BLOB_UPLOAD_UNKNOWN: only a new session helps.
    throw new SessionLost(`commit refused (HTTP ${res.status})`);
  } catch (err) {
    if (!recoverable(err)) throw err;
    // The commit may have landed before the connection failed.
    if (await hasBlob(client, blob.digest, signal)) return;
    throw new SessionLost(`commit failed: ${(err as Error).message}`);
  }
}

/** An absolute upload URL from a response's Location (registries may answer with a path). */
function location(res: HttpResponse, what: string): string {
  const value = res.headers.location;
  if (!value) throw new AssayError('registry', `${what}: upload response without a Location header`);
  return new URL(value, res.url).href;
}

/**
 * `Range: 0-N` → N + 1 bytes held. Distribution answers `0-0` for an empty session as well as a
 * one-byte one; we take 0: should it be 1, the registry refuses what follows and we restart.
 */
export function parseRange(value: string | undefined): number | undefined {
  const m = /^(?:bytes=)?0-(\d+)$/.exec(value?.trim() ?? '');
  if (!m) return undefined;
  const end = Number(m[1]);
  return end === 0 ? 0 : end + 1;
}
