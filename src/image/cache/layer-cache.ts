/**
 * A content-addressed cache of per-layer results. The key is the layer's blob digest plus the
 * producer's id and version plus any options that change the output (Trivy's cache key idea:
 * pkg/cache/key.go), hashed. The blob digest rather than the config's diff-id: every source
 * verifies the blob digest while streaming, whereas a diff-id is only a claim of the config
 * until the uncompressed tar is hashed too (which costs a core-second per GiB), and a crafted
 * image must not be able to plant results under another image's layer; so a re-scan, or another image sharing base layers, skips the
 * work, and changed code never serves stale results. Entries are gzip'd JSON files written
 * atomically (temp + rename); a corrupt entry is a miss and is removed. The directory is
 * bounded: after writes, least-recently-used entries are evicted down to `maxBytes`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { AssayError, errorMessage } from '../../model/errors.js';

export interface CacheKeyParts {
  /** The layer's verified blob digest (`LayerRef.digest`); empty = not cacheable. */
  layerDigest: string;
  producer: string;
  version: number;
  options?: Record<string, string | number | boolean>;
}

export interface LayerCacheOptions {
  maxBytes?: number;
  /** Set to false to never read or write (e.g. `--no-cache`). */
  enabled?: boolean;
}

export const DEFAULT_CACHE_MAX_BYTES = 2 * 1024 ** 3;
const FORMAT = 1;

export class LayerCache {
  readonly dir: string;
  private readonly maxBytes: number;
  private readonly enabled: boolean;
  private pruning: Promise<void> | undefined;

  constructor(root: string, opts: LayerCacheOptions = {}) {
    this.dir = join(root, 'layers');
    this.maxBytes = opts.maxBytes ?? DEFAULT_CACHE_MAX_BYTES;
    this.enabled = opts.enabled ?? true;
  }

  /** Layers without a digest (root filesystems) are never cached. */
  static keyOf(parts: CacheKeyParts): string | undefined {
    if (!parts.layerDigest) return undefined;
    const opts = Object.entries(parts.options ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
    const material = JSON.stringify([FORMAT, parts.layerDigest, parts.producer, parts.version, opts]);
    return createHash('sha256').update(material).digest('hex');
  }

  private file(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json.gz`);
  }

  async get(key: string | undefined): Promise<unknown> {
    if (!key || !this.enabled) return undefined;
    const file = this.file(key);
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch {
      return undefined;
    }
    try {
      const value: unknown = JSON.parse(gunzipSync(data).toString('utf8'));
      const now = new Date();
      await utimes(file, now, now).catch(() => undefined);
      return value;
    } catch {
      await rm(file, { force: true });
      return undefined;
    }
  }

  async put(key: string | undefined, value: unknown): Promise<void> {
    if (!key || !this.enabled) return;
    const file = this.file(key);
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(join(this.dir, key.slice(0, 2)), { recursive: true });
      await writeFile(tmp, gzipSync(JSON.stringify(value), { level: 1 }));
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw new AssayError('cache', `cannot write layer cache entry in ${this.dir}: ${errorMessage(err)}`, {
        cause: err,
      });
    }
    this.pruning ??= this.prune()
      .then(() => undefined)
      .finally(() => {
        this.pruning = undefined;
      });
  }

  /** Total size and entry count. */
  async usage(): Promise<{ entries: number; bytes: number }> {
    const files = await this.list();
    return { entries: files.length, bytes: files.reduce((n, f) => n + f.size, 0) };
  }

  /** Evicts least-recently-used entries until the cache fits `maxBytes`. */
  async prune(maxBytes = this.maxBytes): Promise<{ removed: number; bytes: number }> {
    const files = await this.list();
    let total = files.reduce((n, f) => n + f.size, 0);
    files.sort((a, b) => a.atime - b.atime);
    let removed = 0;
    let freed = 0;
    for (const f of files) {
      if (total <= maxBytes) break;
      await rm(f.path, { force: true });
      total -= f.size;
      freed += f.size;
      removed++;
    }
    return { removed, bytes: freed };
  }

  async clean(): Promise<{ removed: number; bytes: number }> {
    return this.prune(0);
  }

  async settle(): Promise<void> {
    await this.pruning;
  }

  private async list(): Promise<{ path: string; size: number; atime: number }[]> {
    const out: { path: string; size: number; atime: number }[] = [];
    let shards: string[];
    try {
      shards = await readdir(this.dir);
    } catch {
      return out;
    }
    for (const shard of shards) {
      const names = await readdir(join(this.dir, shard)).catch(() => [] as string[]);
      for (const name of names) {
        const p = join(this.dir, shard, name);
        const s = await stat(p).catch(() => undefined);
        // mtime is refreshed on every hit (atime is unreliable with noatime mounts).
        if (s?.isFile()) out.push({ path: p, size: s.size, atime: s.mtimeMs });
      }
    }
    return out;
  }
}
