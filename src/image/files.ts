/**
 * The file-tree view of an image (`assay image files`): every layer walked once, concurrently,
 * wanting no file contents, with the layer cache in front (see cached-walk.ts).
 */
import { type CachedWalkOptions, cachedImageWalk } from './cached-walk.js';
import type { ImageDescription, ImageSource } from './types.js';
import type { ImageWalk } from './walk/image-walker.js';

export type ReadTreeOptions = Omit<CachedWalkOptions<null>, 'producer' | 'visitor' | 'parseResult'>;

export function readImageTree(
  source: ImageSource,
  desc: ImageDescription,
  opts: ReadTreeOptions = {},
): Promise<ImageWalk<null>> {
  return cachedImageWalk<null>(source, desc, {
    ...opts,
    // v2: entries store {summary, result} (v1 stored the bare summary).
    producer: { producer: 'tree-changes', version: 2 },
    visitor: () => ({ wants: () => false, finish: () => null }),
    parseResult: (v) => (v === null ? null : undefined),
  });
}
