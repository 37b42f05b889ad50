/**
 * The directories a shell searches for commands: the image's `PATH` (last `PATH=` in
 * `config.Env`), else the default Docker sets for Linux containers. Each is resolved through
 * the tree's symlinks (on merged-/usr distributions `bin` is a link to `usr/bin`), the way the
 * kernel would inside the container: absolute targets restart at the root, `..` stops there.
 */
import type { ImageRuntimeConfig } from '../../image/types.js';
import type { TreeEntry } from '../../image/walk/file-tree.js';

/** https://github.com/moby/moby/blob/master/oci/defaults.go (DefaultPathEnv on Linux). */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Linux gives up after 40 links in one lookup (path_resolution(7)). */
const MAX_LINKS = 40;

type TreeView = { get(path: string): TreeEntry | undefined };

export function pathVariable(config: ImageRuntimeConfig): string {
  let value: string | undefined;
  for (const item of config.Env ?? []) {
    if (typeof item === 'string' && item.startsWith('PATH=')) value = item.slice(5);
  }
  return value ?? DEFAULT_PATH;
}

/** Root-relative resolved directories, each once; relative PATH entries (`.`, ``) are skipped. */
export function pathDirectories(config: ImageRuntimeConfig, tree: TreeView): string[] {
  const dirs = new Set<string>();
  for (const raw of pathVariable(config).split(':')) {
    if (!raw.startsWith('/')) continue;
    const resolved = resolvePath(tree, raw);
    if (resolved && (resolved.entry === undefined || resolved.entry.type === 'dir')) dirs.add(resolved.path);
  }
  return [...dirs];
}

/**
 * Follows symlinks in every component of `path`. Returns the resolved root-relative path and its
 * entry (undefined when the last component does not exist), or undefined for a link loop or an
 * intermediate component that is a file.
 */
export function resolvePath(tree: TreeView, path: string): { path: string; entry?: TreeEntry } | undefined {
  let pending = split(path);
  const done: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const name = pending.shift()!;
    if (name === '..') {
      done.pop();
      continue;
    }
    done.push(name);
    const entry = tree.get(done.join('/'));
    if (entry?.type === 'symlink' && entry.linkname !== undefined) {
      if (++links > MAX_LINKS) return undefined;
      done.pop();
      if (entry.linkname.startsWith('/')) done.length = 0;
      pending = [...split(entry.linkname), ...pending];
    } else if (pending.length > 0 && entry !== undefined && entry.type !== 'dir') {
      // A missing intermediate directory is taken as a directory (hand-made trees omit parents).
      return undefined;
    } else if (pending.length === 0) {
      return entry ? { path: done.join('/'), entry } : { path: done.join('/') };
    }
  }
  return { path: done.join('/') };
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '' && s !== '.');
}
