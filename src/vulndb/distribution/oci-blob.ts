/**
 * Downloads one registry blob to a file, verified and resumable: a connection lost mid-blob is
 * continued with `Range: bytes=N-` (registries serve ranges on blob GETs, distribution-spec
 * "Pulling blobs"; RFC 9110 §14), the digest is computed over the bytes as they are written,
 * and the file is removed on any failure. An idle registry is a `timeout` (the transport's idle
 * limit), not resumed: a registry that hangs once usually hangs again.
 */
import { createHash, type Hash } from 'node:crypto';
import { type FileHandle, open, rm } from 'node:fs/promises';
import { parseDigest } from '../../image/digest.js';
import type { RegistryClient } from '../../image/registry/client.js';
import { bodyError } from '../../image/registry/responses.js';
import type { HttpResponse } from '../../image/registry/transport.js';
import { AssayError, isAssayError } from '../../model/errors.js';

export interface BlobDownload {
  digest: string;
  size: number;
  dest: string;
  /** Names the blob after the client's label in messages: `bundle sha256:…`. */
  what: string;
  signal?: AbortSignal | undefined;
  onProgress?(done: number, total: number): void;
  onMessage?(line: string): void;
  /** Consecutive failures without progress before giving up (default 5). */
  attempts?: number;
}

interface Progress {
  done: number;
  hash: Hash;
  algorithm: string;
  /** `label: what`, for messages. */
  full: string;
}

/** Returns the bytes transferred (more than the size when a server ignored Range). */
export async function downloadBlob(client: RegistryClient, d: BlobDownload): Promise<number> {
  const full = `${client.label}: ${d.what}`;
  const algorithm = parseDigest(d.digest).algorithm;
  const file = await open(d.dest, 'w');
  const p: Progress = { done: 0, hash: createHash(algorithm), algorithm, full };
  let transferred = 0;
  try {
    for (let failures = 0; ; ) {
      const before = p.done;
      try {
        transferred += await attempt(client, d, file, p);
        if (p.done >= d.size) break;
        throw new AssayError('network', `${full}: body ended after ${p.done} of ${d.size} bytes`);
      } catch (err) {
        if (d.signal?.aborted || !isAssayError(err, 'network')) throw err;
        failures = p.done > before ? 1 : failures + 1;
        if (failures >= (d.attempts ?? 5)) throw err;
        d.onMessage?.(`${full}: connection lost after ${p.done} bytes; resuming`);
      }
    }
    check(d, p);
    return transferred;
  } catch (err) {
    await file.close().catch(() => undefined);
    await rm(d.dest, { force: true });
    throw err;
  } finally {
    await file.close().catch(() => undefined);
  }
}

/** One GET from `p.done` on; writes and hashes what arrives. */
async function attempt(
  client: RegistryClient,
  d: BlobDownload,
  file: FileHandle,
  p: Progress,
): Promise<number> {
  const headers: Record<string, string> = p.done > 0 ? { range: `bytes=${p.done}-` } : {};
  const res = await client.openBlob(d.digest, d.what, d.signal, headers);
  if (p.done > 0 && !continuesAt(res, p.done)) {
    // The registry (or a CDN in front) ignored the range: start over with the whole blob.
    d.onMessage?.(`${p.full}: the registry ignored the Range request; downloading from the start`);
    p.done = 0;
    p.hash = createHash(p.algorithm);
    await file.truncate(0);
  }
  let received = 0;
  try {
    for await (const chunk of res.body) {
      const buf = chunk as Buffer;
      if (p.done + buf.length > d.size)
        throw new AssayError('digest-mismatch', `${p.full}: more than the declared ${d.size} bytes`);
      await file.write(buf, 0, buf.length, p.done);
      p.hash.update(buf);
      p.done += buf.length;
      received += buf.length;
      d.onProgress?.(p.done, d.size);
    }
  } catch (err) {
    res.body.destroy();
    throw bodyError(err, p.full);
  }
  return received;
}

function continuesAt(res: HttpResponse, offset: number): boolean {
  if (res.status !== 206) return false;
  const m = /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(res.headers['content-range'] ?? '');
  return m !== null && Number(m[1]) === offset;
}

function check(d: BlobDownload, p: Progress): void {
  const actual = `${p.algorithm}:${p.hash.digest('hex')}`;
  if (actual !== d.digest)
    throw new AssayError(
      'digest-mismatch',
      `${p.full}: downloaded content has digest ${actual}, the manifest says ${d.digest}`,
    );
}
