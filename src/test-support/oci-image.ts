/**
 * Builds small but real OCI images in memory for tests: tar layers (tar-stream), gzip/zstd
 * compression, configs with history, manifests and indexes with correct digests. Writes them
 * as an OCI image layout directory or a `docker save`-style archive.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { sha256Digest } from '../image/digest.js';
import type { ImageRuntimeConfig, Platform } from '../image/types.js';

export interface FileSpec {
  path: string;
  content?: string | Buffer;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink';
  linkname?: string;
  mode?: number;
}

export interface LayerSpec {
  files: FileSpec[];
  createdBy?: string;
  compression?: 'gzip' | 'zstd' | 'none';
}

export interface ImageSpec {
  layers: LayerSpec[];
  platform?: Platform;
  config?: ImageRuntimeConfig;
  /** Extra history entries without a layer, inserted before the layer at the given index. */
  emptyHistory?: { beforeLayer: number; createdBy: string }[];
  created?: string;
}

export interface BuiltBlob {
  digest: string;
  mediaType: string;
  data: Buffer;
}

export interface BuiltImage {
  layers: (BuiltBlob & { diffId: string; tar: Buffer })[];
  config: BuiltBlob;
  manifest: BuiltBlob;
  platform: Platform;
}

export const MT = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

export async function buildTar(files: FileSpec[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => {
    if (Buffer.isBuffer(c)) chunks.push(c);
  });
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  const mtime = new Date('2024-01-01T00:00:00Z');
  for (const f of files) {
    const type = f.type ?? (f.path.endsWith('/') ? 'dir' : 'file');
    const name = f.path.replace(/\/$/, '');
    if (type === 'file') {
      const body = typeof f.content === 'string' ? Buffer.from(f.content) : (f.content ?? Buffer.alloc(0));
      pack.entry({ name, mode: f.mode ?? 0o644, mtime, size: body.length }, body);
    } else if (type === 'dir') {
      pack.entry({ name, type: 'directory', mode: f.mode ?? 0o755, mtime });
    } else {
      pack.entry({
        name,
        type: type === 'hardlink' ? 'link' : 'symlink',
        linkname: f.linkname ?? '',
        mode: f.mode ?? 0o777,
        mtime,
      });
    }
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

function compress(data: Buffer, how: LayerSpec['compression']): { data: Buffer; mediaType: string } {
  if (how === 'none') return { data, mediaType: MT.ociLayer };
  if (how === 'zstd') {
    return {
      data: execFileSync('zstd', ['-q', '-c', '-3'], { input: data, maxBuffer: 1 << 30 }),
      mediaType: MT.ociLayerZstd,
    };
  }
  return { data: gzipSync(data), mediaType: MT.ociLayerGzip };
}

function blob(mediaType: string, value: unknown): BuiltBlob {
  const data = Buffer.from(JSON.stringify(value));
  return { mediaType, data, digest: sha256Digest(data) };
}

export async function buildImage(spec: ImageSpec): Promise<BuiltImage> {
  const platform = spec.platform ?? { os: 'linux', architecture: 'amd64' };
  const created = spec.created ?? '2024-01-01T00:00:00Z';
  const layers = [];
  for (const l of spec.layers) {
    const tarData = await buildTar(l.files);
    const c = compress(tarData, l.compression);
    layers.push({ ...c, digest: sha256Digest(c.data), diffId: sha256Digest(tarData), tar: tarData });
  }
  const history: Record<string, unknown>[] = [];
  spec.layers.forEach((l, i) => {
    for (const e of spec.emptyHistory ?? []) {
      if (e.beforeLayer === i) history.push({ created, created_by: e.createdBy, empty_layer: true });
    }
    history.push({ created, created_by: l.createdBy ?? `COPY layer${i} /` });
  });
  const config = blob(MT.ociConfig, {
    created,
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: spec.config ?? { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history,
  });
  const manifest = blob(MT.ociManifest, {
    schemaVersion: 2,
    mediaType: MT.ociManifest,
    config: { mediaType: config.mediaType, digest: config.digest, size: config.data.length },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.data.length })),
  });
  return { layers, config, manifest, platform };
}

export function buildIndex(images: BuiltImage[]): BuiltBlob {
  return blob(MT.ociIndex, {
    schemaVersion: 2,
    mediaType: MT.ociIndex,
    manifests: images.map((img) => ({
      mediaType: img.manifest.mediaType,
      digest: img.manifest.digest,
      size: img.manifest.data.length,
      platform: img.platform,
    })),
  });
}

async function writeBlob(dir: string, b: { digest: string; data: Buffer }): Promise<void> {
  const [alg, hex] = b.digest.split(':') as [string, string];
  await mkdir(join(dir, 'blobs', alg), { recursive: true });
  await writeFile(join(dir, 'blobs', alg, hex), b.data);
}

/**
 * Writes an OCI image layout. Each entry becomes one descriptor in index.json, annotated with
 * `org.opencontainers.image.ref.name` = tag; several images under one tag become a nested index.
 */
export async function writeOciLayout(
  dir: string,
  entries: { tag: string; images: BuiltImage[] }[],
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const manifests = [];
  for (const { tag, images } of entries) {
    for (const img of images) {
      for (const b of [...img.layers, img.config, img.manifest]) await writeBlob(dir, b);
    }
    const top = images.length === 1 ? images[0]!.manifest : buildIndex(images);
    if (images.length > 1) await writeBlob(dir, top);
    manifests.push({
      mediaType: top.mediaType,
      digest: top.digest,
      size: top.data.length,
      annotations: { 'org.opencontainers.image.ref.name': tag },
    });
  }
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, mediaType: MT.ociIndex, manifests }),
  );
}

/** A `docker save` archive (legacy layout: manifest.json, <config>.json, <id>/layer.tar). */
export async function dockerArchiveTar(img: BuiltImage, repoTags: string[]): Promise<Buffer> {
  const files: FileSpec[] = [];
  const layerPaths = img.layers.map((l) => `${l.diffId.slice(7)}/layer.tar`);
  img.layers.forEach((l, i) => {
    files.push({ path: `${l.diffId.slice(7)}/`, type: 'dir' }, { path: layerPaths[i]!, content: l.tar });
  });
  const configName = `${img.config.digest.slice(7)}.json`;
  files.push({ path: configName, content: img.config.data });
  files.push({
    path: 'manifest.json',
    content: JSON.stringify([{ Config: configName, RepoTags: repoTags, Layers: layerPaths }]),
  });
  return buildTar(files);
}
