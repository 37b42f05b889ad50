/**
 * Manifests, indexes and image configs (OCI image-spec v1.1 and Docker schema 2), validated
 * with zod at the boundary, and the one function that turns a manifest + config into an
 * `ImageDescription`, shared by every source.
 */
import { z } from 'zod';
import { AssayError } from '../model/errors.js';
import { isDigest } from './digest.js';
import type {
  HistoryEntry,
  ImageDescription,
  ImageRuntimeConfig,
  LayerRef,
  Platform,
  SourceKind,
} from './types.js';

export const MEDIA_TYPES = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
} as const;

/** The Accept header a client sends to get any manifest kind we understand. */
export const MANIFEST_ACCEPT = [
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.dockerList,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.dockerManifest,
].join(', ');

const digest = z.string().refine(isDigest, 'not a valid digest');
const platform = z.object({ os: z.string(), architecture: z.string(), variant: z.string().optional() });
const descriptor = z.object({
  mediaType: z.string(),
  digest,
  size: z.number().int().nonnegative(),
  platform: platform.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  urls: z.array(z.string()).optional(),
});
export type Descriptor = z.infer<typeof descriptor>;

const imageManifest = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  config: descriptor,
  layers: z.array(descriptor),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type ImageManifest = z.infer<typeof imageManifest>;

const imageIndex = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  manifests: z.array(descriptor),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type ImageIndex = z.infer<typeof imageIndex>;

const history = z.object({
  created: z.string().optional(),
  created_by: z.string().optional(),
  comment: z.string().optional(),
  author: z.string().optional(),
  empty_layer: z.boolean().optional(),
});

const imageConfig = z.object({
  created: z.string().optional(),
  author: z.string().optional(),
  architecture: z.string(),
  os: z.string(),
  variant: z.string().optional(),
  config: z.record(z.string(), z.unknown()).nullable().optional(),
  rootfs: z.object({ type: z.string(), diff_ids: z.array(digest) }),
  history: z.array(history).optional(),
});
export type ImageConfig = z.infer<typeof imageConfig>;

export type ParsedManifest =
  | { kind: 'index'; index: ImageIndex }
  | { kind: 'image'; manifest: ImageManifest };

function parseJson(data: Buffer, what: string): unknown {
  try {
    return JSON.parse(data.toString('utf8'));
  } catch (err) {
    throw new AssayError('not-an-image', `${what} is not valid JSON`, { cause: err });
  }
}

function fail(what: string, error: z.ZodError): never {
  const first = error.issues[0];
  const at = first?.path.length ? ` at ${first.path.join('.')}` : '';
  throw new AssayError('not-an-image', `${what} is malformed${at}: ${first?.message ?? 'invalid'}`);
}

/**
 * Parses a manifest or index. The media type comes from the HTTP Content-Type or the referring
 * descriptor when known, else from the document itself (OCI allows it to be absent).
 */
export function parseManifest(data: Buffer, mediaTypeHint: string | undefined, what: string): ParsedManifest {
  const json = parseJson(data, what);
  const declared =
    typeof json === 'object' && json !== null && 'mediaType' in json ? String(json.mediaType) : undefined;
  const mediaType = declared ?? mediaTypeHint;
  if (
    mediaType === MEDIA_TYPES.dockerSchema1 ||
    mediaType === MEDIA_TYPES.dockerSchema1Signed ||
    (typeof json === 'object' && json !== null && 'schemaVersion' in json && json.schemaVersion === 1)
  ) {
    throw new AssayError(
      'unsupported-media-type',
      `${what} is a Docker schema 1 manifest, deprecated since 2017 and not supported; re-push the image with a current client`,
    );
  }
  const isIndex =
    mediaType === MEDIA_TYPES.ociIndex ||
    mediaType === MEDIA_TYPES.dockerList ||
    (!mediaType && typeof json === 'object' && json !== null && 'manifests' in json);
  if (isIndex) {
    const r = imageIndex.safeParse(json);
    if (!r.success) fail(what, r.error);
    return { kind: 'index', index: r.data };
  }
  if (mediaType && mediaType !== MEDIA_TYPES.ociManifest && mediaType !== MEDIA_TYPES.dockerManifest) {
    throw new AssayError(
      'not-an-image',
      `${what} has media type ${mediaType}, which is not an image manifest (an artifact, helm chart or signature?)`,
    );
  }
  const r = imageManifest.safeParse(json);
  if (!r.success) fail(what, r.error);
  return { kind: 'image', manifest: r.data };
}

export function parseImageConfig(data: Buffer, what: string): ImageConfig {
  const r = imageConfig.safeParse(parseJson(data, what));
  if (!r.success) fail(what, r.error);
  return r.data;
}

/** Maps history entries to layers: the n-th non-empty entry describes the n-th layer. */
export function mapHistory(config: ImageConfig, layerCount: number): HistoryEntry[] {
  let next = 0;
  return (config.history ?? []).map((h) => {
    const emptyLayer = h.empty_layer === true;
    const entry: HistoryEntry = { emptyLayer };
    if (h.created !== undefined) entry.created = h.created;
    if (h.created_by !== undefined) entry.createdBy = h.created_by;
    if (h.comment !== undefined) entry.comment = h.comment;
    if (h.author !== undefined) entry.author = h.author;
    if (!emptyLayer && next < layerCount) entry.layerIndex = next++;
    return entry;
  });
}

export interface DescribeInput {
  input: string;
  source: SourceKind;
  registry: string;
  repository: string;
  tag?: string | undefined;
  repoDigest?: string | undefined;
  manifestDigest?: string | undefined;
  configDigest: string;
  config: ImageConfig;
  /** Blob descriptors in layer order; for archives without compressed blobs, digest = diffId. */
  layerBlobs: { digest: string; size: number; mediaType: string }[];
}

export function describeImage(d: DescribeInput): ImageDescription {
  const diffIds = d.config.rootfs.diff_ids;
  if (diffIds.length !== d.layerBlobs.length) {
    throw new AssayError(
      'not-an-image',
      `${d.input}: the manifest lists ${d.layerBlobs.length} layers but the config has ${diffIds.length} diff_ids`,
    );
  }
  const historyEntries = mapHistory(d.config, diffIds.length);
  const layers: LayerRef[] = d.layerBlobs.map((b, index) => {
    const h = historyEntries.find((e) => e.layerIndex === index);
    const layer: LayerRef = {
      index,
      digest: b.digest,
      diffId: diffIds[index]!,
      size: b.size,
      mediaType: b.mediaType,
    };
    if (h?.createdBy !== undefined) layer.createdBy = h.createdBy;
    if (h?.created !== undefined) layer.created = h.created;
    if (h?.comment !== undefined) layer.comment = h.comment;
    return layer;
  });
  const runtime = (d.config.config ?? {}) as ImageRuntimeConfig;
  const platform: Platform = {
    os: d.config.os,
    architecture: d.config.architecture,
    ...(d.config.variant ? { variant: d.config.variant } : {}),
  };
  const desc: ImageDescription = {
    input: d.input,
    source: d.source,
    registry: d.registry,
    repository: d.repository,
    imageId: d.configDigest,
    platform,
    labels: { ...(runtime.Labels ?? {}) },
    config: runtime,
    history: historyEntries,
    layers,
    size: layers.some((l) => l.size < 0) ? -1 : layers.reduce((n, l) => n + l.size, 0),
  };
  if (d.tag !== undefined) desc.tag = d.tag;
  if (d.repoDigest !== undefined) desc.repoDigest = d.repoDigest;
  if (d.manifestDigest !== undefined) desc.manifestDigest = d.manifestDigest;
  if (d.config.created !== undefined) desc.created = d.config.created;
  if (d.config.author !== undefined) desc.author = d.config.author;
  return desc;
}
