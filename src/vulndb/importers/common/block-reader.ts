/**
 * A yauzl RandomAccessReader over a file that serves yauzl's many small reads (two per
 * central-directory record, one per local header) from a few cached blocks. An all.zip walk
 * reads the central directory (at the end) and the entries' data (from the start) in step,
 * both sequentially, so a handful of blocks turns ~4 system calls per entry into ~1 per block.
 * Memory stays bounded by BLOCK_SIZE × MAX_BLOCKS whatever the archive's size.
 */
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';

const BLOCK_SIZE = 256 * 1024;
const MAX_BLOCKS = 8;
const STREAM_CHUNK = 1024 * 1024;

export class BlockReader extends yauzl.RandomAccessReader {
  private readonly blocks = new Map<number, Buffer>();

  constructor(
    private readonly fd: FileHandle,
    readonly size: number,
  ) {
    super();
  }

  private async block(index: number): Promise<Buffer> {
    const cached = this.blocks.get(index);
    if (cached) {
      // Re-insert: Map order is the LRU order.
      this.blocks.delete(index);
      this.blocks.set(index, cached);
      return cached;
    }
    const start = index * BLOCK_SIZE;
    const buf = Buffer.alloc(Math.min(BLOCK_SIZE, Math.max(0, this.size - start)));
    const { bytesRead } = await this.fd.read(buf, 0, buf.length, start);
    const data = buf.subarray(0, bytesRead);
    this.blocks.set(index, data);
    if (this.blocks.size > MAX_BLOCKS) {
      const oldest = this.blocks.keys().next();
      if (oldest.done !== true) this.blocks.delete(oldest.value);
    }
    return data;
  }

  /** `length` bytes at `position`, fewer at the end of the file. Big ranges bypass the cache. */
  async readAt(position: number, length: number): Promise<Buffer> {
    if (length > BLOCK_SIZE) {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await this.fd.read(buf, 0, length, position);
      return buf.subarray(0, bytesRead);
    }
    const parts: Buffer[] = [];
    let pos = position;
    const end = Math.min(position + length, this.size);
    while (pos < end) {
      const index = Math.floor(pos / BLOCK_SIZE);
      const block = await this.block(index);
      const from = pos - index * BLOCK_SIZE;
      const part = block.subarray(from, Math.min(block.length, from + end - pos));
      if (part.length === 0) break;
      parts.push(part);
      pos += part.length;
    }
    return parts.length === 1 && parts[0] ? parts[0] : Buffer.concat(parts);
  }

  /** yauzl's low-level read (what its central-directory and header parsing call). */
  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null, bytesRead?: number) => void,
  ): void {
    this.readAt(position, length).then(
      (data) => callback(null, data.copy(buffer, offset)),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
    );
  }

  /** yauzl's entry stream (`openReadStream`): the range in 1 MiB reads, never held whole. */
  override _readStreamForRange(start: number, end: number): Readable {
    return Readable.from(
      (async function* (reader: BlockReader) {
        for (let pos = start; pos < end; ) {
          const data = await reader.readAt(pos, Math.min(STREAM_CHUNK, end - pos));
          if (data.length === 0) return;
          yield data;
          pos += data.length;
        }
      })(this),
    );
  }
}
