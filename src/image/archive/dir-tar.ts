/**
 * Streams a directory tree as an uncompressed tar (tar-stream `pack`), the synthetic single
 * layer of a `dir:` source. Safety rules: entries are lstat'ed and symlinks are stored as
 * symlinks (never followed, so nothing outside the root is read and symlink loops cannot
 * hang); files are opened with O_NOFOLLOW|O_NONBLOCK, so a file swapped for a symlink or a
 * FIFO between lstat and open is refused instead of followed or blocked on; directories are
 * remembered by dev:inode, so bind-mount cycles are cut; procfs/sysfs-like mounts are skipped.
 * Anything skipped is reported through `onWarning` — never silently.
 */
import { constants, type Stats } from 'node:fs';
import { type FileHandle, lstat, open, readdir, readlink, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { errorMessage } from '../../model/errors.js';

export interface DirTarWarning {
  /** Path relative to the root. */
  path: string;
  reason: string;
}

export interface DirTarOptions {
  onWarning: (w: DirTarWarning) => void;
}

/** statfs(2) magic numbers of kernel pseudo file systems whose content is not part of an image. */
const PSEUDO_FS = new Set([
  0x9fa0 /* proc */, 0x62656572 /* sysfs */, 0x63677270 /* cgroup2 */, 0x27e0eb /* cgroup */,
  0x64626720 /* debugfs */, 0x74726163 /* tracefs */, 0x73636673 /* securityfs */,
]);
const CHUNK = 1 << 20;

type EntryHeader = Parameters<tar.Pack['entry']>[0];
type Sink = ReturnType<tar.Pack['entry']>;

export function packDirectory(root: string, opts: DirTarOptions): Readable {
  const pack = tar.pack();
  const stop = new AbortController();
  pack.on('close', () => stop.abort());
  const walker = new DirWalker(root, pack, opts, stop.signal);
  walker.run().then(
    () => pack.finalize(),
    (err: unknown) => {
      if (!stop.signal.aborted) pack.destroy(err instanceof Error ? err : new Error(errorMessage(err)));
    },
  );
  return toNodeReadable(pack);
}

/**
 * A real node:stream Readable over tar-stream's pack (a streamx stream), with backpressure.
 * Destroying it (consumer gone, abort) destroys the pack, which stops the walk.
 */
function toNodeReadable(pack: tar.Pack): Readable {
  const out = new Readable({
    read: () => {
      pack.resume();
    },
    destroy: (err, cb) => {
      pack.destroy();
      cb(err);
    },
  });
  pack.on('data', (chunk: unknown) => {
    if (!out.push(chunk)) pack.pause();
  });
  pack.on('end', () => out.push(null));
  pack.on('error', (err: Error) => out.destroy(err));
  return out;
}

class DirWalker {
  private readonly seenDirs = new Set<string>();

  constructor(
    private readonly root: string,
    private readonly pack: tar.Pack,
    private readonly opts: DirTarOptions,
    private readonly signal: AbortSignal,
  ) {}

  async run(): Promise<void> {
    const st = await lstat(this.root);
    this.seenDirs.add(`${st.dev}:${st.ino}`);
    await this.walkDir('', st.dev);
  }

  private warn(path: string, reason: string): void {
    this.opts.onWarning({ path, reason });
  }

  private async walkDir(rel: string, dev: number): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(join(this.root, rel))).sort();
    } catch (err) {
      this.warn(rel || '.', `directory not readable, skipped its content: ${errorMessage(err)}`);
      return;
    }
    for (const name of names) {
      this.signal.throwIfAborted();
      const path = rel ? `${rel}/${name}` : name;
      let st: Stats;
      try {
        st = await lstat(join(this.root, path));
      } catch (err) {
        this.warn(path, `cannot lstat, skipped: ${errorMessage(err)}`);
        continue;
      }
      await this.addEntry(path, st, dev);
    }
  }

  private async addEntry(path: string, st: Stats, parentDev: number): Promise<void> {
    const base = { name: path, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime };
    if (st.isDirectory()) {
      const key = `${st.dev}:${st.ino}`;
      if (this.seenDirs.has(key))
        return this.warn(path, 'directory already visited (bind-mount cycle), skipped');
      this.seenDirs.add(key);
      await this.entry({ ...base, type: 'directory' });
      if (st.dev !== parentDev && (await this.isPseudoFs(path))) {
        return this.warn(path, 'kernel pseudo file system (proc/sys/cgroup…), content skipped');
      }
      return this.walkDir(path, st.dev);
    }
    if (st.isSymbolicLink()) {
      try {
        return await this.entry({
          ...base,
          type: 'symlink',
          linkname: await readlink(join(this.root, path)),
        });
      } catch (err) {
        return this.warn(path, `cannot read symlink, skipped: ${errorMessage(err)}`);
      }
    }
    if (st.isFile()) return this.addFile(path, base);
    if (st.isFIFO()) return this.entry({ ...base, type: 'fifo' });
    if (st.isCharacterDevice() || st.isBlockDevice()) {
      const type = st.isCharacterDevice() ? 'character-device' : 'block-device';
      return this.entry({ ...base, type, ...deviceNumbers(st.rdev) });
    }
    this.warn(path, 'socket (cannot be stored in a tar), skipped');
  }

  private async isPseudoFs(path: string): Promise<boolean> {
    try {
      return PSEUDO_FS.has((await statfs(join(this.root, path))).type);
    } catch {
      return false;
    }
  }

  private entry(header: EntryHeader): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pack.entry(header, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Copies exactly the size seen by fstat, so a file growing or shrinking meanwhile cannot break the tar. */
  private async addFile(path: string, base: EntryHeader): Promise<void> {
    let fh: FileHandle;
    try {
      fh = await open(
        join(this.root, path),
        constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
      );
    } catch (err) {
      return this.warn(path, `cannot open, skipped: ${errorMessage(err)}`);
    }
    try {
      const st = await fh.stat();
      if (!st.isFile()) return this.warn(path, 'changed type while being read, skipped');
      let settle: (err?: Error | null) => void = () => {};
      const done = new Promise<void>((resolve, reject) => {
        settle = (err) => (err ? reject(err) : resolve());
      });
      // Handled even when copy() throws first (consumer gone): the pack then fails this entry too.
      done.catch(() => {});
      const sink = this.pack.entry({ ...base, size: st.size }, (err) => settle(err));
      const short = await this.copy(fh, st.size, sink);
      // streamx types declare end(data) with a required argument; undefined writes nothing.
      sink.end(undefined);
      await done;
      if (short > 0) this.warn(path, `shrank by ${short} bytes while being read; padded with zeros`);
    } finally {
      await fh.close();
    }
  }

  /** Waits for the entry to accept more, or gives up when the consumer went away. */
  private drained(sink: Sink): Promise<void> {
    this.signal.throwIfAborted();
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(this.signal.reason);
      this.signal.addEventListener('abort', onAbort, { once: true });
      sink.once('drain', () => {
        this.signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  /** Returns how many bytes had to be padded because the file shrank. */
  private async copy(fh: FileHandle, size: number, sink: Sink): Promise<number> {
    let position = 0;
    let short = 0;
    while (position < size) {
      const want = Math.min(CHUNK, size - position);
      let chunk = Buffer.alloc(0);
      if (short === 0) {
        const { bytesRead, buffer } = await fh.read(Buffer.allocUnsafe(want), 0, want, position);
        chunk = buffer.subarray(0, bytesRead);
        if (bytesRead === 0) short = size - position;
      }
      if (short > 0) chunk = Buffer.alloc(want);
      position += chunk.length;
      if (!sink.write(chunk)) await this.drained(sink);
    }
    return short;
  }
}

/** Linux `new_encode_dev`: minor = low 8 bits plus bits 20+, major = bits 8–19. */
function deviceNumbers(rdev: number): { devmajor: number; devminor: number } {
  return {
    devmajor: Math.floor(rdev / 0x100) & 0xfff,
    devminor: (rdev & 0xff) | (Math.floor(rdev / 0x1000) & ~0xff),
  };
}
