/**
 * `docker-archive:PATH[:REPO:TAG | :@N]` — a `docker save` / `podman save` / `skopeo copy …
 * docker-archive:` tarball, read in place through a header index. Selection follows skopeo's
 * containers-transports(5): a RepoTag, or `@N` (zero-based position in manifest.json, for
 * untagged images); with neither, the archive must hold exactly one image, else the error lists
 * the choices. A tar with an OCI layout but no manifest.json is read as an OCI archive.
 */
import { createHash } from 'node:crypto';
import { AssayError } from '../../model/errors.js';
import { blobPath, openVerifiedBlob } from '../archive/content-store.js';
import {
  configDigestFromName,
  type DockerManifestEntry,
  type DockerSelector,
  digestFromBlobName,
  readDockerManifest,
  selectDockerEntry,
} from '../archive/docker-manifest.js';
import { type ImageNaming, NO_NAME, namingFromReference } from '../archive/identity.js';
import { findManifestForConfig } from '../archive/oci-layout-reader.js';
import { splitPathRef } from '../archive/source-path.js';
import { TarIndex } from '../archive/tar-index.js';
import { checkDigest, sha256Digest } from '../digest.js';
import { describeImage, type ImageConfig, parseImageConfig } from '../manifest.js';
import { formatPlatform, platformMatches } from '../platform.js';
import type { ImageSource, Platform, SourceKind } from '../types.js';
import { archiveBaseName } from './oci-archive.js';
import { findLayer, openLayoutStore } from './oci-layout.js';

export interface DockerArchiveOptions {
  /** A RepoTag or `@N`; when given, the whole `spec` is the path and is not split at `:`. */
  ref?: string;
  /** When given, the image's config must be for this platform. */
  platform?: Platform;
}

export async function openDockerArchive(
  input: string,
  spec: string,
  opts: DockerArchiveOptions = {},
): Promise<ImageSource> {
  const { path, ref } = opts.ref !== undefined ? { path: spec, ref: opts.ref } : await splitPathRef(spec);
  return openDockerArchiveFile(input, path, { ref, platform: opts.platform });
}

export interface DockerArchiveFileOptions extends DockerSelector {
  platform?: Platform | undefined;
  /** Reported source kind (the engine source reads its spooled export through here). */
  kind?: SourceKind;
  /** Replaces the naming taken from RepoTags (the engine knows better). */
  naming?: ImageNaming & { repoDigest?: string | undefined };
  onClose?: () => Promise<void>;
}

const MAX_CONFIG = 16 << 20;
const MT_TAR = 'application/vnd.oci.image.layer.v1.tar';
const MT_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
const MT_ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd';

interface LayerBlob {
  member: string;
  digest: string;
  size: number;
  mediaType: string;
}

export async function openDockerArchiveFile(
  input: string,
  path: string,
  o: DockerArchiveFileOptions = {},
): Promise<ImageSource> {
  const kind = o.kind ?? 'docker-archive';
  const index = await TarIndex.open(path);
  if (!index.has('manifest.json') && index.has('index.json')) {
    const selection = { tag: o.ref, platform: o.platform };
    const init = { input, kind, selection, fallbackRepository: archiveBaseName(path) };
    return openLayoutStore(index, o.onClose ? { ...init, onClose: o.onClose } : init);
  }
  const { entry, tag } = selectDockerEntry(await readDockerManifest(index, input), o, input);
  const { config, configDigest } = await readConfig(index, entry, input);
  checkPlatform(config, o.platform, input);
  const { blobs, manifestDigest } = await layerBlobs(index, entry, config, configDigest, input);
  const naming = o.naming ?? namingFromReference(tag ?? '') ?? NO_NAME;
  const description = describeImage({
    ...{ input, source: kind, ...naming, manifestDigest, configDigest, config },
    layerBlobs: blobs,
  });
  return {
    kind,
    describe: async () => description,
    openLayer: async (layer, signal) => {
      const { index: i } = findLayer(description, layer, input);
      const b = blobs[i]!;
      return openVerifiedBlob(index, b.member, b.digest, b.size, `${input}: layer ${i}`, signal);
    },
    close: o.onClose ?? (async () => {}),
  };
}

/**
 * The config is content-addressed by its file name (`<hex>.json` or `blobs/sha256/<hex>`); a
 * mismatch means a tampered archive. A name claiming nothing gets the digest of its bytes.
 */
async function readConfig(
  index: TarIndex,
  entry: DockerManifestEntry,
  what: string,
): Promise<{ config: ImageConfig; configDigest: string }> {
  const data = await index.read(entry.Config, MAX_CONFIG);
  const claimed = configDigestFromName(entry.Config);
  if (claimed) checkDigest(data, claimed, `${what}: config ${entry.Config}`);
  const config = parseImageConfig(data, `${what}: config ${entry.Config}`);
  if (config.rootfs.diff_ids.length !== entry.Layers.length) {
    throw new AssayError(
      'not-an-image',
      `${what}: manifest.json lists ${entry.Layers.length} layers but the config has ${config.rootfs.diff_ids.length} diff_ids`,
    );
  }
  return { config, configDigest: claimed ?? sha256Digest(data) };
}

/**
 * Docker ≥ 25 archives carry an OCI manifest for the config: it gives blob digests, media
 * types and the manifest digest. Older ones only have members, described by legacyLayers.
 */
async function layerBlobs(
  index: TarIndex,
  entry: DockerManifestEntry,
  config: ImageConfig,
  configDigest: string,
  what: string,
): Promise<{ blobs: LayerBlob[]; manifestDigest?: string }> {
  const oci = await findManifestForConfig(index, configDigest, what);
  if (!oci) return { blobs: await legacyLayers(index, entry, config, what) };
  const blobs = oci.manifest.layers.map((l) => ({
    member: blobPath(l.digest),
    digest: l.digest,
    size: l.size,
    mediaType: l.mediaType,
  }));
  return { blobs, manifestDigest: oci.digest };
}

function checkPlatform(config: ImageConfig, wanted: Platform | undefined, what: string): void {
  if (!wanted) return;
  const actual = {
    os: config.os,
    architecture: config.architecture,
    ...(config.variant ? { variant: config.variant } : {}),
  };
  if (!platformMatches(wanted, actual)) {
    throw new AssayError(
      'platform-not-found',
      `${what} holds a ${formatPlatform(actual)} image, not the requested ${formatPlatform(wanted)}`,
    );
  }
}

/**
 * Legacy layers are members with no descriptor. An uncompressed member IS the diff, so its
 * digest is the config's diff_id and streaming verifies it. A compressed member (some tools
 * gzip them) is hashed here once so openLayer can still verify what it streams; checking the
 * diff_id after decompression is the layer walker's job, signalled by the +gzip/+zstd type.
 */
async function legacyLayers(
  index: TarIndex,
  entry: DockerManifestEntry,
  config: ImageConfig,
  what: string,
): Promise<LayerBlob[]> {
  const out: LayerBlob[] = [];
  for (const [i, member] of entry.Layers.entries()) {
    const m = index.resolve(member);
    const magic = await index.readRange(member, 0, 4);
    const diffId = config.rootfs.diff_ids[i]!;
    const claimed = digestFromBlobName(member);
    const mediaType = sniffLayerType(magic);
    if (mediaType === MT_TAR && claimed && claimed !== diffId) {
      throw new AssayError(
        'digest-mismatch',
        `${what}: layer ${i} (${member}) is named ${claimed} but the config's diff_id is ${diffId}`,
      );
    }
    const digest = mediaType === MT_TAR ? diffId : (claimed ?? (await hashMember(index, member)));
    out.push({ member, digest, size: m.size, mediaType });
  }
  return out;
}

/** gzip (RFC 1952) starts 1f 8b; a zstd frame (RFC 8878) starts with the magic 0xFD2FB528 (LE). */
function sniffLayerType(magic: Buffer): string {
  if (magic[0] === 0x1f && magic[1] === 0x8b) return MT_GZIP;
  if (magic.length === 4 && magic.readUInt32LE(0) === 0xfd2fb528) return MT_ZSTD;
  return MT_TAR;
}

async function hashMember(index: TarIndex, member: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of await index.open(member)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}
