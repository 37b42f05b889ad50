/**
 * One pass over the final file system for every tree-based check (setuid files, package caches,
 * world-writable files in PATH). A tree can hold 500k entries: per entry the pass does a few
 * integer tests and, only for entries in a watched place, string comparisons; it keeps nothing
 * but what a finding needs (the setuid/world-writable entries, a count per cache and layer).
 */
import type { TreeEntry } from '../../image/walk/file-tree.js';
import { type CacheTally, cacheOf, tallyCache } from './caches.js';
import type { ImageFacts } from './facts.js';
import { pathDirectories, resolvePath } from './path-dirs.js';

const SETUID = 0o4000;
const SETGID = 0o2000;
const ANY_EXEC = 0o111;
const OTHER_WRITE = 0o002;

export interface WorldWritable {
  /** The world-writable file (or PATH directory itself). */
  entry: TreeEntry;
  /** The symlink in a PATH directory that leads to `entry`, when `entry` lies elsewhere. */
  via?: string;
}

export interface TreeScan {
  /** Setuid/setgid regular files with an execute bit, in tree order. */
  setuid: TreeEntry[];
  worldWritable: WorldWritable[];
  caches: Map<string, CacheTally>;
}

/** Tar hardlinks are regular files too (the same inode as their target, the same mode). */
const isRegular = (e: TreeEntry) => e.type === 'file' || e.type === 'hardlink';

export function isSetuidExecutable(e: TreeEntry): boolean {
  return isRegular(e) && (e.mode & (SETUID | SETGID)) !== 0 && (e.mode & ANY_EXEC) !== 0;
}

/** Same facts object → same scan: `checkImageConfig` and `fileSystemThreats` share one pass. */
const memo = new WeakMap<ImageFacts, TreeScan>();

export function scanTree(facts: ImageFacts): TreeScan {
  let scan = memo.get(facts);
  if (!scan) {
    scan = runScan(facts);
    memo.set(facts, scan);
  }
  return scan;
}

function runScan(facts: ImageFacts): TreeScan {
  const { tree } = facts;
  const dirs = pathDirectories(facts.config, tree);
  const scan: TreeScan = { setuid: [], worldWritable: [], caches: new Map() };
  const reported = new Set<string>();
  for (const e of tree.entries()) {
    if (isRegular(e)) {
      if (isSetuidExecutable(e)) scan.setuid.push(e);
      if ((e.mode & OTHER_WRITE) !== 0 && inDirectory(e.path, dirs) && !reported.has(e.path)) {
        reported.add(e.path);
        scan.worldWritable.push({ entry: e });
      }
      const cache = cacheOf(e.path);
      if (cache) tallyCache(scan.caches, cache, e);
    } else if (e.type === 'symlink') {
      if (dirs.length > 0 && inDirectory(e.path, dirs)) followLink(facts, e, dirs, scan, reported);
    } else if (e.type === 'dir' && (e.mode & OTHER_WRITE) !== 0 && dirs.includes(e.path)) {
      scan.worldWritable.push({ entry: e });
    }
  }
  return scan;
}

/**
 * A symlink in a PATH directory runs its target: a world-writable target outside the PATH
 * directories is reported through the link (targets inside them are reported on their own).
 */
function followLink(facts: ImageFacts, link: TreeEntry, dirs: string[], scan: TreeScan, seen: Set<string>) {
  const target = resolvePath(facts.tree, link.path);
  const entry = target?.entry;
  if (!entry || !isRegular(entry) || (entry.mode & OTHER_WRITE) === 0) return;
  if (inDirectory(entry.path, dirs) || seen.has(entry.path)) return;
  seen.add(entry.path);
  scan.worldWritable.push({ entry, via: link.path });
}

/** True when `path` is directly inside one of `dirs` (PATH lookup does not descend). */
export function inDirectory(path: string, dirs: readonly string[]): boolean {
  for (const dir of dirs) {
    if (dir === '') {
      if (!path.includes('/')) return true;
    } else if (
      path.length > dir.length + 1 &&
      path.charCodeAt(dir.length) === 47 &&
      path.startsWith(dir) &&
      path.indexOf('/', dir.length + 1) < 0
    ) {
      return true;
    }
  }
  return false;
}
