/**
 * One image walk with the layer cache in front of it: each layer's tree changes and the
 * consumer's per-layer result are stored together under (verified blob digest, producer,
 * version, options), so a re-run, or another image sharing base layers, opens no blob at all.
 * Used by `image files` (no per-layer result) and by the catalog (per-layer inventories).
 */
import { mkdir } from 'node:fs/promises';
import { LayerCache } from './cache/layer-cache.js';
import type { ImageDescription, ImageSource, LayerRef } from './types.js';
import {
  type CachedLayer,
  type ImageWalk,
  type LayerSummary,
  type LayerVisitor,
  walkImage,
} from './walk/image-walker.js';
import type { WalkLimits } from './walk/types.js';

export interface CacheProducer {
  producer: string;
  /** Bump when the stored summary or result changes shape or meaning. */
  version: number;
  options?: Record<string, string | number | boolean>;
}

export interface CachedWalkOptions<R> {
  producer: CacheProducer;
  visitor(layer: LayerRef): LayerVisitor<R>;
  /** Validates a cached result; `undefined` makes the entry a miss. */
  parseResult(value: unknown): R | undefined;
  cache?: LayerCache;
  spillDir?: string;
  limits?: Partial<WalkLimits>;
  concurrency?: number;
  signal?: AbortSignal;
  /** Called as each layer is read (walked or from the cache), for progress display. */
  onLayer?: (layer: LayerRef, status: 'walked' | 'cached') => void;
  /** Receives each successfully read layer's own changes. */
  onSummary?: (layer: LayerRef, summary: LayerSummary) => void;
}

export async function cachedImageWalk<R>(
  source: ImageSource,
  desc: ImageDescription,
  opts: CachedWalkOptions<R>,
): Promise<ImageWalk<R>> {
  const { cache } = opts;
  // Wanted files above the in-memory threshold spill here; it must exist before the first one.
  if (opts.spillDir) await mkdir(opts.spillDir, { recursive: true });
  const keyOf = (layer: LayerRef) => LayerCache.keyOf({ layerDigest: layer.digest, ...opts.producer });
  return walkImage<R>(desc.layers, (layer, signal) => source.openLayer(layer, signal), {
    visitor: opts.visitor,
    cached: async (layer) => {
      const hit = cache ? toCached(await cache.get(keyOf(layer)), opts.parseResult) : undefined;
      if (hit) {
        opts.onLayer?.(layer, 'cached');
        opts.onSummary?.(layer, hit.summary);
      }
      return hit;
    },
    onWalked: async (layer, walked) => {
      opts.onLayer?.(layer, 'walked');
      opts.onSummary?.(layer, walked.summary);
      await cache?.put(keyOf(layer), walked);
    },
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.spillDir ? { spillDir: opts.spillDir } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}

/** A cache entry is trusted only when it has the stored shape; anything else is a miss. */
function toCached<R>(value: unknown, parseResult: (v: unknown) => R | undefined): CachedLayer<R> | undefined {
  if (typeof value !== 'object' || value === null || !('summary' in value) || !('result' in value))
    return undefined;
  const summary = value.summary;
  if (typeof summary !== 'object' || summary === null) return undefined;
  const s = summary as Partial<LayerSummary>;
  if (!Array.isArray(s.changes) || !Array.isArray(s.issues)) return undefined;
  const result = parseResult(value.result);
  return result === undefined ? undefined : { summary: { changes: s.changes, issues: s.issues }, result };
}
