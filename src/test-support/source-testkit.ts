/**
 * Shared setup for the image-source tests (src/image/sources): a temp dir removed after the
 * test, a standard small two-layer image, tar files on disk, the legacy `docker save` layout
 * with tamper hooks, draining layer streams, and a checker for AssayError code + message.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageSource } from '../image/types.js';
import { AssayError, type ErrorCode } from '../model/errors.js';
import { type BuiltImage, buildImage, buildTar, type FileSpec } from './oci-image.js';

/** What a node:test context offers for cleanup (`t` in `test(name, async (t) => …)`). */
export interface CleanupScope {
  after(fn: () => Promise<void>): void;
}

/** A fresh directory under the OS temp dir, removed (recursively) when the test ends. */
export async function tempDir(t: CleanupScope, prefix = 'assay-src-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Two gzip layers: `etc/os-release` with `ID=<tag>`, then `opt/<tag>` holding `<tag>`. */
export function smallImage(tag: string): Promise<BuiltImage> {
  return buildImage({
    layers: [
      { files: [{ path: 'etc/os-release', content: `ID=${tag}\n` }] },
      { files: [{ path: `opt/${tag}`, content: tag }] },
    ],
  });
}

/** Writes `files` (packed with buildTar) or ready tar bytes as `dir/name`; returns the path. */
export async function writeTar(dir: string, name: string, files: FileSpec[] | Buffer): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, Buffer.isBuffer(files) ? files : await buildTar(files));
  return file;
}

export interface LegacyTamper {
  /** Replaces the bytes stored for layer `i` (the manifest still names the original path). */
  layerBody?: (i: number, tar: Buffer) => Buffer;
  /** Replaces the config file's bytes (its name still carries the original digest). */
  configBody?: Buffer;
  /** Replaces the `Layers` list in manifest.json. */
  layers?: string[];
}

/**
 * The legacy layout as `docker save` < 25 writes it (`<id>/layer.tar`, `<config>.json`,
 * manifest.json last), with hooks to tamper with each part.
 */
export function legacyFiles(
  img: BuiltImage,
  repoTags: string[] | null,
  tamper: LegacyTamper = {},
): FileSpec[] {
  const layerPaths = tamper.layers ?? img.layers.map((l) => `${l.diffId.slice(7, 27)}/layer.tar`);
  const configName = `${img.config.digest.slice(7)}.json`;
  return [
    ...img.layers.map((l, i) => ({
      path: `${l.diffId.slice(7, 27)}/layer.tar`,
      content: tamper.layerBody ? tamper.layerBody(i, l.tar) : l.tar,
    })),
    { path: configName, content: tamper.configBody ?? img.config.data },
    {
      path: 'manifest.json',
      content: JSON.stringify([{ Config: configName, RepoTags: repoTags, Layers: layerPaths }]),
    },
  ];
}

/** Reads a byte stream to its end (rejecting as the stream does). */
export async function drain(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The bytes `src.openLayer` streams for the layer at `index` of its description. */
export async function readLayer(src: ImageSource, index: number): Promise<Buffer> {
  const layers = (await src.describe()).layers;
  const layer = layers[index];
  assert.ok(layer, `layer ${index} of ${layers.length}`);
  return drain(await src.openLayer(layer));
}

/** The bytes of every layer, in order. */
export async function readLayers(src: ImageSource): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const layer of (await src.describe()).layers) out.push(await drain(await src.openLayer(layer)));
  return out;
}

/**
 * A validator for `assert.rejects` / `assert.throws`: the error must be an AssayError with
 * `code`, and its message must match every RegExp and contain every string given.
 */
export function assayError(code: ErrorCode, ...message: (RegExp | string)[]): (e: unknown) => true {
  return (e) => {
    assert.ok(e instanceof AssayError, `expected an AssayError '${code}', got: ${String(e)}`);
    assert.ok(e.code === code, `expected AssayError code '${code}', got '${e.code}': ${e.message}`);
    for (const m of message) {
      if (typeof m === 'string')
        assert.ok(e.message.includes(m), `${JSON.stringify(m)} not in: ${e.message}`);
      else assert.match(e.message, m, `${m} does not match: ${e.message}`);
    }
    return true;
  };
}
