/**
 * The HTTP(S) transport (a web server, an object store, the manager's /api/v1/db): one
 * conditional GET of the metadata document (If-None-Match → 304 costs one small request), the
 * signature beside it, then the bundle it names, downloaded with the feed downloader (retries
 * with Retry-After, Range + If-Range resume, Content-Length check; RFC 9110 §13–14) and checked
 * against the metadata's size and digest.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AssayError, isAssayError } from '../../model/errors.js';
import { DEFAULT_HTTP, type DownloadRequest, download, type HttpPolicy } from '../update/download.js';
import { parsePublishedMetadata, sha256Digest } from './metadata.js';
import { decodeSignature } from './sign.js';
import { repositoryLabel } from './state.js';
import {
  type DbFetcher,
  type FetchedCandidate,
  MAX_METADATA_BYTES,
  type PublishedMetadata,
  type PullOptions,
  SIGNATURE_SUFFIX,
} from './types.js';

type FetchOptions = Parameters<DbFetcher>[2];

const DEFAULT_TIMEOUT_MS = 30_000;

function policyOf(opts: PullOptions, maxBytes: number): HttpPolicy {
  return {
    ...DEFAULT_HTTP,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    // Another repository may be listed after this one: fail over sooner than a feed download.
    retries: opts.retry?.retries ?? 3,
    backoffMs: opts.retry?.backoffMs ?? DEFAULT_HTTP.backoffMs,
    maxBytes,
    userAgent: 'assay-db-pull',
  };
}

/** The bearer token goes only to the origin it was issued for (never to a CDN or mirror). */
function authHeaders(url: string, opts: PullOptions): Record<string, string> {
  if (!opts.auth) return {};
  return new URL(url).origin === new URL(opts.auth.origin).origin
    ? { authorization: `Bearer ${opts.auth.token}` }
    : {};
}

function request(url: string, dest: string, what: string, opts: PullOptions): DownloadRequest {
  return {
    url,
    dest,
    what,
    headers: authHeaders(url, opts),
    signal: opts.signal,
    onWait: (ms, reason) => opts.onMessage?.(`${reason} in ${(ms / 1000).toFixed(1)} s`),
  };
}

export const fetchFromHttp: DbFetcher = async (repo, state, opts) => {
  if (repo.kind !== 'http') throw new AssayError('internal', `fetchFromHttp: not an HTTP repository`);
  const label = repositoryLabel(repo);
  const url = repo.url;
  // An ETag only means something to the server that issued it.
  const etag = state?.source === label ? state.etag : undefined;
  const meta = await fetchMetadata(url, label, etag, opts);
  if (meta === 'unchanged') return 'unchanged';
  const { bytes, metadata } = meta;
  if (state && metadata.bundle.digest === state.bundleDigest) return 'unchanged';
  const signature = opts.wantSignature ? await fetchSignature(url, label, opts) : undefined;
  const bundle = await fetchBundle(new URL(metadata.bundle.file, url).href, metadata, opts);
  return {
    metadataBytes: bytes,
    ...(signature ? { signature } : {}),
    bundleFile: bundle.file,
    ...(meta.etag ? { etag: meta.etag } : {}),
    downloaded: bytes.length + bundle.bytes,
  } satisfies FetchedCandidate;
};

async function fetchMetadata(
  url: string,
  label: string,
  etag: string | undefined,
  opts: FetchOptions,
): Promise<'unchanged' | { bytes: Buffer; metadata: PublishedMetadata; etag?: string }> {
  const dest = join(opts.tempDir, 'metadata.json');
  try {
    const req = { ...request(url, dest, 'DB metadata', opts), ...(etag ? { previous: { etag } } : {}) };
    const got = await download(req, policyOf(opts, MAX_METADATA_BYTES));
    if (got.status === 'unchanged') return 'unchanged';
    const bytes = await readFile(dest);
    // Parsed here too, not only by the orchestrator: a newer schema is refused before a 100 MB download.
    return { bytes, metadata: parsePublishedMetadata(bytes, label), ...(got.etag ? { etag: got.etag } : {}) };
  } finally {
    await rm(dest, { force: true });
  }
}

async function fetchSignature(url: string, label: string, opts: FetchOptions): Promise<Buffer> {
  const sigUrl = `${url}${SIGNATURE_SUFFIX}`;
  const dest = join(opts.tempDir, `metadata.json${SIGNATURE_SUFFIX}`);
  try {
    await download(request(sigUrl, dest, 'DB signature', opts), policyOf(opts, MAX_METADATA_BYTES));
    return decodeSignature(await readFile(dest), label);
  } catch (err) {
    if (isAssayError(err, 'not-found'))
      throw new AssayError(
        'invalid-input',
        `${label} publishes no signature (${sigUrl}: HTTP 404) but a public key is configured`,
        { cause: err },
      );
    throw err;
  } finally {
    await rm(dest, { force: true });
  }
}

async function fetchBundle(
  bundleUrl: string,
  metadata: PublishedMetadata,
  opts: FetchOptions,
): Promise<{ file: string; bytes: number }> {
  const file = join(opts.tempDir, 'bundle.tar.gz');
  const { size, digest } = metadata.bundle;
  try {
    const req: DownloadRequest = {
      ...request(bundleUrl, file, 'DB bundle', opts),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    };
    let resumedAt = 0;
    req.onWait = (ms, reason) => {
      resumedAt++;
      opts.onMessage?.(`${reason}; resuming in ${(ms / 1000).toFixed(1)} s (attempt ${resumedAt + 1})`);
    };
    const got = await download(req, policyOf(opts, size));
    if (got.status !== 'downloaded' || got.bytes !== size)
      throw new AssayError(
        'digest-mismatch',
        `${bundleUrl}: the bundle is ${got.status === 'downloaded' ? got.bytes : 0} bytes, the metadata says ${size}`,
      );
    const actual = await sha256Digest(file);
    if (actual !== digest)
      throw new AssayError(
        'digest-mismatch',
        `${bundleUrl}: the bundle has digest ${actual}, the metadata says ${digest}`,
      );
    return { file, bytes: got.bytes };
  } catch (err) {
    await rm(file, { force: true });
    throw err;
  }
}
