/** docker-archive: choosing among several images, and hostile or broken archives. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isAssayError } from '../../model/errors.js';
import { type BuiltImage, buildImage, buildTar, type FileSpec } from '../../test-support/oci-image.js';
import type { ImageSource } from '../types.js';
import { openDockerArchive } from './docker-archive.js';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'assay-dockbad-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function readLayer(src: ImageSource, index: number): Promise<Buffer> {
  const d = await src.describe();
  const chunks: Buffer[] = [];
  for await (const c of await src.openLayer(d.layers[index]!)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const image = (tag: string) =>
  buildImage({
    layers: [
      { files: [{ path: 'etc/os-release', content: `ID=${tag}\n` }] },
      { files: [{ path: `opt/${tag}`, content: tag }] },
    ],
  });

/** The legacy layout as `docker save` < 25 writes it, with hooks to tamper with each part. */
function legacyFiles(
  img: BuiltImage,
  repoTags: string[] | null,
  tamper: { layerBody?: (i: number, tar: Buffer) => Buffer; configBody?: Buffer; layers?: string[] } = {},
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

async function writeTar(dir: string, name: string, files: FileSpec[] | Buffer): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, Buffer.isBuffer(files) ? files : await buildTar(files));
  return file;
}

test('docker-archive: several images — choose by RepoTag or @N, else an error listing them', async (t) => {
  const dir = await tempDir(t);
  const [a, b] = [await image('a'), await image('b')];
  const fa = legacyFiles(a, ['a:1']);
  const fb = legacyFiles(b, null);
  const manifest = [JSON.parse(String(fa.at(-1)!.content))[0], JSON.parse(String(fb.at(-1)!.content))[0]];
  const file = await writeTar(dir, 'multi.tar', [
    ...fa.slice(0, -1),
    ...fb.slice(0, -1),
    { path: 'manifest.json', content: JSON.stringify(manifest) },
  ]);
  await assert.rejects(
    openDockerArchive('docker-archive:m', file),
    (e) => isAssayError(e, 'usage') && e.message.includes('@0 (a:1), @1 (untagged)'),
  );
  assert.equal(
    (await (await openDockerArchive('docker-archive:m', `${file}:a:1`)).describe()).imageId,
    a.config.digest,
  );
  assert.equal(
    (await (await openDockerArchive('docker-archive:m', `${file}:docker.io/library/a:1`)).describe()).imageId,
    a.config.digest,
  );
  assert.equal(
    (await (await openDockerArchive('docker-archive:m', `${file}:@1`)).describe()).imageId,
    b.config.digest,
  );
  await assert.rejects(
    openDockerArchive('docker-archive:m', `${file}:@2`),
    (e) => isAssayError(e, 'not-found') && e.message.includes('@1 (untagged)'),
  );
  await assert.rejects(
    openDockerArchive('docker-archive:m', `${file}:c:3`),
    (e) => isAssayError(e, 'not-found') && e.message.includes('@0 (a:1)'),
  );
});

test('docker-archive: hostile and broken archives', async (t) => {
  const dir = await tempDir(t);
  const img = await image('bad');
  const open = (name: string, files: FileSpec[]) =>
    writeTar(dir, name, files).then((f) => openDockerArchive(`docker-archive:${f}`, f));
  await assert.rejects(
    open('nomanifest.tar', [{ path: 'hello', content: 'x' }]),
    (e) => isAssayError(e, 'not-an-image') && /no manifest\.json/.test(e.message),
  );
  await assert.rejects(
    open('shape.tar', [{ path: 'manifest.json', content: '{"Config":1}' }]),
    (e) => isAssayError(e, 'not-an-image') && /malformed/.test(e.message),
  );
  await assert.rejects(
    open('missing-layer.tar', legacyFiles(img, ['x:1'], { layers: ['nope/layer.tar', 'also/layer.tar'] })),
    (e) => isAssayError(e, 'not-found') && /nope\/layer\.tar/.test(e.message),
  );
  await assert.rejects(
    open('escape.tar', legacyFiles(img, ['x:1'], { layers: ['../../../etc/passwd', 'a'] })),
    (e) => isAssayError(e, 'unsafe-path'),
  );
  const evilConfig = Buffer.from(img.config.data.toString().replace('"amd64"', '"arm64"'));
  await assert.rejects(
    open('config.tar', legacyFiles(img, ['x:1'], { configBody: evilConfig })),
    (e) => isAssayError(e, 'digest-mismatch') && /config/.test(e.message),
  );
  const flipped = (i: number, tar: Buffer) => {
    if (i !== 1) return tar;
    const copy = Buffer.from(tar);
    copy[600] = copy[600]! ^ 1; // inside the first member's body: same size, different bytes
    return copy;
  };
  const src = await open('diffid.tar', legacyFiles(img, ['x:1'], { layerBody: flipped }));
  await assert.rejects(
    readLayer(src, 1),
    (e) => isAssayError(e, 'digest-mismatch') && /layer 1/.test(e.message),
  );
  await assert.rejects(
    open('platform.tar', legacyFiles(img, ['x:1'])).then(() =>
      openDockerArchive('d', join(dir, 'platform.tar'), { platform: { os: 'linux', architecture: 'arm64' } }),
    ),
    (e) => isAssayError(e, 'platform-not-found'),
  );
  const cut = await writeTar(dir, 'cut.tar', legacyFiles(img, ['x:1']));
  await truncate(cut, 3000);
  await assert.rejects(
    openDockerArchive('docker-archive:cut', cut),
    (e) => isAssayError(e, 'corrupt-archive') && e.message.includes(cut),
  );
});
