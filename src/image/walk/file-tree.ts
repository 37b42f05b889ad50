/**
 * FileTree: the image's final file system, built by applying layers in order with OCI whiteout
 * semantics (https://github.com/opencontainers/image-spec/blob/main/layer.md#whiteouts):
 * - `.wh.NAME` hides NAME as written by LOWER layers only; what the same layer writes survives,
 *   wherever the marker sits in the tar ("applied first, regardless of the ordering");
 * - `.wh..wh..opq` hides every lower-layer child of its directory, descendants included;
 * - a directory over a directory replaces its attributes and keeps its children; anything else
 *   replaces the old entry, subtree included ("Changeset over existing files").
 * Every path remembers the layer that last wrote it. Nodes are small objects in a tree of Maps
 * (a 100k-entry image costs about 10 MB), and removing a subtree is one Map deletion.
 */
import { AssayError } from '../../model/errors.js';
import { joinPath } from './paths.js';
import { resolveInTree } from './tree-resolve.js';
import type { EntryType, LayerEvent, TarEntry } from './types.js';

export interface TreeEntry {
  path: string;
  type: EntryType;
  size: number;
  mode: number;
  /** Index of the layer that last wrote this path. */
  layer: number;
  linkname?: string;
  /** A parent directory that no entry of its layer described (malformed layers, or kept by a whiteout). */
  implicit?: boolean;
}

export class TreeNode {
  children: Map<string, TreeNode> | undefined;
  constructor(
    public type: EntryType,
    public size: number,
    public mode: number,
    public layer: number,
    public linkname: string | undefined,
    public implicit: boolean,
  ) {
    if (type === 'dir') this.children = new Map();
  }
}

const IMPLICIT_DIR_MODE = 0o755;

export class FileTree {
  readonly root = new TreeNode('dir', 0, IMPLICIT_DIR_MODE, -1, undefined, true);
  private layer = -1;
  private readonly deleted = new Map<string, number>();
  /** Cache for `directory()`; dropped whenever a subtree may have been unlinked. */
  private lastDir: { path: string; node: TreeNode } | undefined;

  /** Starts applying layer `index`; layers must come in increasing order. */
  beginLayer(index: number): void {
    if (index <= this.layer) {
      throw new AssayError('internal', `FileTree: layer ${index} applied after layer ${this.layer}`);
    }
    this.layer = index;
  }

  apply(event: LayerEvent): void {
    if (this.layer < 0) throw new AssayError('internal', 'FileTree: apply() before beginLayer()');
    if (event.kind === 'entry') this.write(event.entry);
    else if (event.kind === 'whiteout') this.hide(event.path);
    else if (event.kind === 'opaque') this.hideChildren(event.dir);
  }

  get(path: string): TreeEntry | undefined {
    const node = this.node(path);
    return node && path !== '' ? toEntry(path, node) : undefined;
  }

  /** Depth first, children in code-unit order: a directory comes right before its contents. */
  *entries(): Generator<TreeEntry, void, undefined> {
    yield* walk(this.root, '');
  }

  /** Which layer removed `path` (by whiteout, opaque directory or replacement), while it stays removed. */
  deletedIn(path: string): number | undefined {
    return this.deleted.get(path);
  }

  /**
   * Follows symlinks in every component, as the kernel would inside a chroot of the image:
   * absolute targets start again at the root and `..` never climbs above it.
   */
  resolve(path: string): { path: string; entry: TreeEntry | undefined } {
    const resolved = resolveInTree(this.root, path);
    const node = this.node(resolved);
    return { path: resolved, entry: node && resolved !== '' ? toEntry(resolved, node) : undefined };
  }

  private node(path: string): TreeNode | undefined {
    if (path === '') return this.root;
    let node: TreeNode | undefined = this.root;
    for (const name of path.split('/')) {
      node = node.children?.get(name);
      if (!node) return undefined;
    }
    return node;
  }

  private write(entry: TarEntry): void {
    const { path } = entry;
    // The root is not an entry (the walker never emits it); a caller's '' must not become a child.
    if (path === '') return;
    const slash = path.lastIndexOf('/');
    const parent = this.directory(slash < 0 ? '' : path.slice(0, slash));
    const name = path.slice(slash + 1);
    const existing = parent.children!.get(name);
    if (existing && existing.type === 'dir' && entry.type === 'dir') {
      existing.mode = entry.mode;
      existing.layer = this.layer;
      existing.implicit = false;
    } else {
      if (existing?.children) {
        this.recordSubtree(existing, path);
        this.lastDir = undefined;
      }
      const node = new TreeNode(entry.type, entry.size, entry.mode, this.layer, entry.linkname, false);
      parent.children!.set(name, node);
    }
    if (this.deleted.size > 0) this.deleted.delete(path);
  }

  /**
   * The directory node at `dir`, created (implicitly, in this layer) where missing or not a
   * directory. Tar entries come grouped by directory, so the last one is remembered.
   */
  private directory(dir: string): TreeNode {
    if (dir === '') return this.root;
    if (this.lastDir?.path === dir) return this.lastDir.node;
    let node = this.root;
    for (let start = 0; start <= dir.length; ) {
      const slash = dir.indexOf('/', start);
      const end = slash < 0 ? dir.length : slash;
      const name = dir.slice(start, end);
      let child = node.children!.get(name);
      if (child?.type !== 'dir') {
        child = new TreeNode('dir', 0, IMPLICIT_DIR_MODE, this.layer, undefined, true);
        node.children!.set(name, child);
        if (this.deleted.size > 0) this.deleted.delete(dir.slice(0, end));
      }
      node = child;
      start = end + 1;
    }
    this.lastDir = { path: dir, node };
    return node;
  }

  private hide(path: string): void {
    this.lastDir = undefined;
    const slash = path.lastIndexOf('/');
    const parent = this.node(slash < 0 ? '' : path.slice(0, slash));
    const name = path.slice(slash + 1);
    const node = parent?.children?.get(name);
    if (parent?.children && node && this.pruneLower(node, path)) parent.children.delete(name);
  }

  private hideChildren(dir: string): void {
    this.lastDir = undefined;
    const node = this.node(dir);
    if (!node?.children) return;
    for (const [name, child] of node.children) {
      if (this.pruneLower(child, joinPath(dir, name))) node.children.delete(name);
    }
  }

  /**
   * Removes what lower layers wrote at and below `node`, keeping what the current layer wrote.
   * Returns true when nothing of `node` survives (the caller unlinks it).
   */
  private pruneLower(node: TreeNode, path: string): boolean {
    if (node.children) {
      for (const [name, child] of node.children) {
        if (this.pruneLower(child, `${path}/${name}`)) node.children.delete(name);
      }
    }
    if (node.layer === this.layer) return false;
    if (node.children && node.children.size > 0) {
      // Lower directory kept only as the parent of this layer's entries: it now belongs to this layer.
      node.layer = this.layer;
      node.implicit = true;
      return false;
    }
    this.deleted.set(path, this.layer);
    return true;
  }

  private recordSubtree(node: TreeNode, path: string): void {
    for (const [name, child] of node.children ?? []) {
      const childPath = `${path}/${name}`;
      this.deleted.set(childPath, this.layer);
      this.recordSubtree(child, childPath);
    }
  }
}

function* walk(dir: TreeNode, path: string): Generator<TreeEntry, void, undefined> {
  const names = [...dir.children!.keys()].sort();
  for (const name of names) {
    const child = dir.children!.get(name)!;
    const childPath = joinPath(path, name);
    yield toEntry(childPath, child);
    if (child.children) yield* walk(child, childPath);
  }
}

function toEntry(path: string, node: TreeNode): TreeEntry {
  const entry: TreeEntry = { path, type: node.type, size: node.size, mode: node.mode, layer: node.layer };
  if (node.linkname !== undefined) entry.linkname = node.linkname;
  if (node.implicit) entry.implicit = true;
  return entry;
}
