/**
 * A random-access index over a tar FILE: only the 512-byte headers are read (bodies are skipped
 * by offset), so indexing a multi-gigabyte `docker save` archive costs a few reads per member.
 * Members are then read or streamed straight from their byte range. Nothing is ever written,
 * and member names are only keys into the index, so no name can make us touch another file.
 */
import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { AssayError } from '../../model/errors.js';
import { type ContentStore, READ_CHUNK } from './content-store.js';
import { cleanArchivePath, scanHeaders, type TarMember } from './tar-scan.js';

export { cleanArchivePath, type TarMember };

export interface TarIndexOptions {
  /** Refuse archives with more members than this (a bound on memory for hostile input). */
  maxMembers?: number;
}

const DEFAULT_MAX_MEMBERS = 1_000_000;
/** Longer link chains than this are treated as loops (Linux stops following symlinks at 40). */
const MAX_LINK_HOPS = 16;

export class TarIndex implements ContentStore {
  private constructor(
    readonly path: string,
    readonly fileSize: number,
    private readonly members: Map<string, TarMember>,
    /** Member names that would escape the archive root; never indexed. */
    readonly unsafeNames: readonly string[],
  ) {}

  get location(): string {
    return this.path;
  }

  static async open(path: string, opts: TarIndexOptions = {}): Promise<TarIndex> {
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT'
          ? 'no such file'
          : code === 'EISDIR'
            ? 'is a directory, not an archive'
            : String(code);
      throw new AssayError(code === 'ENOENT' ? 'not-found' : 'usage', `cannot open archive ${path}: ${why}`, {
        cause: err,
      });
    }
    try {
      const { size } = await fh.stat();
      const scan = await scanHeaders(fh, size, path, opts.maxMembers ?? DEFAULT_MAX_MEMBERS);
      return new TarIndex(path, size, scan.members, scan.unsafe);
    } finally {
      await fh.close();
    }
  }

  /** Every cleaned member name, in archive order of first appearance. */
  names(): string[] {
    return [...this.members.keys()];
  }

  /** The member as recorded, without following links. */
  entry(name: string): TarMember | undefined {
    const clean = cleanArchivePath(name);
    return clean === undefined ? undefined : this.members.get(clean);
  }

  /**
   * Follows hard and symbolic links (relative to the link's directory, as `docker save` and
   * skopeo write `<id>/layer.tar -> ../<digest>.tar`) to the regular file they name.
   */
  resolve(name: string): TarMember {
    let current = cleanArchivePath(name);
    for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
      if (current === undefined) {
        throw new AssayError(
          'unsafe-path',
          `${this.path}: member name ${JSON.stringify(name)} leads outside the archive`,
        );
      }
      const m = this.members.get(current);
      if (!m) {
        const via = current === cleanArchivePath(name) ? '' : ` (link target of ${name})`;
        throw new AssayError('not-found', `${this.path}: no member ${current}${via} in the archive`);
      }
      if (m.kind === 'file') return m;
      if (m.kind === 'hardlink') current = cleanArchivePath(m.linkname);
      else if (m.kind === 'symlink') {
        const dir = current.includes('/') ? current.slice(0, current.lastIndexOf('/')) : '';
        current = m.linkname.startsWith('/')
          ? cleanArchivePath(m.linkname)
          : cleanArchivePath(`${dir}/${m.linkname}`);
      } else
        throw new AssayError('corrupt-archive', `${this.path}: member ${current} is a ${m.kind}, not a file`);
    }
    throw new AssayError('corrupt-archive', `${this.path}: member ${name} is part of a link loop`);
  }

  has(name: string): boolean {
    try {
      this.resolve(name);
      return true;
    } catch {
      return false;
    }
  }

  async size(name: string): Promise<number | undefined> {
    return this.has(name) ? this.resolve(name).size : undefined;
  }

  /** Reads a whole (small) member, refusing members above `maxBytes`. */
  async read(name: string, maxBytes: number): Promise<Buffer> {
    const m = this.resolve(name);
    if (m.size > maxBytes) {
      throw new AssayError(
        'too-large',
        `${this.path}: member ${m.name} is ${m.size} bytes, more than the ${maxBytes} allowed for it`,
      );
    }
    return this.readRange(name, 0, m.size);
  }

  /** Up to `length` bytes from `start` within the member. */
  async readRange(name: string, start: number, length: number): Promise<Buffer> {
    const m = this.resolve(name);
    const len = Math.max(0, Math.min(length, m.size - start));
    const buf = Buffer.alloc(len);
    if (len === 0) return buf;
    const fh = await open(this.path, 'r');
    try {
      const { bytesRead } = await fh.read(buf, 0, len, m.offset + start);
      if (bytesRead !== len)
        throw new AssayError(
          'corrupt-archive',
          `${this.path}: member ${m.name} was cut short (file changed?)`,
        );
      return buf;
    } finally {
      await fh.close();
    }
  }

  /** Streams a member's bytes (the file is read directly at the member's offset). */
  async open(name: string, range: { start?: number; end?: number } = {}): Promise<Readable> {
    const m = this.resolve(name);
    const start = range.start ?? 0;
    const end = Math.min(range.end ?? m.size - 1, m.size - 1);
    if (end < start) return Readable.from([]);
    return createReadStream(this.path, {
      start: m.offset + start,
      end: m.offset + end,
      highWaterMark: READ_CHUNK,
    });
  }
}
