/**
 * Symlink resolution inside an image's file tree, the way path lookup works in a chroot:
 * every component is followed, an absolute target restarts at the image root, and `..` at the
 * root stays at the root, so no link (however hostile) can lead outside the image.
 */
import { AssayError } from '../../model/errors.js';
import type { TreeNode } from './file-tree.js';

/** Linux's MAXSYMLINKS (include/linux/namei.h): the kernel gives up with ELOOP after 40 links. */
export const MAX_SYMLINK_HOPS = 40;

/** Returns the resolved root-relative path (which may not exist). */
export function resolveInTree(root: TreeNode, path: string): string {
  // Remaining components, last one first, so the next one is popped from the end.
  const pending = path.split('/').reverse();
  const names: string[] = [];
  const nodes: Array<TreeNode | undefined> = [];
  const chain: string[] = [];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (name === '' || name === '.') continue;
    if (name === '..') {
      names.pop();
      nodes.pop();
      continue;
    }
    const dir = nodes.length === 0 ? root : nodes[nodes.length - 1];
    const node = dir?.children?.get(name);
    if (node?.type !== 'symlink') {
      names.push(name);
      nodes.push(node);
      continue;
    }
    const target = node.linkname ?? '';
    chain.push(`${[...names, name].join('/')} -> ${target}`);
    if (chain.length > MAX_SYMLINK_HOPS) throw loop(path, chain);
    if (target.startsWith('/')) {
      names.length = 0;
      nodes.length = 0;
    }
    for (const part of target.split('/').reverse()) pending.push(part);
  }
  return names.join('/');
}

function loop(path: string, chain: string[]): AssayError {
  const shown = chain.length > 8 ? [...chain.slice(0, 8), `… ${chain.length - 8} more`] : chain;
  return new AssayError(
    'unsafe-path',
    `too many levels of symbolic links (more than ${MAX_SYMLINK_HOPS}) resolving "${path}": ${shown.join(', ')}`,
  );
}
