/**
 * A feed file's bytes as a stream of chunks, gunzipped when the file starts with the gzip magic
 * (RFC 1952 §2.3.1) whatever its name says: mirrors rename files, and FIRST publishes EPSS as
 * `.csv.gz` while users often keep it unpacked. Nothing is held beyond one chunk, so a 70 MB
 * tracker file or a 300k-row EPSS CSV costs the same memory as a small one. Shared by the
 * debian-tracker, epss and kev importers.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { AssayError, errorMessage, wrapError } from '../../../model/errors.js';

const CHUNK = 256 * 1024;

export async function* feedBytes(
  path: string,
  label: string,
  signal?: AbortSignal,
): AsyncGenerator<Buffer, void, undefined> {
  const gzip = await startsWithGzip(path, label);
  const file = createReadStream(path, { highWaterMark: CHUNK, signal });
  if (!gzip) {
    try {
      for await (const chunk of file) yield chunk as Buffer;
    } catch (err) {
      throw wrapError(err, `${label}: reading`, 'invalid-input');
    } finally {
      file.destroy();
    }
    return;
  }
  yield* gunzipped(file, label);
}

async function* gunzipped(
  file: ReturnType<typeof createReadStream>,
  label: string,
): AsyncGenerator<Buffer, void, undefined> {
  const gunzip = createGunzip({ chunkSize: CHUNK });
  let fileError: unknown;
  file.on('error', (err) => {
    fileError = err;
    gunzip.destroy(err);
  });
  file.pipe(gunzip);
  let out = 0;
  try {
    for await (const chunk of gunzip) {
      out += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  } catch (err) {
    if (fileError !== undefined) throw wrapError(fileError, `${label}: reading`, 'invalid-input');
    throw gzipError(err, label, out);
  } finally {
    file.destroy();
    gunzip.destroy();
  }
}

/** zlib reports a stream that stops before its trailer as Z_BUF_ERROR ("unexpected end of file"). */
function gzipError(err: unknown, label: string, out: number): AssayError {
  const code = err instanceof Error && 'code' in err ? err.code : undefined;
  const message =
    code === 'Z_BUF_ERROR'
      ? `${label}: truncated gzip stream (ends after ${out} uncompressed bytes)`
      : `${label}: corrupt gzip stream after ${out} uncompressed bytes: ${errorMessage(err)}`;
  return new AssayError('invalid-input', message, { cause: err });
}

async function startsWithGzip(path: string, label: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? err.code : undefined;
    if (code === 'ENOENT') throw new AssayError('not-found', `${label}: no such file`, { cause: err });
    throw wrapError(err, `${label}: opening`, 'invalid-input');
  } finally {
    await handle?.close();
  }
}

/**
 * The `YYYY-MM-DD` a feed's date or timestamp starts with (`2025-08-25T17:04:19.9796Z`,
 * `2024-10-25T00:00:00+0000`, `2025-09-15`), or undefined when it names no real calendar day.
 */
export function calendarDate(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
  return real ? text.slice(0, 10) : undefined;
}
