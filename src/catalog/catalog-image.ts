/**
 * Catalogs an image: one concurrent walk over its layers with every registered analyzer as the
 * layer visitor, per-layer inventories kept in the layer cache (keyed by the analyzers'
 * versions, so changed analyzers never serve stale results), then `squash` against the final
 * file system. A layer that cannot be read leaves the catalog incomplete, never silently short.
 */
import type { LayerCache } from '../image/cache/layer-cache.js';
import { cachedImageWalk } from '../image/cached-walk.js';
import type { ImageDescription, ImageSource, LayerRef } from '../image/types.js';
import type { ImageWalk, LayerVisitor } from '../image/walk/image-walker.js';
import { layerLabel } from '../image/walk/image-walker.js';
import type { Analyzer } from './analyzer.js';
import { type ImageInventory, type LayerInventory, LayerInventorySchema } from './inventory.js';
import { catalogVisitor } from './layer-stage.js';
import { dropLockDuplicates } from './lock-duplicates.js';
import { analyzerVersions, analyzers as registered } from './registry.js';
import { squash } from './squash.js';

/**
 * A second consumer of the same walk (the content scanners): it sees every layer's events beside
 * the analyzers, and its per-layer result is cached with the layer's inventory under `cacheKey`.
 */
export interface CompanionScan<C> {
  cacheKey: string;
  visitor(layer: LayerRef, label: string): LayerVisitor<C>;
  /** Validates a cached result; `undefined` makes the layer a cache miss. */
  parse(value: unknown): C | undefined;
}

type LayerResult<C> = LayerInventory & { companion?: C };

export interface CatalogOptions<C = never> {
  analyzers?: readonly Analyzer[];
  cache?: LayerCache;
  spillDir?: string;
  signal?: AbortSignal;
  /** For the end-of-life flag; defaults to now. */
  today?: Date;
  onLayer?: (layer: LayerRef, status: 'walked' | 'cached') => void;
  companion?: CompanionScan<C>;
}

export interface ImageCatalog<C = never> {
  inventory: ImageInventory;
  walk: ImageWalk<LayerResult<C>>;
  /** The companion's result per layer, in layer order (undefined for a layer that failed). */
  companion: Array<C | undefined>;
  /** False when any layer could not be read (see `walk.errors`): the inventory is partial. */
  complete: boolean;
}

export async function catalogImage<C = never>(
  source: ImageSource,
  desc: ImageDescription,
  opts: CatalogOptions<C> = {},
): Promise<ImageCatalog<C>> {
  const list = opts.analyzers ?? registered;
  const { companion } = opts;
  const options: Record<string, string | number> = analyzerVersions(list);
  if (companion) options.companion = companion.cacheKey;
  const walk = await cachedImageWalk<LayerResult<C>>(source, desc, {
    producer: { producer: 'catalog', version: 1, options },
    visitor: (layer) => {
      const label = layerLabel(layer);
      const catalog = catalogVisitor(layer, list, { label, ...(opts.signal ? { signal: opts.signal } : {}) });
      return companion ? withCompanion(catalog, companion.visitor(layer, label)) : catalog;
    },
    parseResult: (v) => {
      const r = LayerInventorySchema.safeParse(v);
      if (!r.success) return undefined;
      if (!companion) return r.data;
      const c = companion.parse((v as { companion?: unknown }).companion);
      return c === undefined ? undefined : { ...r.data, companion: c };
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
  const companions = walk.layers.map((o) => o.result?.companion);
  return { inventory, walk, companion: companions, complete: walk.errors.length === 0 };
}

/** One visitor out of two: files wanted by either, each event to both, both results kept. */
function withCompanion<C>(
  catalog: LayerVisitor<LayerInventory>,
  other: LayerVisitor<C>,
): LayerVisitor<LayerResult<C>> {
  return {
    wants: (path, size, entry) => catalog.wants(path, size, entry) || other.wants(path, size, entry),
    ...(other.digests ? { digests: other.digests.bind(other) } : {}),
    async onEvent(event) {
      await catalog.onEvent?.(event);
      await other.onEvent?.(event);
    },
    async finish() {
      return { ...(await catalog.finish()), companion: await other.finish() };
    },
  };
}
