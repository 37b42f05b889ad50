/**
 * Holding a wanted file's bytes while consumers look at it: in memory up to a threshold, in a
 * spill file above it (the approach of Trivy's `pkg/fanal/walker/cached_file.go`), so a layer
 * with a 400 MB jar costs disk, not heap. A held content is disposed of when the walker moves
 * on, and every later use fails loudly instead of reading freed or deleted data.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AssayError } from '../../model/errors.js';
import type { FileContent } from './types.js';

export interface HeldContent extends FileContent {
  dispose(): Promise<void>;
}

/** Feeds the body to `write` slice by slice; provided by the tar reader. */
export type BodySource = (write: (slice: Buffer) => undefined | Promise<void>) => Promise<void>;

export interface HoldOptions {
  size: number;
  /** Above this size, and when `spillDir` is set, the bytes go to a file. */
  spillThreshold: number;
  spillDir?: string;
  /** `layer 3 (sha256:…): usr/lib/x.jar`, for messages. */
  describe: string;
}

export async function holdContent(body: BodySource, opts: HoldOptions): Promise<HeldContent> {
  if (opts.spillDir !== undefined && opts.size > opts.spillThreshold) return spill(body, opts, opts.spillDir);
  const buffer = Buffer.allocUnsafe(opts.size);
  let filled = 0;
  await body((slice) => {
    // Copy: a view would pin the whole decompressed chunk for as long as a consumer keeps it.
    slice.copy(buffer, filled);
    filled += slice.length;
    return undefined;
  });
  return new MemoryContent(buffer, opts.describe);
}

class MemoryContent implements HeldContent {
  private buffer: Buffer | undefined;

  constructor(
    buffer: Buffer,
    private readonly describe: string,
  ) {
    this.buffer = buffer;
    this.size = buffer.length;
  }

  readonly size: number;

  async read(): Promise<Buffer> {
    return this.live();
  }

  stream(): Readable {
    return Readable.from([this.live()]);
  }

  async dispose(): Promise<void> {
    this.buffer = undefined;
  }

  private live(): Buffer {
    if (!this.buffer) throw disposed(this.describe);
    return this.buffer;
  }
}

async function spill(body: BodySource, opts: HoldOptions, dir: string): Promise<HeldContent> {
  const path = join(dir, `assay-spill-${randomUUID()}`);
  let handle: FileHandle | undefined;
  try {
    // 'wx': never follow or reuse something already at that name; 0600: layer contents may be secret.
    handle = await open(path, 'wx', 0o600);
    const file = handle;
    await body(async (slice) => {
      await file.write(slice);
    });
    await handle.close();
    handle = undefined;
    return new SpilledContent(path, opts.size, opts.describe);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await rm(path, { force: true });
    throw err;
  }
}

class SpilledContent implements HeldContent {
  private disposed = false;

  constructor(
    private readonly path: string,
    readonly size: number,
    private readonly describe: string,
  ) {}

  async read(): Promise<Buffer> {
    this.check();
    return readFile(this.path);
  }

  stream(): Readable {
    this.check();
    return createReadStream(this.path);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await rm(this.path, { force: true });
  }

  private check(): void {
    if (this.disposed) throw disposed(this.describe);
  }
}

function disposed(describe: string): AssayError {
  return new AssayError(
    'internal',
    `${describe}: file content used after the walk moved on (read it before the next event)`,
  );
}
