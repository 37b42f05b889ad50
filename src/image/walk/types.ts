import type { Readable } from 'node:stream';

/** What a tar entry is, reduced to what a scanner cares about (devices, fifos, sockets → `other`). */
export type EntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

export interface TarEntry {
  /** Cleaned path relative to the image root: no leading `/` or `./`, never a `..` segment. */
  path: string;
  type: EntryType;
  /** Bytes of content for files; 0 for every other type. */
  size: number;
  /** Permission bits (`0o7777` at most). */
  mode: number;
  uid: number;
  gid: number;
  /** Modification time in seconds since the epoch, when the header had one. */
  mtime?: number;
  /**
   * Symlink target exactly as stored (it is data, never cleaned), or hardlink target as a
   * cleaned root-relative path.
   */
  linkname?: string;
}

/**
 * A wanted file's bytes. Valid only until the layer iterator advances: the walker frees the
 * buffer or deletes the spill file then, so read or stream it before asking for the next event.
 */
export interface FileContent {
  size: number;
  read(): Promise<Buffer>;
  stream(): Readable;
}

export type LayerEvent =
  /**
   * `content` is set only when `wants(path, size, entry)` returned true for a regular file;
   * `sha256` (lower-case hex of the body) only when `digests(path, size, entry)` did.
   */
  | { kind: 'entry'; entry: TarEntry; content?: FileContent; sha256?: string }
  /** From a basename `.wh.NAME`: hides `path` as written by lower layers. */
  | { kind: 'whiteout'; path: string }
  /** From exactly `.wh..wh..opq`: hides every lower-layer child of `dir` (`''` = root). */
  | { kind: 'opaque'; dir: string }
  /** Something non-fatal the walker skipped or normalised; nothing is dropped silently. */
  | { kind: 'issue'; code: WalkIssueCode; message: string; path?: string };

export type WalkIssueCode =
  | 'unsafe-path'
  | 'path-normalised'
  | 'path-too-long'
  | 'nul-in-name'
  | 'invalid-whiteout'
  | 'aufs-metadata'
  | 'bad-extended-header'
  | 'file-too-large'
  | 'unsupported-entry'
  | 'missing-end-of-archive'
  | 'layer-cache';

export interface WalkLimits {
  /** Total uncompressed tar bytes of one layer. */
  maxLayerBytes: number;
  /** Largest content handed to a consumer for one wanted file (bigger ones get an issue, no content). */
  maxFileBytes: number;
  /** Tar headers in one layer, extension headers included. */
  maxEntries: number;
  /** Longest entry path or link target, in UTF-8 bytes. */
  maxPathBytes: number;
  /** Uncompressed ÷ compressed size; checked only when the compressed size is known. */
  maxCompressionRatio?: number;
}

export interface WalkOptions {
  /** Cheap and pure: decides which regular files get their content read. */
  wants(path: string, size: number, entry: TarEntry): boolean;
  /**
   * Cheap and pure: which regular files get a SHA-256 of their body, computed as the bytes pass
   * (wanted or not), so a hash deny-list costs no second read and no holding of the bytes.
   */
  digests?(path: string, size: number, entry: TarEntry): boolean;
  limits?: Partial<WalkLimits>;
  /** Directory for wanted files bigger than `spillThreshold`; each spill file is deleted after use. */
  spillDir?: string;
  /** Wanted files up to this size stay in memory (default 4 MiB). */
  spillThreshold?: number;
  signal?: AbortSignal;
  /** Names the layer in every error and issue, e.g. `layer 3 (sha256:abcd…)`. */
  layerLabel?: string;
}
