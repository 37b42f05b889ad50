import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { buildImage, dockerArchiveTar, writeOciLayout } from '../../test-support/oci-image.js';
import { legacyFiles, readLayer, smallImage, tempDir, writeTar } from '../../test-support/source-testkit.js';
import { blobPath } from '../archive/content-store.js';
import { sha256Digest } from '../digest.js';
import { openDockerArchive } from './docker-archive.js';

test('docker-archive: legacy `docker save` layout; tags normalised like Docker; layers verified by diff_id', async (t) => {
  const dir = await tempDir(t, 'assay-dockarch-');
  const img = await smallImage('alpine');
  const file = await writeTar(dir, 'a.tar', await dockerArchiveTar(img, ['alpine:3.19']));
  const src = await openDockerArchive(`docker-archive:${file}`, file);
  const d = await src.describe();
  assert.deepEqual(
    [d.source, d.registry, d.repository, d.tag, d.imageId],
    ['docker-archive', 'docker.io', 'library/alpine', '3.19', img.config.digest],
  );
  assert.equal(d.manifestDigest, undefined);
  assert.deepEqual(
    d.layers.map((l) => [l.digest, l.diffId, l.mediaType]),
    img.layers.map((l) => [l.diffId, l.diffId, 'application/vnd.oci.image.layer.v1.tar']),
  );
  assert.deepEqual(await readLayer(src, 1), img.layers[1]!.tar);
  const untagged = await openDockerArchive(
    'docker-archive:u',
    await writeTar(dir, 'u.tar', legacyFiles(img, null)),
  );
  assert.deepEqual([(await untagged.describe()).registry, (await untagged.describe()).repository], ['', '']);
});

test('docker-archive: written by skopeo (symlinked <id>/layer.tar, repositories file)', async (t) => {
  const dir = await tempDir(t, 'assay-dockarch-');
  const img = await smallImage('tool');
  await writeOciLayout(join(dir, 'layout'), [{ tag: 'v1', images: [img] }]);
  const file = join(dir, 'skopeo.tar');
  execFileSync(
    'skopeo',
    [
      'copy',
      '--quiet',
      `oci:${join(dir, 'layout')}:v1`,
      `docker-archive:${file}:localhost:5000/team/tool:1.2`,
      '--additional-tag',
      'team/tool:latest',
    ],
    { stdio: 'pipe' },
  );
  const src = await openDockerArchive(`docker-archive:${file}`, file);
  const d = await src.describe();
  assert.deepEqual(
    [d.registry, d.repository, d.tag, d.imageId],
    ['localhost:5000', 'team/tool', '1.2', img.config.digest],
  );
  assert.deepEqual(await readLayer(src, 0), img.layers[0]!.tar);
  const byOtherTag = await openDockerArchive('docker-archive:x', `${file}:team/tool`);
  assert.deepEqual(
    [(await byOtherTag.describe()).registry, (await byOtherTag.describe()).tag],
    ['docker.io', 'latest'],
  );
});

test('docker-archive: Docker ≥ 25 layout (OCI index.json + blobs + manifest.json)', async (t) => {
  const dir = await tempDir(t, 'assay-dockarch-');
  // The classic store saves uncompressed layers (digest = diff_id); the containerd store keeps gzip blobs.
  for (const compression of ['none', 'gzip'] as const) {
    const img = await buildImage({
      layers: [
        { files: [{ path: 'etc/x', content: 'x' }], compression },
        { files: [{ path: 'y', content: 'y' }], compression },
      ],
    });
    const index = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: img.manifest.mediaType,
          digest: img.manifest.digest,
          size: img.manifest.data.length,
          annotations: {
            'io.containerd.image.name': 'docker.io/library/redis:7',
            'org.opencontainers.image.ref.name': '7',
          },
        },
      ],
    };
    const blobs = [img.manifest, img.config, ...img.layers].map((b) => ({
      path: blobPath(b.digest),
      content: b.data,
    }));
    const manifest = [
      {
        Config: blobPath(img.config.digest),
        RepoTags: ['redis:7'],
        Layers: img.layers.map((l) => blobPath(l.digest)),
      },
    ];
    const file = await writeTar(dir, `d25-${compression}.tar`, [
      { path: 'blobs/', type: 'dir' },
      ...blobs,
      { path: 'index.json', content: JSON.stringify(index) },
      { path: 'manifest.json', content: JSON.stringify(manifest) },
      { path: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' },
    ]);
    const src = await openDockerArchive(`docker-archive:${file}`, file);
    const d = await src.describe();
    assert.deepEqual(
      [d.repository, d.tag, d.imageId, d.manifestDigest],
      ['library/redis', '7', img.config.digest, img.manifest.digest],
    );
    assert.deepEqual(
      d.layers.map((l) => [l.digest, l.mediaType]),
      img.layers.map((l) => [l.digest, l.mediaType]),
    );
    assert.deepEqual(await readLayer(src, 1), img.layers[1]!.data);
  }
});

test('docker-archive: a gzip-compressed legacy layer is hashed so it is still verified', async (t) => {
  const dir = await tempDir(t, 'assay-dockarch-');
  const img = await smallImage('gz');
  const gz = gzipSync(img.layers[0]!.tar);
  const file = await writeTar(
    dir,
    'gz.tar',
    legacyFiles(img, ['gz:1'], { layerBody: (i, tar) => (i === 0 ? gz : tar) }),
  );
  const d = await (await openDockerArchive('docker-archive:gz', file)).describe();
  assert.deepEqual(
    [d.layers[0]!.digest, d.layers[0]!.diffId, d.layers[0]!.mediaType],
    [sha256Digest(gz), img.layers[0]!.diffId, 'application/vnd.oci.image.layer.v1.tar+gzip'],
  );
});

test('docker-archive: a tar holding only an OCI layout is read as one', async (t) => {
  const dir = await tempDir(t, 'assay-dockarch-');
  const img = await smallImage('oci');
  await writeOciLayout(join(dir, 'layout'), [{ tag: 'v1', images: [img] }]);
  const file = join(dir, 'oci.tar');
  execFileSync('tar', ['-C', join(dir, 'layout'), '-cf', file, '.']);
  const src = await openDockerArchive('docker-archive:oci', file);
  assert.deepEqual([src.kind, (await src.describe()).imageId], ['docker-archive', img.config.digest]);
});
