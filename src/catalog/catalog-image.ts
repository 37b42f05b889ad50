/**
 * Catalogs an image: one concurrent walk over its layers with every registered analyzer as the
 * layer visitor, per-layer inventories kept in the layer cache (keyed by the analyzers'
 * versions, so changed analyzers never serve stale results), then `squash` against the final
 * file system. A layer that cannot be read leaves the catalog incomplete, never silently short.
 */
import type { LayerCache } from '../image/cache/layer-cache.js';
import { cachedImageWalk } from '../image/cached-walk.js';
import type { ImageDescription, ImageSource, LayerRef } from '../image/types.js';
import type { ImageWalk } from '../image/walk/image-walker.js';
import { layerLabel } from '../image/walk/image-walker.js';
import type { Analyzer } from './analyzer.js';
import { type ImageInventory, type LayerInventory, LayerInventorySchema } from './inventory.js';
import { catalogVisitor } from './layer-stage.js';
import { dropLockDuplicates } from './lock-duplicates.js';
import { analyzerVersions, analyzers as registered } from './registry.js';
import { squash } from './squash.js';

export interface CatalogOptions {
  analyzers?: readonly Analyzer[];
  cache?: LayerCache;
  spillDir?: string;
  signal?: AbortSignal;
  /** For the end-of-life flag; defaults to now. */
  today?: Date;
  onLayer?: (layer: LayerRef, status: 'walked' | 'cached') => void;
}

export interface ImageCatalog {
  inventory: ImageInventory;
  walk: ImageWalk<LayerInventory>;
  /** False when any layer could not be read (see `walk.errors`): the inventory is partial. */
  complete: boolean;
}

export async function catalogImage(
  source: ImageSource,
  desc: ImageDescription,
  opts: CatalogOptions = {},
): Promise<ImageCatalog> {
  const list = opts.analyzers ?? registered;
  const walk = await cachedImageWalk<LayerInventory>(source, desc, {
    producer: { producer: 'catalog', version: 1, options: analyzerVersions(list) },
    visitor: (layer) =>
      catalogVisitor(layer, list, {
        label: layerLabel(layer),
        ...(opts.signal ? { signal: opts.signal } : {}),
      }),
    parseResult: (v) => {
      const r = LayerInventorySchema.safeParse(v);
      return r.success ? r.data : undefined;
    },
    ...(opts.cache ? { cache: opts.cache } : {}),
    ...(opts.spillDir ? { spillDir: opts.spillDir } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onLayer ? { onLayer: opts.onLayer } : {}),
  });
  const inventories = walk.layers.flatMap((o) => (o.result ? [o.result] : []));
  const tree = walk.tree;
  const inventory = squash(
    inventories,
    { has: (p) => tree.get(p)?.type === 'file', writtenIn: (p) => tree.get(p)?.layer },
    { today: opts.today ?? new Date() },
  );
  inventory.packages = dropLockDuplicates(inventory.packages);
  return { inventory, walk, complete: walk.errors.length === 0 };
}
