import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AssayError } from '../model/errors.js';

/** Digest algorithms the OCI image spec registers; see image-spec descriptor.md#registered-algorithms. */
const ALGORITHMS = { sha256: 64, sha512: 128 } as const;
type Algorithm = keyof typeof ALGORITHMS;

export interface ParsedDigest {
  algorithm: Algorithm;
  hex: string;
}

export function parseDigest(digest: string): ParsedDigest {
  const m = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-f0-9]+)$/.exec(digest);
  const algorithm = m?.[1];
  const hex = m?.[2];
  if (!algorithm || !hex || !(algorithm in ALGORITHMS)) {
    throw new AssayError('invalid-reference', `unsupported or malformed digest ${JSON.stringify(digest)}`);
  }
  const alg = algorithm as Algorithm;
  if (hex.length !== ALGORITHMS[alg]) {
    throw new AssayError(
      'invalid-reference',
      `digest ${JSON.stringify(digest)} has the wrong length for ${alg}`,
    );
  }
  return { algorithm: alg, hex };
}

export function isDigest(value: string): boolean {
  try {
    parseDigest(value);
    return true;
  } catch {
    return false;
  }
}

export function sha256Digest(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function digestOf(data: Buffer, algorithm: Algorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;
}

/** Throws `digest-mismatch` unless `data` hashes to `expected`. */
export function checkDigest(data: Buffer, expected: string, what: string): void {
  const { algorithm } = parseDigest(expected);
  const actual = digestOf(data, algorithm);
  if (actual !== expected) {
    throw new AssayError(
      'digest-mismatch',
      `${what}: content digest ${actual} does not match expected ${expected}`,
    );
  }
}

/**
 * A pass-through stream that hashes what flows through it and fails at the end when the
 * total does not match `expected` (and, when given, when the byte count differs from `size`).
 * Consumers therefore never finish reading unverified content without an error.
 */
export class DigestVerifier extends Transform {
  private readonly hash;
  private bytes = 0;

  constructor(
    private readonly expected: string,
    private readonly what: string,
    private readonly size = -1,
  ) {
    super();
    this.hash = createHash(parseDigest(expected).algorithm);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.size >= 0 && this.bytes > this.size) {
      done(new AssayError('digest-mismatch', `${this.what}: more than the declared ${this.size} bytes`));
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.size >= 0 && this.bytes !== this.size) {
      done(new AssayError('corrupt-layer', `${this.what}: got ${this.bytes} bytes, expected ${this.size}`));
      return;
    }
    const actual = `${parseDigest(this.expected).algorithm}:${this.hash.digest('hex')}`;
    if (actual !== this.expected) {
      done(
        new AssayError(
          'digest-mismatch',
          `${this.what}: content digest ${actual} does not match expected ${this.expected}`,
        ),
      );
      return;
    }
    done();
  }
}
