/**
 * Path cleaning and whiteout recognition for layer entries.
 *
 * A container runtime resolves every entry against the root of the new file system, so `..`
 * can never climb above it: `/../etc/x` lands on `etc/x`. We clean the same way and report
 * what we changed, so hostile names are visible but cannot make us look outside the image.
 */

export interface CleanedPath {
  /** Root-relative, no empty, `.` or `..` segments; `''` is the root itself. */
  path: string;
  /** A `..` segment would have climbed above the root. */
  escaped: boolean;
  /** The name had `..` segments at all (a well-formed layer never has). */
  dotdot: boolean;
}

/** Names that need the slow path: leading `/`, `//`, or a `.`/`..` segment anywhere. */
const NEEDS_CLEANING = /^\/|\/\/|(?:^|\/)\.\.?(?:\/|$)/;

export function cleanPath(raw: string): CleanedPath {
  let name = raw;
  // `./usr/bin` is how `tar -C root .` spells paths: the common case, so strip it cheaply.
  while (name.startsWith('./')) name = name.slice(2);
  if (!NEEDS_CLEANING.test(name)) {
    while (name.endsWith('/')) name = name.slice(0, -1);
    return { path: name, escaped: false, dotdot: false };
  }
  const out: string[] = [];
  let escaped = false;
  let dotdot = false;
  for (const segment of name.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      dotdot = true;
      if (out.length === 0) escaped = true;
      else out.pop();
      continue;
    }
    out.push(segment);
  }
  return { path: out.join('/'), escaped, dotdot };
}

export function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function joinPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

// https://github.com/opencontainers/image-spec/blob/main/layer.md#whiteouts
const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';
/** AUFS bookkeeping (`.wh..wh.plnk`, `.wh..wh.aufs`, `.wh..wh.orph`): not part of the file system. */
const AUFS_META_PREFIX = '.wh..wh.';

export type WhiteoutKind =
  | { kind: 'whiteout'; path: string }
  | { kind: 'opaque'; dir: string }
  | { kind: 'aufs-metadata' }
  | { kind: 'invalid'; reason: string };

/**
 * Classifies a cleaned path by its BASENAME only: `usr/bin/which` and `a/.wh.x/b` are ordinary
 * entries (the prefix test on the whole path, as in some scanners, deletes `which`).
 */
export function classifyWhiteout(path: string): WhiteoutKind | undefined {
  const slash = path.lastIndexOf('/');
  const base = path.slice(slash + 1);
  if (!base.startsWith(WHITEOUT_PREFIX)) return undefined;
  const dir = slash < 0 ? '' : path.slice(0, slash);
  if (base === OPAQUE_MARKER) return { kind: 'opaque', dir };
  if (base.startsWith(AUFS_META_PREFIX)) return { kind: 'aufs-metadata' };
  const victim = base.slice(WHITEOUT_PREFIX.length);
  // `.wh.`, `.wh..` and `.wh...` would name the directory itself or its parent: obeying them
  // would let one entry erase a whole tree, so they are refused.
  if (victim === '' || victim === '.' || victim === '..') {
    return { kind: 'invalid', reason: `whiteout "${base}" names no sibling entry` };
  }
  return { kind: 'whiteout', path: joinPath(dir, victim) };
}
