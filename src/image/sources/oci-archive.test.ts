import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildImage, writeOciLayout } from '../../test-support/oci-image.js';
import { assayError, readLayer, tempDir, writeTar } from '../../test-support/source-testkit.js';
import { blobPath } from '../archive/content-store.js';
import { openOciArchive } from './oci-archive.js';

const image = () =>
  buildImage({
    layers: [
      { files: [{ path: 'etc/os-release', content: 'ID=test\n' }] },
      { files: [{ path: 'usr/bin/tool', content: Buffer.alloc(70_000, 7) }], compression: 'zstd' },
    ],
  });

test('oci-archive: a layout tarred by GNU tar (./-prefixed names) is read in place', async (t) => {
  const dir = await tempDir(t, 'assay-ociarch-');
  const img = await image();
  await writeOciLayout(join(dir, 'layout'), [{ tag: 'v2', images: [img] }]);
  const file = join(dir, 'app.tar');
  execFileSync('tar', ['-C', join(dir, 'layout'), '-cf', file, '.']);
  const src = await openOciArchive(`oci-archive:${file}`, file);
  const d = await src.describe();
  assert.equal(src.kind, 'oci-archive');
  assert.deepEqual(
    [d.imageId, d.manifestDigest, d.repository, d.tag],
    [img.config.digest, img.manifest.digest, 'app', 'v2'],
  );
  assert.equal(d.layers[1]!.mediaType, 'application/vnd.oci.image.layer.v1.tar+zstd');
  assert.deepEqual(await readLayer(src, 1), img.layers[1]!.data);
  await assert.rejects(
    openOciArchive('oci-archive:x', `${file}:nope`),
    assayError('not-found', /available: v2/),
  );
});

test('oci-archive: written by skopeo copy (a real tool), named by full reference', async (t) => {
  const dir = await tempDir(t, 'assay-ociarch-');
  const img = await image();
  await writeOciLayout(join(dir, 'layout'), [{ tag: 'v2', images: [img] }]);
  const file = join(dir, 'out.tar');
  execFileSync(
    'skopeo',
    ['copy', '--quiet', `oci:${join(dir, 'layout')}:v2`, `oci-archive:${file}:ghcr.io/acme/tool:3.1`],
    { stdio: 'pipe' },
  );
  const src = await openOciArchive(`oci-archive:${file}`, file);
  const d = await src.describe();
  assert.deepEqual(
    [d.registry, d.repository, d.tag, d.imageId],
    ['ghcr.io', 'acme/tool', '3.1', img.config.digest],
  );
  assert.deepEqual(await readLayer(src, 0), img.layers[0]!.data);
  const byName = await openOciArchive('oci-archive:x', `${file}:ghcr.io/acme/tool:3.1`);
  assert.equal((await byName.describe()).imageId, img.config.digest);
});

test('oci-archive: truncated archive, missing blob and hostile member names', async (t) => {
  const dir = await tempDir(t, 'assay-ociarch-');
  const img = await image();
  const layout = join(dir, 'layout');
  await writeOciLayout(layout, [{ tag: 'v2', images: [img] }]);
  const file = join(dir, 'cut.tar');
  execFileSync('tar', ['-C', layout, '-cf', file, 'oci-layout', 'index.json', 'blobs']);
  const size = (await readFile(file)).length;
  await truncate(file, size - 4096);
  await assert.rejects(openOciArchive('oci-archive:cut', file), assayError('corrupt-archive', file));

  await unlink(join(layout, blobPath(img.layers[1]!.digest)));
  const missing = join(dir, 'missing.tar');
  execFileSync('tar', ['-C', layout, '-cf', missing, '.']);
  const src = await openOciArchive('oci-archive:missing', missing);
  await assert.rejects(readLayer(src, 1), assayError('not-found', img.layers[1]!.digest));

  // A `..` member cannot shadow or escape anything: it is simply not part of the index.
  const files = [
    { path: '../oci-layout', content: 'evil' },
    { path: 'oci-layout', content: await readFile(join(layout, 'oci-layout')) },
    { path: 'index.json', content: await readFile(join(layout, 'index.json')) },
    ...[img.manifest, img.config, img.layers[0]!].map((b) => ({ path: blobPath(b.digest), content: b.data })),
  ];
  const evil = await writeTar(dir, 'evil.tar', files);
  const ok = await openOciArchive('oci-archive:evil', evil);
  assert.equal((await ok.describe()).imageId, img.config.digest);
});
