/**
 * The file-tree view of an image (`assay image files`): every layer walked once, concurrently,
 * with its tree changes stored in the layer cache so a re-run, or another image with the same
 * base layers, reads nothing but the cache.
 */
import { LayerCache } from './cache/layer-cache.js';
import type { ImageDescription, ImageSource, LayerRef } from './types.js';
import { type CachedLayer, type ImageWalk, type LayerSummary, walkImage } from './walk/image-walker.js';
import type { WalkLimits } from './walk/types.js';

/** Bump when the stored summary's shape or meaning changes. */
const TREE_PRODUCER = { producer: 'tree-changes', version: 1 } as const;

export interface ReadTreeOptions {
  cache?: LayerCache;
  spillDir?: string;
  limits?: Partial<WalkLimits>;
  concurrency?: number;
  signal?: AbortSignal;
  /** Called as each layer is done (walked, cached or failed), for progress display. */
  onLayer?: (layer: LayerRef, status: 'walked' | 'cached' | 'failed') => void;
  /** Receives each successfully read layer's own changes (from the walk or the cache). */
  onSummary?: (layer: LayerRef, summary: LayerSummary) => void;
}

export async function readImageTree(
  source: ImageSource,
  desc: ImageDescription,
  opts: ReadTreeOptions = {},
): Promise<ImageWalk<null>> {
  const cache = opts.cache;
  const keyOf = (layer: LayerRef) => LayerCache.keyOf({ layerDigest: layer.digest, ...TREE_PRODUCER });
  return walkImage<null>(desc.layers, (layer, signal) => source.openLayer(layer, signal), {
    visitor: () => ({ wants: () => false, finish: () => null }),
    cached: async (layer) => {
      const hit = cache ? toCached(await cache.get(keyOf(layer))) : undefined;
      if (hit) {
        opts.onLayer?.(layer, 'cached');
        opts.onSummary?.(layer, hit.summary);
      }
      return hit;
    },
    onWalked: async (layer, walked) => {
      opts.onLayer?.(layer, 'walked');
      opts.onSummary?.(layer, walked.summary);
      await cache?.put(keyOf(layer), walked.summary);
    },
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.spillDir ? { spillDir: opts.spillDir } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}

/** A cache entry is trusted only when it has the summary's shape; anything else is a miss. */
function toCached(value: unknown): CachedLayer<null> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Partial<LayerSummary>;
  if (!Array.isArray(v.changes) || !Array.isArray(v.issues)) return undefined;
  return { summary: { changes: v.changes, issues: v.issues }, result: null };
}
