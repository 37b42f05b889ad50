/**
 * Pull-based reading of a chunked byte stream with no copying on the hot paths: skipping an
 * unwanted body only moves an offset, and a header that sits inside one chunk is a view of it.
 * Pulling (rather than reacting to 'data' events) gives backpressure for free: the decompressor
 * only runs as far ahead as its stream buffer allows.
 */

const EMPTY = Buffer.alloc(0);

export class ByteReader {
  private chunk: Buffer = EMPTY;
  private pos = 0;
  /** Bytes in the chunks before the current one. */
  private before = 0;
  private ended = false;

  /** `onChunk` sees every chunk's length as it arrives, e.g. to enforce a size limit. */
  constructor(
    private readonly source: AsyncIterator<unknown>,
    private readonly onChunk: (length: number, total: number) => void,
  ) {}

  /** Absolute offset of the next unread byte. */
  get offset(): number {
    return this.before + this.pos;
  }

  /** Ensures an unread byte is buffered; false at the end of the stream. */
  private async load(): Promise<boolean> {
    while (this.pos >= this.chunk.length) {
      if (this.ended) return false;
      const next = await this.source.next();
      if (next.done) {
        this.ended = true;
        return false;
      }
      this.before += this.chunk.length;
      this.chunk = toBuffer(next.value);
      this.pos = 0;
      this.onChunk(this.chunk.length, this.before + this.chunk.length);
    }
    return true;
  }

  /**
   * The next `n` bytes, shorter only when the stream ends first. The result may be a view of an
   * internal chunk: use it before the next call.
   */
  async read(n: number): Promise<Buffer> {
    if (this.chunk.length - this.pos >= n) {
      const view = this.chunk.subarray(this.pos, this.pos + n);
      this.pos += n;
      return view;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      if (!(await this.load())) return out.subarray(0, filled);
      const take = Math.min(n - filled, this.chunk.length - this.pos);
      this.chunk.copy(out, filled, this.pos, this.pos + take);
      this.pos += take;
      filled += take;
    }
    return out;
  }

  /** The next `n` bytes as a view when they are already buffered in one chunk; undefined otherwise. */
  readBuffered(n: number): Buffer | undefined {
    if (this.chunk.length - this.pos < n) return undefined;
    const view = this.chunk.subarray(this.pos, this.pos + n);
    this.pos += n;
    return view;
  }

  /** Skips `n` bytes if they are already buffered (the common case); false, skipping nothing, otherwise. */
  skipBuffered(n: number): boolean {
    if (this.chunk.length - this.pos < n) return false;
    this.pos += n;
    return true;
  }

  /** Skips up to `n` bytes; returns how many were skipped (fewer only at the end of the stream). */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      const available = this.chunk.length - this.pos;
      if (available === 0) {
        if (!(await this.load())) break;
        continue;
      }
      const take = Math.min(available, left);
      this.pos += take;
      left -= take;
    }
    return n - left;
  }

  /**
   * Hands the next `n` bytes to `sink` as views of the underlying chunks, awaiting the sink
   * between slices (so a slow spill file slows the stream instead of filling memory).
   * Returns the number of bytes delivered (fewer only at the end of the stream).
   */
  async forEach(n: number, sink: (slice: Buffer) => undefined | Promise<void>): Promise<number> {
    let left = n;
    while (left > 0) {
      const available = this.chunk.length - this.pos;
      if (available === 0) {
        if (!(await this.load())) break;
        continue;
      }
      const take = Math.min(available, left);
      const slice = this.chunk.subarray(this.pos, this.pos + take);
      this.pos += take;
      left -= take;
      const pending = sink(slice);
      if (pending) await pending;
    }
    return n - left;
  }

  /** Releases the source (e.g. destroys the stream) when the reader is abandoned early. */
  async close(): Promise<void> {
    this.chunk = EMPTY;
    if (!this.ended) await this.source.return?.();
    this.ended = true;
  }
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'string') return Buffer.from(value, 'latin1');
  throw new TypeError(`layer stream yielded ${typeof value}, expected bytes`);
}
