/**
 * The narrow view the archive and layout readers need of "a bag of named files": an OCI image
 * layout is the same whether it sits in a directory (`oci-dir:`) or inside a tar
 * (`oci-archive:`, Docker ≥ 25 `docker save`), so its reader works on this interface.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { addAbortSignal, type Readable } from 'node:stream';
import { AssayError } from '../../model/errors.js';
import { checkDigest, DigestVerifier, parseDigest } from '../digest.js';
import { cleanArchivePath } from './tar-scan.js';

/**
 * Read size for streamed blobs: larger than fs's 64 KiB default, so a layer costs fewer reads
 * and fewer chunks through the digest verifier and the decompressor.
 */
export const READ_CHUNK = 1 << 20;

export interface ContentStore {
  /** The directory or archive file, for messages. */
  readonly location: string;
  /** Size of a regular file, or undefined when there is none by that name. */
  size(name: string): Promise<number | undefined>;
  /** A whole small file; `too-large` above `maxBytes`, `not-found` when absent. */
  read(name: string, maxBytes: number): Promise<Buffer>;
  /** Streams a file's bytes. */
  open(name: string): Promise<Readable>;
}

/** Where the OCI image layout keeps a blob: `blobs/<alg>/<encoded>` (image-layout.md#blobs). */
export function blobPath(digest: string): string {
  const { algorithm, hex } = parseDigest(digest);
  return `blobs/${algorithm}/${hex}`;
}

/** Reads a blob named by a descriptor, checking existence, size and digest. */
export async function readBlob(
  store: ContentStore,
  d: { digest: string; size: number },
  maxBytes: number,
  what: string,
): Promise<Buffer> {
  const path = blobPath(d.digest);
  if ((await store.size(path)) === undefined) {
    throw new AssayError('not-found', `${what}: blob ${d.digest} is missing (${path} in ${store.location})`);
  }
  const data = await store.read(path, maxBytes);
  if (data.length !== d.size) {
    throw new AssayError(
      'digest-mismatch',
      `${what}: blob ${d.digest} is ${data.length} bytes, its descriptor says ${d.size}`,
    );
  }
  checkDigest(data, d.digest, `${what}: blob ${path}`);
  return data;
}

/** Streams a layer blob through a DigestVerifier, so a reader never finishes on bad bytes. */
export async function openVerifiedBlob(
  store: ContentStore,
  name: string,
  digest: string,
  size: number,
  what: string,
  signal?: AbortSignal,
): Promise<Readable> {
  if (signal?.aborted) throw new AssayError('aborted', `${what}: aborted`);
  if ((await store.size(name)) === undefined) {
    throw new AssayError('not-found', `${what}: blob ${digest} is missing (${name} in ${store.location})`);
  }
  const raw = await store.open(name);
  const verifier = new DigestVerifier(digest, `${what} (${name})`, size);
  raw.on('error', (err) => verifier.destroy(err));
  // Destroying the verifier (consumer gave up, or the signal fired) must release the file.
  verifier.on('close', () => raw.destroy());
  if (signal) addAbortSignal(signal, verifier);
  return raw.pipe(verifier);
}

/**
 * A directory on disk. Names are cleaned like archive member names and must stay below the
 * root; the readers only ever ask for `index.json`, `oci-layout` and digest-derived blob paths.
 */
export class DirStore implements ContentStore {
  constructor(readonly location: string) {}

  private resolve(name: string): string {
    const clean = cleanArchivePath(name);
    if (clean === undefined || clean === '') {
      throw new AssayError(
        'unsafe-path',
        `${this.location}: ${JSON.stringify(name)} is outside the directory`,
      );
    }
    return join(this.location, clean);
  }

  async size(name: string): Promise<number | undefined> {
    try {
      const st = await stat(this.resolve(name));
      return st.isFile() ? st.size : undefined;
    } catch {
      return undefined;
    }
  }

  async read(name: string, maxBytes: number): Promise<Buffer> {
    const size = await this.size(name);
    if (size === undefined) throw new AssayError('not-found', `${this.location}: no file ${name}`);
    if (size > maxBytes) {
      throw new AssayError(
        'too-large',
        `${this.location}: ${name} is ${size} bytes, more than the ${maxBytes} allowed for it`,
      );
    }
    const fh = await open(this.resolve(name), 'r');
    try {
      // Read at most maxBytes + 1 so a file growing after stat() is still caught.
      const buf = Buffer.alloc(Math.min(maxBytes, size) + 1);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      if (bytesRead > maxBytes)
        throw new AssayError('too-large', `${this.location}: ${name} grew beyond ${maxBytes} bytes`);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  async open(name: string): Promise<Readable> {
    if ((await this.size(name)) === undefined)
      throw new AssayError('not-found', `${this.location}: no file ${name}`);
    return createReadStream(this.resolve(name), { highWaterMark: READ_CHUNK });
  }
}
