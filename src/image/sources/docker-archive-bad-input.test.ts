/** docker-archive: choosing among several images, and hostile or broken archives. */
import assert from 'node:assert/strict';
import { truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FileSpec } from '../../test-support/oci-image.js';
import {
  assayError,
  legacyFiles,
  readLayer,
  smallImage,
  tempDir,
  writeTar,
} from '../../test-support/source-testkit.js';
import { openDockerArchive } from './docker-archive.js';

test('docker-archive: several images — choose by RepoTag or @N, else an error listing them', async (t) => {
  const dir = await tempDir(t, 'assay-dockbad-');
  const [a, b] = [await smallImage('a'), await smallImage('b')];
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
    assayError('usage', '@0 (a:1), @1 (untagged)'),
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
    assayError('not-found', '@1 (untagged)'),
  );
  await assert.rejects(
    openDockerArchive('docker-archive:m', `${file}:c:3`),
    assayError('not-found', '@0 (a:1)'),
  );
});

test('docker-archive: hostile and broken archives', async (t) => {
  const dir = await tempDir(t, 'assay-dockbad-');
  const img = await smallImage('bad');
  const open = (name: string, files: FileSpec[]) =>
    writeTar(dir, name, files).then((f) => openDockerArchive(`docker-archive:${f}`, f));
  await assert.rejects(
    open('nomanifest.tar', [{ path: 'hello', content: 'x' }]),
    assayError('not-an-image', /no manifest\.json/),
  );
  await assert.rejects(
    open('shape.tar', [{ path: 'manifest.json', content: '{"Config":1}' }]),
    assayError('not-an-image', /malformed/),
  );
  await assert.rejects(
    open('missing-layer.tar', legacyFiles(img, ['x:1'], { layers: ['nope/layer.tar', 'also/layer.tar'] })),
    assayError('not-found', /nope\/layer\.tar/),
  );
  await assert.rejects(
    open('escape.tar', legacyFiles(img, ['x:1'], { layers: ['../../../etc/passwd', 'a'] })),
    assayError('unsafe-path'),
  );
  const evilConfig = Buffer.from(img.config.data.toString().replace('"amd64"', '"arm64"'));
  await assert.rejects(
    open('config.tar', legacyFiles(img, ['x:1'], { configBody: evilConfig })),
    assayError('digest-mismatch', /config/),
  );
  const flipped = (i: number, tar: Buffer) => {
    if (i !== 1) return tar;
    const copy = Buffer.from(tar);
    copy[600] = copy[600]! ^ 1; // inside the first member's body: same size, different bytes
    return copy;
  };
  const src = await open('diffid.tar', legacyFiles(img, ['x:1'], { layerBody: flipped }));
  await assert.rejects(readLayer(src, 1), assayError('digest-mismatch', /layer 1/));
  await assert.rejects(
    open('platform.tar', legacyFiles(img, ['x:1'])).then(() =>
      openDockerArchive('d', join(dir, 'platform.tar'), { platform: { os: 'linux', architecture: 'arm64' } }),
    ),
    assayError('platform-not-found'),
  );
  const cut = await writeTar(dir, 'cut.tar', legacyFiles(img, ['x:1']));
  await truncate(cut, 3000);
  await assert.rejects(openDockerArchive('docker-archive:cut', cut), assayError('corrupt-archive', cut));
});
