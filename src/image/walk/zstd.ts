/**
 * zstd layers (`application/vnd.oci.image.layer.v1.tar+zstd`, RFC 8878).
 *
 * Two decoders, chosen by measurement (see README.md): the reference `zstd` binary when it is
 * installed (about 4x faster than the pure-JS `fzstd` on a 1.3 GB layer, and it runs in its own
 * process, in parallel with the tar walk), else `fzstd` in process. Both are pulled, so
 * decompression only runs as far ahead as the walk consumes.
 */
import { spawn } from 'node:child_process';
import { Decompress } from 'fzstd';
import { AssayError } from '../../model/errors.js';
import { pump } from './pump.js';

export type ZstdDecoder = 'auto' | 'binary' | 'js';

/** Everything needed to name the problem in an error message. */
export interface ZstdContext {
  label: string;
  compressed: { bytes: number };
}

export async function* inflateZstd(
  input: AsyncIterable<Buffer>,
  decoder: ZstdDecoder,
  ctx: ZstdContext,
): AsyncGenerator<Buffer, void, undefined> {
  const useBinary = decoder === 'binary' || (decoder === 'auto' && (await hasZstdBinary()));
  yield* useBinary ? viaBinary(input, ctx) : viaFzstd(input, ctx);
}

let binaryCheck: Promise<boolean> | undefined;

/** Probed once per process: `zstd -V` exits 0 when the binary is usable. */
export function hasZstdBinary(): Promise<boolean> {
  binaryCheck ??= new Promise((resolve) => {
    const probe = spawn('zstd', ['-V'], { stdio: 'ignore' });
    probe.on('error', () => resolve(false));
    probe.on('close', (code) => resolve(code === 0));
  });
  return binaryCheck;
}

/** A 1 KiB slice holds at most a few hundred RLE blocks (≤128 KiB each): bounded output per push. */
const FZSTD_SLICE = 1024;

async function* viaFzstd(
  input: AsyncIterable<Buffer>,
  ctx: ZstdContext,
): AsyncGenerator<Buffer, void, undefined> {
  const ready: Buffer[] = [];
  const decoder = new Decompress((data) => {
    ready.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  });
  const push = (slice: Uint8Array, final: boolean): void => {
    try {
      decoder.push(slice, final);
    } catch (err) {
      throw corruptZstd(err, ctx);
    }
  };
  for await (const chunk of input) {
    for (let at = 0; at < chunk.length; at += FZSTD_SLICE) {
      push(chunk.subarray(at, at + FZSTD_SLICE), false);
      while (ready.length > 0) yield ready.shift()!;
    }
  }
  push(new Uint8Array(0), true);
  while (ready.length > 0) yield ready.shift()!;
}

async function* viaBinary(
  input: AsyncIterable<Buffer>,
  ctx: ZstdContext,
): AsyncGenerator<Buffer, void, undefined> {
  // -q: no progress output; the default --memory limit (128 MiB window) refuses hostile frames.
  const child = spawn('zstd', ['-d', '-c', '-q'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const spawnFailed = new Promise<never>((_, reject) => child.on('error', reject));
  spawnFailed.catch(() => undefined);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 2048) stderr += chunk.toString('utf8');
  });
  const feeding = pump(input, child.stdin);
  try {
    for await (const chunk of child.stdout) yield chunk;
    const code = await Promise.race([exited, spawnFailed]);
    await feeding.done;
    if (feeding.sourceError !== undefined) throw feeding.sourceError;
    if (code !== 0) throw corruptZstd(new Error(stderr.trim() || `zstd exited with status ${code}`), ctx);
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

function corruptZstd(err: unknown, ctx: ZstdContext): AssayError {
  const after = `after ${ctx.compressed.bytes} compressed bytes`;
  const text = err instanceof Error ? err.message : String(err);
  // fzstd's code 5 and the binary's "premature end"/"truncated" both mean the stream stopped early.
  const early =
    (err instanceof Error && 'code' in err && err.code === 5) ||
    /premature|truncat|unexpected end/i.test(text);
  const message = early ? `unexpected end of zstd stream ${after}` : `corrupt zstd stream ${after}: ${text}`;
  return new AssayError('corrupt-layer', `${ctx.label}: ${message}`, { cause: err });
}
