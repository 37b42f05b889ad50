/**
 * What the image-configuration checks read, and how they locate a finding: a history entry, a
 * file of the final tree (attributed to the layer that last wrote it) or the config itself.
 * Every `createdBy` put into a location goes through `redactCreatedBy` (secret-names.ts).
 */
import type { HistoryEntry, ImageRuntimeConfig } from '../../image/types.js';
import type { TreeEntry } from '../../image/walk/file-tree.js';
import type { Package } from '../../model/package.js';
import type { ContentLocation, ResultLayer } from '../../model/result.js';
import { parseCreatedBy } from './history.js';
import { redactCreatedBy } from './secret-names.js';

export interface ImageFacts {
  /** The OCI config's `config` object (User, Env, Healthcheck, Labels…). */
  config: ImageRuntimeConfig;
  /** Every history entry, `empty_layer` ones included (`layerIndex` set for the others). */
  history: HistoryEntry[];
  /** index, diffId, createdBy, base (true = from the base image). */
  layers: ResultLayer[];
  /** The catalog. */
  packages: Package[];
  /** The FINAL file system. */
  tree: { get(path: string): TreeEntry | undefined; entries(): Iterable<TreeEntry> };
}

export interface Located {
  location: ContentLocation;
  fromBaseImage: boolean;
}

/** Index → layer, for facts whose `layers` are not exactly in index order. */
export function layerLookup(layers: readonly ResultLayer[]): (index: number) => ResultLayer | undefined {
  if (layers.every((l, i) => l.index === i)) return (index) => layers[index];
  const byIndex = new Map(layers.map((l) => [l.index, l]));
  return (index) => byIndex.get(index);
}

const CMD_OR_ENTRYPOINT = new Set(['CMD', 'ENTRYPOINT']);

/**
 * Which history entries belong to the base image. An entry that produced a layer takes that
 * layer's `base` flag. An empty entry is base when it comes at or before the base image's last
 * entry: the last empty `CMD`/`ENTRYPOINT` before the first own layer (the boundary
 * src/scan/base-layers.ts infers), else the last base layer's entry. Empty entries between that
 * boundary and the first own layer (`USER app`, `ENV …` of the image's own Dockerfile) are own.
 */
export function historyBaseFlags(
  history: readonly HistoryEntry[],
  layers: readonly ResultLayer[],
): boolean[] {
  const layerAt = layerLookup(layers);
  const isBase = (h: HistoryEntry) => h.layerIndex !== undefined && layerAt(h.layerIndex)?.base === true;
  let firstOwn = history.findIndex((h) => h.layerIndex !== undefined && !isBase(h));
  if (firstOwn < 0) firstOwn = history.length;
  let end = -1;
  for (let i = 0; i < firstOwn; i++) {
    const h = history[i]!;
    if (isBase(h)) end = i;
  }
  if (end >= 0) {
    for (let i = end + 1; i < firstOwn; i++) {
      const h = history[i]!;
      if (h.layerIndex === undefined && CMD_OR_ENTRYPOINT.has(parseCreatedBy(h.createdBy)?.keyword ?? ''))
        end = i;
    }
  }
  return history.map((h, i) => (h.layerIndex !== undefined ? isBase(h) : i <= end));
}

export class Locator {
  private readonly layerAt: (index: number) => ResultLayer | undefined;
  private baseFlags: boolean[] | undefined;

  constructor(private readonly facts: ImageFacts) {
    this.layerAt = layerLookup(facts.layers);
  }

  layer(index: number): ResultLayer | undefined {
    return this.layerAt(index);
  }

  isBaseLayer(index: number): boolean {
    return this.layerAt(index)?.base === true;
  }

  history(historyIndex: number, source: ContentLocation['source'] = 'history'): Located {
    this.baseFlags ??= historyBaseFlags(this.facts.history, this.facts.layers);
    const entry = this.facts.history[historyIndex]!;
    const location: ContentLocation = { source, historyIndex };
    if (entry.createdBy !== undefined) location.createdBy = redactCreatedBy(entry.createdBy);
    const layer = entry.layerIndex === undefined ? undefined : this.layerAt(entry.layerIndex);
    if (entry.layerIndex !== undefined) location.layerIndex = entry.layerIndex;
    if (layer) location.layerDiffId = layer.diffId;
    return { location, fromBaseImage: this.baseFlags[historyIndex] === true };
  }

  /** A path attributed to a layer (the one that wrote the file, or the package's). */
  file(path: string, layerIndex: number): Located {
    const location: ContentLocation = { source: 'file', path };
    const layer = this.layerAt(layerIndex);
    if (layerIndex >= 0) location.layerIndex = layerIndex;
    if (layer) {
      location.layerDiffId = layer.diffId;
      if (layer.createdBy !== undefined) location.createdBy = redactCreatedBy(layer.createdBy);
    }
    return { location, fromBaseImage: layer?.base === true };
  }

  config(): Located {
    return { location: { source: 'config' }, fromBaseImage: false };
  }
}
