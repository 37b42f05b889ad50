/** Builders for ImageFacts in tests: hand-made trees (a Map) and real FileTrees from layer events. */
import type { HistoryEntry, ImageRuntimeConfig } from '../../../image/types.js';
import { FileTree, type TreeEntry } from '../../../image/walk/file-tree.js';
import type { EntryType, LayerEvent } from '../../../image/walk/types.js';
import type { Package } from '../../../model/package.js';
import type { ResultLayer } from '../../../model/result.js';
import type { ImageFacts } from '../facts.js';

export const diffId = (i: number) => `sha256:${String(i).repeat(64).slice(0, 64)}`;

/** History from `[createdBy, producesLayer]` pairs; layers numbered in order, the first `base` are base. */
export function historyAndLayers(
  entries: readonly (readonly [string, boolean])[],
  base: number,
): { history: HistoryEntry[]; layers: ResultLayer[] } {
  const history: HistoryEntry[] = [];
  const layers: ResultLayer[] = [];
  for (const [createdBy, producesLayer] of entries) {
    const entry: HistoryEntry = { createdBy, emptyLayer: !producesLayer };
    if (producesLayer) {
      const index = layers.length;
      entry.layerIndex = index;
      layers.push({
        index,
        digest: diffId(index),
        diffId: diffId(index),
        createdBy,
        size: -1,
        base: index < base,
      });
    }
    history.push(entry);
  }
  return { history, layers };
}

/** A tree over a fixed list of entries (no parents implied), in path order. */
export function listTree(entries: readonly TreeEntry[]): ImageFacts['tree'] {
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { get: (path) => byPath.get(path), entries: () => sorted };
}

export function facts(over: Partial<ImageFacts> = {}): ImageFacts {
  return {
    config: { User: 'app', Healthcheck: { Test: ['CMD', 'true'] } } satisfies ImageRuntimeConfig,
    history: [],
    layers: [],
    packages: [],
    tree: listTree([]),
    ...over,
  };
}

export interface Spec {
  path: string;
  type?: EntryType;
  mode?: number;
  size?: number;
  linkname?: string;
}

export function event(spec: Spec): LayerEvent {
  const type = spec.type ?? 'file';
  const entry = {
    path: spec.path,
    type,
    size: spec.size ?? (type === 'file' ? 100 : 0),
    mode: spec.mode ?? (type === 'dir' ? 0o755 : type === 'symlink' ? 0o777 : 0o644),
    uid: 0,
    gid: 0,
  };
  return {
    kind: 'entry',
    entry: spec.linkname === undefined ? entry : { ...entry, linkname: spec.linkname },
  };
}

/** A real FileTree: one array of events (or entry specs) per layer. */
export function fileTree(...layers: readonly (readonly (Spec | LayerEvent)[])[]): FileTree {
  const tree = new FileTree();
  layers.forEach((items, index) => {
    tree.beginLayer(index);
    for (const item of items) tree.apply('kind' in item ? item : event(item));
  });
  return tree;
}

export function pkg(name: string, type: Package['type'], layerIndex: number, path: string): Package {
  return {
    id: `${type}:${name}`,
    type,
    name,
    version: '1.9.13p3-1',
    purl: `pkg:${type}/${name}@1.9.13p3-1`,
    licenses: [],
    locations: [{ layerDiffId: diffId(layerIndex), layerIndex, path, evidence: 'primary' }],
    introducedIn: { layerIndex, layerDiffId: diffId(layerIndex) },
  };
}
