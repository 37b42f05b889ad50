/**
 * File access shared by the NVD and cve5 importers: whole-file reads with a byte cap (gzip
 * inflated as it streams, so a small bomb cannot outgrow the cap) and a cheap synchronous head
 * read for `detect`.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { constants, createGunzip, gunzipSync } from 'node:zlib';
import { AssayError, errorMessage } from '../../../model/errors.js';

export const isGzipPath = (path: string): boolean => /\.gz$/i.test(path);

/**
 * The bytes of `path` (inflated when it ends `.gz`), or an AssayError: `too-large` past `cap`,
 * `invalid-input` for a truncated or corrupt gzip, `not-found` when missing.
 */
export async function readCapped(path: string, cap: number): Promise<Buffer> {
  const file = createReadStream(path);
  const stream: Readable = isGzipPath(path) ? file.pipe(createGunzip()) : file;
  if (stream !== file) file.on('error', (err) => stream.destroy(err));
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > cap) throw new AssayError('too-large', `${path}: larger than ${cap} bytes`);
      chunks.push(chunk);
    }
  } catch (err) {
    file.destroy();
    if (err instanceof AssayError) throw err;
    const code = (err as { code?: unknown }).code === 'ENOENT' ? 'not-found' : 'invalid-input';
    throw new AssayError(code, `${path}: cannot read: ${errorMessage(err)}`, { cause: err });
  }
  return Buffer.concat(chunks, total);
}

const HEAD_BYTES = 64 * 1024;

/** The first 64 KiB of a file as text (inflated, tolerating the cut, when it ends `.gz`); '' on error. */
export function readHeadSync(path: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, buf, 0, HEAD_BYTES, 0);
    const bytes = buf.subarray(0, n);
    // SYNC_FLUSH: inflate what is there without requiring the end of the stream.
    const text = isGzipPath(path) ? gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH }) : bytes;
    return text.subarray(0, HEAD_BYTES).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
