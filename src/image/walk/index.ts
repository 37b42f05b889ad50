/** The layer walker's public surface; see README.md in this folder for the contract. */
export {
  type Compression,
  layerTarChunks,
  type OpenLayerOptions,
  openLayerTar,
  sniffCompression,
} from './decompress.js';
export { FileTree, type TreeEntry } from './file-tree.js';
export {
  type CachedLayer,
  type ImageWalk,
  type ImageWalkOptions,
  type LayerOutcome,
  type LayerSummary,
  type LayerVisitor,
  layerLabel,
  type OpenLayer,
  type TreeChange,
  type WalkIssue,
  walkImage,
} from './image-walker.js';
export { walkLayer } from './layer-walker.js';
export { DEFAULT_LIMITS, DEFAULT_SPILL_THRESHOLD } from './limits.js';
export { classifyWhiteout, cleanPath } from './paths.js';
export type {
  EntryType,
  FileContent,
  LayerEvent,
  TarEntry,
  WalkIssueCode,
  WalkLimits,
  WalkOptions,
} from './types.js';
export type { ZstdDecoder } from './zstd.js';
