/**
 * Reads an OCI image layout (image-spec image-layout.md: `oci-layout`, `index.json`,
 * `blobs/<alg>/<hex>`) from any ContentStore: picks the entry of index.json by its
 * `org.opencontainers.image.ref.name` annotation, descends nested indexes by platform, and
 * verifies every blob it reads against its descriptor's digest and size.
 * https://github.com/opencontainers/image-spec/blob/main/image-layout.md
 */
import { AssayError } from '../../model/errors.js';
import {
  type Descriptor,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
  MEDIA_TYPES,
  parseImageConfig,
  parseManifest,
} from '../manifest.js';
import { formatPlatform, hostPlatform, platformMatches, selectPlatform } from '../platform.js';
import type { Platform } from '../types.js';
import { blobPath, type ContentStore, readBlob } from './content-store.js';
import { sameImageName } from './identity.js';

export const REF_NAME = 'org.opencontainers.image.ref.name';
/** containerd (and Docker ≥ 25 `docker save`) put the full image name here. */
export const CONTAINERD_NAME = 'io.containerd.image.name';
const MAX_MANIFEST_BYTES = 4 << 20;
const MAX_CONFIG_BYTES = 16 << 20;
const MAX_INDEX_DEPTH = 4;
const CONFIG_TYPES = new Set([
  'application/vnd.oci.image.config.v1+json',
  'application/vnd.docker.container.image.v1+json',
]);
const INDEX_TYPES = new Set<string>([MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerList]);
const IMAGE_TYPES = new Set<string>([MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest]);

export interface LayoutSelection {
  /** A ref name (`1.0`), or a full name matched against containerd's annotation. */
  tag?: string | undefined;
  /** An explicit platform; when absent, indexes are resolved for the host's. */
  platform?: Platform | undefined;
}

export interface LayoutImage {
  manifestDigest: string;
  manifest: ImageManifest;
  configDigest: string;
  config: ImageConfig;
  /** Annotations of the index.json entry that led to the image. */
  annotations: Record<string, string>;
}

export async function readLayoutIndex(store: ContentStore, what: string): Promise<ImageIndex> {
  if ((await store.size('oci-layout')) === undefined) {
    throw new AssayError(
      'not-an-image',
      `${what}: ${store.location} is not an OCI image layout (no oci-layout file)`,
    );
  }
  if ((await store.size('index.json')) === undefined) {
    throw new AssayError('not-an-image', `${what}: ${store.location} has no index.json`);
  }
  const parsed = parseManifest(
    await store.read('index.json', MAX_MANIFEST_BYTES),
    MEDIA_TYPES.ociIndex,
    `${what}: index.json`,
  );
  if (parsed.kind !== 'index')
    throw new AssayError('not-an-image', `${what}: index.json is an image manifest, not an image index`);
  return parsed.index;
}

function names(d: Descriptor): string[] {
  const a = d.annotations ?? {};
  return [a[REF_NAME], a[CONTAINERD_NAME]].filter((n): n is string => n !== undefined && n !== '');
}

export function availableNames(index: ImageIndex): string[] {
  return [...new Set(index.manifests.map((d) => d.annotations?.[REF_NAME]).filter((n): n is string => !!n))];
}

/** The index.json entries the selection asks for (one tag may cover several platforms). */
function selectEntries(index: ImageIndex, tag: string | undefined, what: string): Descriptor[] {
  const available = availableNames(index);
  const list = available.length ? available.join(', ') : 'none (no ref.name annotations)';
  if (tag !== undefined) {
    const hits = index.manifests.filter(
      (d) => names(d).includes(tag) || names(d).some((n) => sameImageName(n, tag)),
    );
    if (hits.length === 0)
      throw new AssayError(
        'not-found',
        `${what}: no image named ${JSON.stringify(tag)} in index.json; available: ${list}`,
      );
    return hits;
  }
  if (available.length > 1) {
    throw new AssayError(
      'usage',
      `${what} holds several images; choose one by appending :NAME (available: ${list})`,
    );
  }
  if (index.manifests.length === 0)
    throw new AssayError('not-an-image', `${what}: index.json lists no manifests`);
  return index.manifests;
}

function pick(candidates: Descriptor[], sel: LayoutSelection, what: string): Descriptor {
  const usable = candidates.filter((d) => INDEX_TYPES.has(d.mediaType) || IMAGE_TYPES.has(d.mediaType));
  if (usable.length === 0) {
    throw new AssayError(
      'not-an-image',
      `${what}: no image manifest among ${candidates.map((d) => d.mediaType).join(', ')}`,
    );
  }
  if (usable.length === 1) return usable[0]!;
  if (!usable.some((d) => d.platform)) {
    throw new AssayError(
      'usage',
      `${what}: ${usable.length} manifests without names or platforms; cannot choose one`,
    );
  }
  return selectPlatform(usable, sel.platform ?? hostPlatform(), what);
}

/** Follows index.json (and nested indexes) to one image manifest and its verified config. */
export async function resolveLayoutImage(
  store: ContentStore,
  sel: LayoutSelection,
  what: string,
): Promise<LayoutImage> {
  const index = await readLayoutIndex(store, what);
  const entry = pick(selectEntries(index, sel.tag, what), sel, what);
  let d: Descriptor = entry;
  for (let depth = 0; depth < MAX_INDEX_DEPTH; depth++) {
    const parsed = parseManifest(
      await readBlob(store, d, MAX_MANIFEST_BYTES, what),
      d.mediaType,
      `${what}: manifest ${d.digest}`,
    );
    if (parsed.kind === 'index') {
      d = pick(parsed.index.manifests, sel, `${what} (index ${d.digest})`);
      continue;
    }
    const { manifest } = parsed;
    if (!CONFIG_TYPES.has(manifest.config.mediaType)) {
      throw new AssayError(
        'not-an-image',
        `${what}: manifest ${d.digest} is an artifact (config media type ${manifest.config.mediaType}), not an image`,
      );
    }
    const config = parseImageConfig(
      await readBlob(store, manifest.config, MAX_CONFIG_BYTES, what),
      `${what}: config ${manifest.config.digest}`,
    );
    checkPlatform(config, sel, what);
    return {
      manifestDigest: d.digest,
      manifest,
      configDigest: manifest.config.digest,
      config,
      annotations: entry.annotations ?? {},
    };
  }
  throw new AssayError('not-an-image', `${what}: image indexes nested more than ${MAX_INDEX_DEPTH} deep`);
}

function checkPlatform(config: ImageConfig, sel: LayoutSelection, what: string): void {
  if (!sel.platform) return;
  const actual: Platform = {
    os: config.os,
    architecture: config.architecture,
    ...(config.variant ? { variant: config.variant } : {}),
  };
  if (!platformMatches(sel.platform, actual)) {
    throw new AssayError(
      'platform-not-found',
      `${what} is ${formatPlatform(actual)}, not the requested ${formatPlatform(sel.platform)}`,
    );
  }
}

/**
 * Finds the manifest whose config is `configDigest` by walking index.json; Docker ≥ 25 writes
 * both its legacy manifest.json and an OCI layout, and only the latter knows media types and
 * the manifest digest. Returns undefined when the archive has no usable layout.
 */
export async function findManifestForConfig(
  store: ContentStore,
  configDigest: string,
  what: string,
): Promise<{ digest: string; manifest: ImageManifest } | undefined> {
  if ((await store.size('index.json')) === undefined) return undefined;
  const queue: Descriptor[] = [...(await readLayoutIndex(store, what)).manifests];
  for (let seen = 0; queue.length > 0 && seen < 64; seen++) {
    const d = queue.shift()!;
    if (!INDEX_TYPES.has(d.mediaType) && !IMAGE_TYPES.has(d.mediaType)) continue;
    if ((await store.size(blobPath(d.digest))) === undefined) continue;
    const parsed = parseManifest(
      await readBlob(store, d, MAX_MANIFEST_BYTES, what),
      d.mediaType,
      `${what}: manifest ${d.digest}`,
    );
    if (parsed.kind === 'index') queue.push(...parsed.index.manifests);
    else if (parsed.manifest.config.digest === configDigest)
      return { digest: d.digest, manifest: parsed.manifest };
  }
  return undefined;
}
