import type { Readable } from 'node:stream';

export type SourceKind = 'registry' | 'engine' | 'docker-archive' | 'oci-archive' | 'oci-dir' | 'rootfs';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** One layer of an image, in order (index 0 = base). */
export interface LayerRef {
  index: number;
  /** Digest of the blob as stored/transferred (compressed for registries, often the tar itself for archives). */
  digest: string;
  /** Digest of the uncompressed tar, from the config's rootfs.diff_ids. Empty for a root filesystem source. */
  diffId: string;
  /** Blob size in bytes as stored (compressed), -1 when unknown. */
  size: number;
  mediaType: string;
  /** The history entry that produced this layer (`empty_layer` entries are skipped). */
  createdBy?: string;
  created?: string;
  comment?: string;
}

export interface HistoryEntry {
  created?: string;
  createdBy?: string;
  comment?: string;
  author?: string;
  emptyLayer: boolean;
  /** Index into `layers` for non-empty entries. */
  layerIndex?: number;
}

/** The `config` object of an OCI/Docker image configuration, with the fields we use typed. */
export interface ImageRuntimeConfig {
  User?: string;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  WorkingDir?: string;
  Labels?: Record<string, string> | null;
  ExposedPorts?: Record<string, unknown> | null;
  Volumes?: Record<string, unknown> | null;
  Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; Retries?: number } | null;
  StopSignal?: string;
  [key: string]: unknown;
}

export interface ImageDescription {
  /** What the user typed, e.g. `registry:alpine:3.19` or `docker-archive:/tmp/x.tar`. */
  input: string;
  source: SourceKind;
  /** Registry host (`docker.io`, `127.0.0.1:5000`); empty when the image has no registry origin. */
  registry: string;
  /** Repository path (`library/alpine`); from the archive tag or reference when there is no registry. */
  repository: string;
  tag?: string;
  /** `registry/repository@sha256:…` when known (registries; engine RepoDigests). */
  repoDigest?: string;
  /** The platform-specific manifest digest, when the image came from a manifest. */
  manifestDigest?: string;
  /** Config digest (`docker images` IMAGE ID). Always set. */
  imageId: string;
  platform: Platform;
  created?: string;
  author?: string;
  labels: Record<string, string>;
  config: ImageRuntimeConfig;
  history: HistoryEntry[];
  layers: LayerRef[];
  /** Sum of layer blob sizes, -1 if any is unknown. */
  size: number;
}

/**
 * Where an image comes from. `describe` resolves manifests and the config; `openLayer` streams
 * one layer's blob exactly as stored (maybe compressed), and fails the stream with a
 * `digest-mismatch` error at its end when the bytes do not hash to `layer.digest`.
 */
export interface ImageSource {
  readonly kind: SourceKind;
  describe(signal?: AbortSignal): Promise<ImageDescription>;
  openLayer(layer: LayerRef, signal?: AbortSignal): Promise<Readable>;
  close(): Promise<void>;
}
