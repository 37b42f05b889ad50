/**
 * Bounds-checked reads from a byte buffer. Every read names what it was reading, so a hostile
 * file produces "BerkeleyDB page 7 header: 4 bytes at offset 0x7010 run past the end of the
 * file (0x7004 bytes)" rather than a RangeError or, worse, a silent zero.
 */
import { hex, RpmDbFormatError } from './problems.js';

export type Endian = 'le' | 'be';

export class Bytes {
  /**
   * @param buf the bytes; offsets below are relative to it
   * @param endian byte order of multi-byte integers
   * @param base absolute file offset of `buf[0]`, so messages name file offsets
   * @param what names `buf` in messages ("file", "header blob of record 3")
   */
  constructor(
    readonly buf: Buffer,
    readonly endian: Endian,
    readonly base = 0,
    readonly what = 'file',
  ) {}

  get length(): number {
    return this.buf.length;
  }

  /** Throws unless `[offset, offset + size)` lies inside the buffer. */
  check(offset: number, size: number, reading: string): void {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(size) || offset < 0 || size < 0) {
      throw new RpmDbFormatError(
        'corrupt-database',
        `${reading}: invalid range ${offset}+${size}`,
        this.base,
      );
    }
    if (offset + size > this.buf.length) {
      throw new RpmDbFormatError(
        'truncated-file',
        `${reading}: ${size} bytes at offset ${hex(this.base + offset)} run past the end of the ${this.what} (${hex(this.base + this.buf.length)} bytes)`,
        this.base + offset,
      );
    }
  }

  u8(offset: number, reading: string): number {
    this.check(offset, 1, reading);
    return this.buf.readUInt8(offset);
  }

  u16(offset: number, reading: string): number {
    this.check(offset, 2, reading);
    return this.endian === 'le' ? this.buf.readUInt16LE(offset) : this.buf.readUInt16BE(offset);
  }

  u32(offset: number, reading: string): number {
    this.check(offset, 4, reading);
    return this.endian === 'le' ? this.buf.readUInt32LE(offset) : this.buf.readUInt32BE(offset);
  }

  i32(offset: number, reading: string): number {
    this.check(offset, 4, reading);
    return this.endian === 'le' ? this.buf.readInt32LE(offset) : this.buf.readInt32BE(offset);
  }

  u64(offset: number, reading: string): bigint {
    this.check(offset, 8, reading);
    return this.endian === 'le' ? this.buf.readBigUInt64LE(offset) : this.buf.readBigUInt64BE(offset);
  }

  /** A view (no copy) of `size` bytes at `offset`. */
  view(offset: number, size: number, reading: string): Buffer {
    this.check(offset, size, reading);
    return this.buf.subarray(offset, offset + size);
  }
}

/** Adler-32 (RFC 1950 section 8.2), which NDB uses to checksum each blob; zlib keeps its own private. */
export function adler32(data: Uint8Array): number {
  const MOD = 65521;
  // The largest run of bytes whose sums cannot overflow before the modulo (RFC 1950, "NMAX").
  const NMAX = 5552;
  let a = 1;
  let b = 0;
  for (let start = 0; start < data.length; start += NMAX) {
    const end = Math.min(start + NMAX, data.length);
    for (let i = start; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= MOD;
    b %= MOD;
  }
  return ((b << 16) | a) >>> 0;
}
