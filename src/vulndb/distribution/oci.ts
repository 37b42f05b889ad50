/**
 * The DB as an OCI artifact in any registry (types.ts): an OCI image manifest
 * (https://github.com/opencontainers/image-spec/blob/main/manifest.md) with `artifactType`
 * DB_ARTIFACT_TYPE, the published metadata as its config blob and the bundle as its only layer,
 * following the image-spec's artifact guidance (manifest.md, "Guidelines for Artifact Usage").
 * distribution 2.8 (Debian's docker-registry) stores such a manifest as sent: it checks that the
 * blobs exist but neither the config media type nor `artifactType`. Pushing reuses the image
 * access client (auth, docker config, credential helpers) with push scope; pulling starts with
 * a manifest HEAD, so an unchanged DB costs one request.
 */
import { randomBytes } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { sha256Digest as digestOfBytes } from '../../image/digest.js';
import { MEDIA_TYPES } from '../../image/manifest.js';
import { parseReference } from '../../image/reference.js';
import { RegistryClient } from '../../image/registry/client.js';
import type { CredentialOptions } from '../../image/registry/credentials.js';
import { putManifest, uploadBlob } from '../../image/registry/upload.js';
import { AssayError, wrapError } from '../../model/errors.js';
import { sha256Digest as digestOfFile, parsePublishedMetadata } from './metadata.js';
import { downloadBlob } from './oci-blob.js';
import { type DbManifest, parseDbManifest, readMetadataBlob } from './oci-manifest.js';
import {
  DB_ARTIFACT_TYPE,
  DB_BUNDLE_MEDIA_TYPE,
  DB_METADATA_MEDIA_TYPE,
  DB_SIGNATURE_ANNOTATION,
  type DbFetcher,
  type FetchedCandidate,
  type PublishedMetadata,
} from './types.js';

export interface RegistryOptions {
  insecureRegistries?: string[] | undefined;
  credentials?: CredentialOptions | undefined;
  timeoutMs?: number | undefined;
  retry?: { retries?: number; backoffMs?: number } | undefined;
  signal?: AbortSignal | undefined;
}

export interface PushOptions extends RegistryOptions {
  /** Bytes of the bundle uploaded so far, and its size. */
  onProgress?(done: number, total: number): void;
  /** Bytes per PATCH (default 8 MiB). */
  chunkSize?: number;
}

export interface PushResult {
  manifestDigest: string;
  bundleDigest: string;
  /** Bytes uploaded by this push (0 for blobs the registry already held). */
  bytes: number;
}

const CREATED = 'org.opencontainers.image.created';
const TITLE = 'org.opencontainers.image.title';

function openClient(ref: string, opts: RegistryOptions, push: boolean) {
  const parsed = parseReference(ref);
  const label = `oci://${ref}`;
  const client = new RegistryClient({
    registry: parsed.registry,
    repository: parsed.repository,
    label,
    insecureRegistries: opts.insecureRegistries,
    credentials: opts.credentials,
    timeoutMs: opts.timeoutMs,
    retries: opts.retry?.retries,
    backoffMs: opts.retry?.backoffMs,
    push,
  });
  return { client, label, tag: parsed.tag, digest: parsed.digest };
}

/** The manifest bytes for a metadata document and its signature: the same input, the same digest. */
export function dbManifest(metadataBytes: Buffer, metadata: PublishedMetadata, signature?: Buffer): Buffer {
  const annotations: Record<string, string> = {};
  if (metadata.builtAt) annotations[CREATED] = metadata.builtAt;
  if (signature) annotations[DB_SIGNATURE_ANNOTATION] = signature.toString('base64');
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    artifactType: DB_ARTIFACT_TYPE,
    config: {
      mediaType: DB_METADATA_MEDIA_TYPE,
      digest: digestOfBytes(metadataBytes),
      size: metadataBytes.length,
    },
    layers: [
      {
        mediaType: DB_BUNDLE_MEDIA_TYPE,
        digest: metadata.bundle.digest,
        size: metadata.bundle.size,
        annotations: { [TITLE]: basename(metadata.bundle.file) },
      },
    ],
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
  return Buffer.from(JSON.stringify(manifest));
}

/** `assay db push oci://REF`: uploads the metadata and the bundle, then tags the manifest. */
export async function pushDb(
  ref: string,
  published: { metadataBytes: Buffer; signature?: Buffer; bundlePath: string },
  opts: PushOptions = {},
): Promise<PushResult> {
  const { client, label, tag, digest } = openClient(ref, opts, true);
  try {
    if (digest || !tag)
      throw new AssayError('usage', `${label}: push to a tag (REGISTRY/REPO:TAG), not a digest`);
    const config = published.metadataBytes;
    const metadata = parsePublishedMetadata(config, label);
    await checkBundle(published.bundlePath, metadata, label);
    const configBlob = {
      digest: digestOfBytes(config),
      size: config.length,
      read: async (offset: number, length: number) => config.subarray(offset, offset + length),
    };
    const sent =
      (await uploadBlob(client, configBlob, 'DB metadata (config blob)', { signal: opts.signal })).sent +
      (await uploadBundle(client, published.bundlePath, metadata, opts));
    const manifest = dbManifest(config, metadata, published.signature);
    const manifestDigest = digestOfBytes(manifest);
    const stored = { data: manifest, mediaType: MEDIA_TYPES.ociManifest };
    const reported = await putManifest(client, tag, stored, opts.signal);
    if (reported && reported !== manifestDigest)
      throw new AssayError(
        'registry',
        `${label}: the registry stored the manifest as ${reported}, expected ${manifestDigest}`,
      );
    return { manifestDigest, bundleDigest: metadata.bundle.digest, bytes: sent };
  } catch (err) {
    throw err instanceof AssayError ? err : wrapError(err, label, 'network');
  } finally {
    client.close();
  }
}

/** The bundle layer, read chunk by chunk from the file (never whole in memory); bytes sent. */
async function uploadBundle(
  client: RegistryClient,
  path: string,
  metadata: PublishedMetadata,
  opts: PushOptions,
): Promise<number> {
  const file = await open(path, 'r');
  try {
    const read = async (offset: number, length: number) => {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await file.read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead);
    };
    const blob = { digest: metadata.bundle.digest, size: metadata.bundle.size, read };
    const { signal, chunkSize, onProgress } = opts;
    return (await uploadBlob(client, blob, `DB bundle (${blob.digest})`, { signal, chunkSize, onProgress }))
      .sent;
  } finally {
    await file.close();
  }
}

/** A bundle that does not match its metadata would be rejected by every puller: refuse to publish it. */
async function checkBundle(path: string, metadata: PublishedMetadata, label: string): Promise<void> {
  const [digest, { size }] = await Promise.all([digestOfFile(path), stat(path)]);
  if (digest !== metadata.bundle.digest || size !== metadata.bundle.size)
    throw new AssayError(
      'digest-mismatch',
      `${label}: the bundle ${path} is ${digest} (${size} bytes), its metadata says ${metadata.bundle.digest} (${metadata.bundle.size} bytes)`,
    );
}

/** The OCI transport of `assay db update --from oci://REF`. */
export const fetchFromOci: DbFetcher = async (repo, state, opts) => {
  if (repo.kind !== 'oci') throw new AssayError('internal', `fetchFromOci called for a ${repo.kind} source`);
  const regOpts: RegistryOptions = {
    insecureRegistries: opts.insecureRegistries,
    credentials: opts.registryCredentials,
    timeoutMs: opts.timeoutMs,
    retry: opts.retry,
    signal: opts.signal,
  };
  const { client, label, tag, digest } = openClient(repo.ref, regOpts, false);
  try {
    const manifestDigest = digest ?? (await headDigest(client, tag ?? 'latest', opts.signal));
    if (manifestDigest && manifestDigest === state?.manifestDigest) return 'unchanged';
    const manifest = await parseDbManifest(client, manifestDigest ?? tag ?? 'latest', opts.signal);
    if (manifest.digest === state?.manifestDigest) return 'unchanged';
    return await fetchArtifact(client, manifest, opts);
  } catch (err) {
    throw err instanceof AssayError ? err : wrapError(err, label, 'network');
  } finally {
    client.close();
  }
};

async function headDigest(
  client: RegistryClient,
  tag: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const notFound = `nothing published at ${client.label} (no tag ${JSON.stringify(tag)} in repository ${client.repository}, or no such repository)`;
  return (await client.headManifest(tag, notFound, signal)).digest;
}

async function fetchArtifact(
  client: RegistryClient,
  manifest: DbManifest,
  opts: Parameters<DbFetcher>[2],
): Promise<FetchedCandidate> {
  const metadataBytes = await readMetadataBlob(client, manifest.config, opts.signal);
  const metadata = parsePublishedMetadata(metadataBytes, client.label);
  const { layer } = manifest;
  if (layer.digest !== metadata.bundle.digest || layer.size !== metadata.bundle.size)
    throw new AssayError(
      'digest-mismatch',
      `${client.label}: the bundle layer is ${layer.digest} (${layer.size} bytes), the metadata says ${metadata.bundle.digest} (${metadata.bundle.size} bytes)`,
    );
  const bundleFile = join(opts.tempDir, `oci-bundle-${randomBytes(6).toString('hex')}.tar.gz`);
  const downloaded = await downloadBlob(client, {
    digest: layer.digest,
    size: layer.size,
    dest: bundleFile,
    what: `DB bundle (${layer.digest})`,
    signal: opts.signal,
    onProgress: opts.onProgress,
    onMessage: opts.onMessage,
  });
  return {
    metadataBytes,
    ...(manifest.signature ? { signature: manifest.signature } : {}),
    bundleFile,
    manifestDigest: manifest.digest,
    downloaded: downloaded + metadataBytes.length,
  };
}
