/**
 * Package-manager caches left in the image: downloads and indexes needed only while installing,
 * which make the image bigger and tell an attacker which repositories it used. Each is counted
 * per layer so that a finding names the layer that wrote most of it (the `RUN` that forgot to
 * clean up). Tiny remains of a clean-up (dnf's `expired_repos.json`) do not make a cache.
 */
import type { TreeEntry } from '../../image/walk/file-tree.js';

export interface CacheSpec {
  /** Root-relative directory. */
  dir: string;
  manager: string;
  what: string;
  /** Which files under `dir` count (`rel` is relative to `dir`); all regular files when absent. */
  counts?: (rel: string) => boolean;
}

/** A cache smaller than this is a clean-up's leftovers, not a cache. */
export const MIN_CACHE_BYTES = 4096;

export const CACHES: readonly CacheSpec[] = [
  // Debian's docker-clean apt.conf removes these after each install; a custom config may not.
  {
    dir: 'var/cache/apt/archives',
    manager: 'apt',
    what: 'downloaded .deb packages',
    counts: (r) => r.endsWith('.deb'),
  },
  // `lock` and `partial/` belong to apt's own operation and are there in a cleaned image too.
  {
    dir: 'var/lib/apt/lists',
    manager: 'apt',
    what: 'package lists',
    counts: (r) => r !== 'lock' && !r.startsWith('partial/'),
  },
  { dir: 'var/cache/apk', manager: 'apk', what: 'package index and packages' },
  { dir: 'var/cache/yum', manager: 'yum', what: 'repository metadata and packages' },
  { dir: 'var/cache/dnf', manager: 'dnf', what: 'repository metadata and packages' },
  { dir: 'var/cache/libdnf5', manager: 'dnf5', what: 'repository metadata and packages' },
  { dir: 'root/.cache/pip', manager: 'pip', what: 'downloaded wheels and HTTP cache' },
  { dir: 'root/.npm/_cacache', manager: 'npm', what: 'package tarball cache' },
  { dir: 'usr/local/share/.cache/yarn', manager: 'yarn', what: 'package cache' },
];

export interface CacheTally {
  spec: CacheSpec;
  files: number;
  bytes: number;
  /** Layer index → files and bytes that layer wrote (as present in the final tree). */
  byLayer: Map<number, { files: number; bytes: number }>;
}

/** Cheap first test: every cache lives under `var/`, `root/` or `usr/local/share/`. */
export function cacheOf(path: string): CacheSpec | undefined {
  const c = path.charCodeAt(0);
  if (c !== 118 /* v */ && c !== 114 /* r */ && c !== 117 /* u */) return undefined;
  for (const spec of CACHES) {
    if (
      path.length > spec.dir.length + 1 &&
      path.charCodeAt(spec.dir.length) === 47 &&
      path.startsWith(spec.dir)
    ) {
      return spec.counts === undefined || spec.counts(path.slice(spec.dir.length + 1)) ? spec : undefined;
    }
  }
  return undefined;
}

export function tallyCache(tallies: Map<string, CacheTally>, spec: CacheSpec, entry: TreeEntry): void {
  let tally = tallies.get(spec.dir);
  if (!tally) {
    tally = { spec, files: 0, bytes: 0, byLayer: new Map() };
    tallies.set(spec.dir, tally);
  }
  tally.files++;
  tally.bytes += entry.size;
  const layer = tally.byLayer.get(entry.layer);
  if (layer) {
    layer.files++;
    layer.bytes += entry.size;
  } else tally.byLayer.set(entry.layer, { files: 1, bytes: entry.size });
}

/** The layer that wrote most of the cache: most bytes, then most files, then the later layer. */
export function mainLayer(tally: CacheTally): number {
  let best = -1;
  let top = { files: -1, bytes: -1 };
  for (const [layer, t] of tally.byLayer) {
    const better =
      t.bytes > top.bytes ||
      (t.bytes === top.bytes && (t.files > top.files || (t.files === top.files && layer > best)));
    if (better) {
      best = layer;
      top = t;
    }
  }
  return best;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
