/**
 * The content scanners of one image, end to end: the companion that rides the catalog's walk
 * (`layer-scan.ts`), then placing its hits (`findings.ts`) and the checks that need the final
 * file system and the config (`config/`). `scan/read-input.ts` calls these two functions only.
 */
import type { CompanionScan } from '../catalog/catalog-image.js';
import type { ImageDescription } from '../image/types.js';
import type { FileTree } from '../image/walk/file-tree.js';
import type { Package } from '../model/package.js';
import type { ResultLayer, ScannerKind } from '../model/result.js';
import { checkImageConfig, fileSystemThreats } from './config/checks.js';
import { type PlacedContent, placeContent } from './findings.js';
import {
  type ContentScanOptions,
  contentCacheKey,
  contentVisitor,
  type LayerContent,
  LayerContentSchema,
  textPoolFor,
} from './layer-scan.js';
import type { SecretConfig } from './secrets/config.js';
import type { TextScanPool } from './text-pool.js';
import type { DenyList, ThreatEngine } from './types.js';

export interface ContentRequest {
  scanners: ReadonlySet<ScannerKind>;
  secrets: SecretConfig;
  denyList: DenyList;
  engines: readonly ThreatEngine[];
  maxTextBytes?: number;
}

/** True when some requested scanner reads file contents (and so joins the walk). */
export function readsFiles(request: ContentRequest): boolean {
  return request.scanners.has('secret') || request.scanners.has('threat');
}

interface Prepared {
  opts: ContentScanOptions;
  cacheKey: string;
  pool: TextScanPool;
}

/**
 * Per request (one per run, see scan/content-options.ts), not per image: the cache key hashes the
 * whole deny-list, which for a DB with a large imported list is worth doing once.
 */
const prepared = new WeakMap<ContentRequest, Prepared>();

function prepare(request: ContentRequest): Prepared {
  let p = prepared.get(request);
  if (!p) {
    const opts: ContentScanOptions = {
      ...(request.scanners.has('secret') ? { secrets: request.secrets } : {}),
      ...(request.scanners.has('threat')
        ? { threats: { denyList: request.denyList, engines: request.engines } }
        : {}),
      ...(request.maxTextBytes !== undefined ? { maxTextBytes: request.maxTextBytes } : {}),
    };
    p = { opts, cacheKey: contentCacheKey(opts), pool: textPoolFor(opts) };
    prepared.set(request, p);
  }
  return p;
}

export function contentCompanion(request: ContentRequest, signal?: AbortSignal): CompanionScan<LayerContent> {
  const { opts, cacheKey, pool } = prepare(request);
  return {
    cacheKey,
    visitor: (_layer, label) => contentVisitor(opts, pool, label, signal),
    parse: (value) => {
      const r = LayerContentSchema.safeParse(value);
      return r.success ? r.data : undefined;
    },
  };
}

export interface ImageForContent {
  desc: ImageDescription;
  layers: readonly ResultLayer[];
  packages: readonly Package[];
  tree: FileTree;
  perLayer: ReadonlyArray<LayerContent | undefined>;
}

export function contentOf(request: ContentRequest, image: ImageForContent): PlacedContent {
  const { scanners } = request;
  const placed = placeContent({
    layers: image.layers,
    perLayer: image.perLayer,
    tree: image.tree,
    desc: image.desc,
    ...(scanners.has('secret') ? { secrets: request.secrets } : {}),
    threats: scanners.has('threat'),
  });
  const facts = {
    config: image.desc.config,
    history: image.desc.history,
    layers: [...image.layers],
    packages: [...image.packages],
    tree: image.tree,
  };
  if (scanners.has('threat')) placed.findings.push(...fileSystemThreats(facts));
  if (scanners.has('config')) placed.findings.push(...checkImageConfig(facts));
  return placed;
}
