import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { type BuiltImage, buildImage, writeOciLayout } from '../../test-support/oci-image.js';
import { assayError, readLayer, tempDir } from '../../test-support/source-testkit.js';
import { blobPath } from '../archive/content-store.js';
import { sha256Digest } from '../digest.js';
import { hostPlatform } from '../platform.js';
import { openOciLayout } from './oci-layout.js';

async function twoImages(): Promise<{ app: BuiltImage; amd: BuiltImage; arm: BuiltImage }> {
  const app = await buildImage({
    layers: [
      { files: [{ path: 'etc/os-release', content: 'ID=test\n' }] },
      { files: [{ path: 'app/run', content: 'x' }], createdBy: 'COPY run /app/' },
    ],
    config: { Labels: { team: 'core' } },
    emptyHistory: [{ beforeLayer: 1, createdBy: 'ENV A=1' }],
  });
  const amd = await buildImage({
    layers: [{ files: [{ path: 'arch', content: 'amd64' }] }],
    platform: { os: 'linux', architecture: 'amd64' },
  });
  const arm = await buildImage({
    layers: [{ files: [{ path: 'arch', content: 'arm64' }] }],
    platform: { os: 'linux', architecture: 'arm64' },
  });
  return { app, amd, arm };
}

test('oci-dir: selects by ref name, describes, and streams verified layers', async (t) => {
  const dir = join(await tempDir(t, 'assay-oci-'), 'myapp');
  const { app, amd, arm } = await twoImages();
  await writeOciLayout(dir, [
    { tag: '1.0', images: [app] },
    { tag: 'multi', images: [amd, arm] },
  ]);
  const src = await openOciLayout(`oci-dir:${dir}:1.0`, `${dir}:1.0`);
  const d = await src.describe();
  assert.equal(src.kind, 'oci-dir');
  assert.equal(d.imageId, app.config.digest);
  assert.equal(d.manifestDigest, app.manifest.digest);
  assert.deepEqual([d.registry, d.repository, d.tag], ['', 'myapp', '1.0']);
  assert.deepEqual(d.labels, { team: 'core' });
  assert.deepEqual(
    d.layers.map((l) => [l.digest, l.diffId, l.createdBy]),
    [
      [app.layers[0]!.digest, app.layers[0]!.diffId, 'COPY layer0 /'],
      [app.layers[1]!.digest, app.layers[1]!.diffId, 'COPY run /app/'],
    ],
  );
  assert.equal(d.history.filter((h) => h.emptyLayer).length, 1);
  assert.deepEqual(await readLayer(src, 1), app.layers[1]!.data);
  await src.close();
});

test('oci-dir: multi-platform entries follow --platform, default host, and list what exists', async (t) => {
  const dir = await tempDir(t, 'assay-oci-');
  const { app, amd, arm } = await twoImages();
  await writeOciLayout(dir, [
    { tag: '1.0', images: [app] },
    { tag: 'multi', images: [amd, arm] },
  ]);
  const armSrc = await openOciLayout('oci-dir:x', dir, {
    tag: 'multi',
    platform: { os: 'linux', architecture: 'arm64' },
  });
  assert.equal((await armSrc.describe()).imageId, arm.config.digest);
  const host = hostPlatform().architecture;
  if (host === 'amd64' || host === 'arm64') {
    const hostSrc = await openOciLayout('oci-dir:x', `${dir}:multi`);
    assert.equal((await hostSrc.describe()).platform.architecture, host);
  }
  await assert.rejects(
    openOciLayout('oci-dir:x', `${dir}:multi`, { platform: { os: 'linux', architecture: 's390x' } }),
    assayError('platform-not-found', /linux\/amd64, linux\/arm64/),
  );
  await assert.rejects(
    openOciLayout('oci-dir:x', `${dir}:1.0`, { platform: { os: 'linux', architecture: 'arm64' } }),
    assayError('platform-not-found'),
  );
});

test('oci-dir: ambiguous or unknown names list the available ones', async (t) => {
  const dir = await tempDir(t, 'assay-oci-');
  const { app, amd } = await twoImages();
  await writeOciLayout(dir, [
    { tag: '1.0', images: [app] },
    { tag: '2.0', images: [amd] },
  ]);
  await assert.rejects(openOciLayout('oci-dir:x', dir), assayError('usage', /1\.0, 2\.0/));
  await assert.rejects(
    openOciLayout('oci-dir:x', `${dir}:3.0`),
    assayError('not-found', /"3\.0".*1\.0, 2\.0/),
  );
});

test('oci-dir: a path that itself contains ":" is taken whole when it exists', async (t) => {
  const dir = join(await tempDir(t, 'assay-oci-'), 'lay:out');
  const { app } = await twoImages();
  await writeOciLayout(dir, [{ tag: 'v1', images: [app] }]);
  assert.equal((await (await openOciLayout('oci-dir:x', dir)).describe()).tag, 'v1');
  assert.equal((await (await openOciLayout('oci-dir:x', `${dir}:v1`)).describe()).imageId, app.config.digest);
});

test('oci-dir: missing blobs, tampered blobs and bad index.json fail clearly', async (t) => {
  const root = await tempDir(t, 'assay-oci-');
  const { app } = await twoImages();
  const fresh = async (name: string) => {
    const dir = join(root, name);
    await writeOciLayout(dir, [{ tag: 'v1', images: [app] }]);
    return dir;
  };
  let dir = await fresh('missing-layer');
  await unlink(join(dir, blobPath(app.layers[0]!.digest)));
  const src = await openOciLayout('oci-dir:m', dir);
  await assert.rejects(
    readLayer(src, 0),
    assayError('not-found', app.layers[0]!.digest, blobPath(app.layers[0]!.digest)),
  );
  dir = await fresh('missing-config');
  await unlink(join(dir, blobPath(app.config.digest)));
  await assert.rejects(openOciLayout('oci-dir:m', dir), assayError('not-found', app.config.digest));
  dir = await fresh('tampered-config');
  const cfg = join(dir, blobPath(app.config.digest));
  await writeFile(cfg, (await readFile(cfg)).toString().replace('core', 'evil'));
  await assert.rejects(openOciLayout('oci-dir:m', dir), assayError('digest-mismatch'));
  dir = await fresh('tampered-layer');
  const layer = join(dir, blobPath(app.layers[1]!.digest));
  const bytes = await readFile(layer);
  bytes[bytes.length - 5]! ^= 0xff;
  await writeFile(layer, bytes);
  await assert.rejects(readLayer(await openOciLayout('oci-dir:m', dir), 1), assayError('digest-mismatch'));
  dir = await fresh('bad-index');
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: 'nope' }));
  await assert.rejects(
    openOciLayout('oci-dir:m', dir),
    assayError('not-an-image', /index\.json is malformed/),
  );
  await writeFile(join(dir, 'index.json'), '{not json');
  await assert.rejects(openOciLayout('oci-dir:m', dir), assayError('not-an-image'));
  await unlink(join(dir, 'oci-layout'));
  await assert.rejects(openOciLayout('oci-dir:m', dir), assayError('not-an-image', /oci-layout/));
  await assert.rejects(openOciLayout('oci-dir:m', join(root, 'absent')), assayError('not-found'));
});

test('oci-dir: an artifact manifest is not an image', async (t) => {
  const dir = await tempDir(t, 'assay-oci-');
  const { app } = await twoImages();
  await writeOciLayout(dir, [{ tag: 'v1', images: [app] }]);
  const manifest = JSON.parse(app.manifest.data.toString());
  manifest.config.mediaType = 'application/vnd.cncf.helm.config.v1+json';
  const data = Buffer.from(JSON.stringify(manifest));
  const digest = sha256Digest(data);
  await writeFile(join(dir, blobPath(digest)), data);
  const index = {
    schemaVersion: 2,
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: data.length }],
  };
  await writeFile(join(dir, 'index.json'), JSON.stringify(index));
  await assert.rejects(openOciLayout('oci-dir:a', dir), assayError('not-an-image', /artifact/));
});

test('oci-dir: a layout made by umoci', async (t) => {
  const root = await tempDir(t, 'assay-oci-');
  const layout = join(root, 'tool-made');
  const rootfs = join(root, 'content');
  await mkdir(join(rootfs, 'etc'), { recursive: true });
  await writeFile(join(rootfs, 'etc', 'os-release'), 'ID=umoci\n');
  const umoci = (...args: string[]) => execFileSync('umoci', args, { stdio: 'pipe' });
  umoci('init', '--layout', layout);
  umoci('new', '--image', `${layout}:2.1`);
  umoci('insert', '--image', `${layout}:2.1`, join(rootfs, 'etc'), '/etc');
  umoci('config', '--image', `${layout}:2.1`, '--config.label', 'made.by=umoci');
  const src = await openOciLayout(`oci-dir:${layout}:2.1`, `${layout}:2.1`);
  const d = await src.describe();
  assert.deepEqual(
    [d.repository, d.tag, d.labels['made.by'], d.layers.length],
    ['tool-made', '2.1', 'umoci', 1],
  );
  assert.equal(d.layers[0]!.mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip');
  assert.ok((await readLayer(src, 0)).length === d.layers[0]!.size);
});
