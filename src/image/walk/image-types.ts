/**
 * The types of `walkImage` (image-walker.ts): what a consumer implements (`LayerVisitor`, the
 * cache hooks) and what it gets back. Kept apart so the orchestration reads on its own.
 */
import type { Readable } from 'node:stream';
import type { AssayError } from '../../model/errors.js';
import type { LayerRef } from '../types.js';
import type { FileTree } from './file-tree.js';
import type { LayerEvent, TarEntry, WalkIssueCode, WalkLimits } from './types.js';
import type { ZstdDecoder } from './zstd.js';

/** What the tree needs from a layer: exactly what a layer cache stores to skip the layer later. */
export type TreeChange =
  | { kind: 'entry'; entry: TarEntry }
  | { kind: 'whiteout'; path: string }
  | { kind: 'opaque'; dir: string };

export interface WalkIssue {
  code: WalkIssueCode;
  message: string;
  path?: string;
}

export interface LayerSummary {
  /** In tar order. */
  changes: TreeChange[];
  issues: WalkIssue[];
}

/** A consumer's view of one layer (an analyzer stage, a secret scanner…). */
export interface LayerVisitor<R> {
  /** Cheap and pure: which regular files of this layer need their content. */
  wants(path: string, size: number, entry: TarEntry): boolean;
  /** Cheap and pure: which regular files get `sha256` on their entry event (see WalkOptions.digests). */
  digests?(path: string, size: number, entry: TarEntry): boolean;
  /** Every event in tar order; a file's `content` is readable until the returned promise settles. */
  onEvent?(event: LayerEvent): undefined | Promise<void>;
  /** After the layer's last event; the value becomes the layer's `result`. */
  finish(): R | Promise<R>;
}

export interface CachedLayer<R> {
  summary: LayerSummary;
  result: R;
}

export interface ImageWalkOptions<R> {
  visitor(layer: LayerRef): LayerVisitor<R>;
  /**
   * Layer-cache lookup: a stored summary and result let the layer be skipped without opening it.
   * A throwing lookup (or `onWalked`) becomes a `layer-cache` issue, never a failed layer.
   */
  cached?(layer: LayerRef): Promise<CachedLayer<R> | undefined>;
  /** After a layer was walked to its end, e.g. to store it in the layer cache. */
  onWalked?(layer: LayerRef, walked: CachedLayer<R>): undefined | Promise<void>;
  /** Layers read at once (default: the number of CPUs, at least 4). */
  concurrency?: number;
  /** Stop every other layer at the first failure (default: keep going and report each failure). */
  failFast?: boolean;
  /** Hash each uncompressed tar and check it against `layer.diffId` (costs about 0.75 s per GiB). */
  verifyDiffIds?: boolean;
  limits?: Partial<WalkLimits>;
  spillDir?: string;
  spillThreshold?: number;
  signal?: AbortSignal;
  zstdDecoder?: ZstdDecoder;
}

export interface LayerOutcome<R> {
  layer: LayerRef;
  status: 'walked' | 'cached' | 'failed';
  result?: R;
  error?: AssayError;
  issues: WalkIssue[];
}

export interface ImageWalk<R> {
  /** The final file system of the layers that could be read. */
  tree: FileTree;
  /** One per layer, in layer order. */
  layers: LayerOutcome<R>[];
  /** The failed layers, in order; empty when the image was read completely. */
  errors: Array<{ layer: LayerRef; error: AssayError }>;
}

export type OpenLayer = (layer: LayerRef, signal: AbortSignal) => Promise<Readable>;
