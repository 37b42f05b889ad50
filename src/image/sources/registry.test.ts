/**
 * `registry:REF` against a real distribution 2.8 registry (anonymous mode; the auth modes are
 * in ../registry/auth.test.ts): OCI and Docker schema 2 images, an index with platform
 * selection, pulls by digest, 404s, a corrupted blob in the registry's storage, aborts.
 */
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { isAssayError } from '../../model/errors.js';
import { type BuiltImage, buildImage, buildIndex, MT } from '../../test-support/oci-image.js';
import { startRegistry, type TestRegistry } from '../../test-support/registry.js';
import { hostPlatform, normalizePlatform } from '../platform.js';
import { parseReference } from '../reference.js';
import type { ImageSource, Platform } from '../types.js';
import { openRegistrySource, type RegistryOptions } from './registry.js';

let registry: TestRegistry;
let app: BuiltImage;
const platforms: Platform[] = [
  hostPlatform(),
  { os: 'linux', architecture: 'arm64' },
  { os: 'linux', architecture: 'arm', variant: 'v7' },
];
let multi: BuiltImage[];

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks);
}

function open(ref: string, opts: RegistryOptions = {}): ImageSource {
  const source = openRegistrySource(`registry:${ref}`, parseReference(ref), opts);
  after(() => source.close());
  return source;
}

/** Platform-unique content, so blobs (shared across repos in storage) are not shared here. */
function image(name: string, platform?: Platform): Promise<BuiltImage> {
  return buildImage({
    layers: [
      { files: [{ path: 'etc/os-release', content: `ID=${name}\n` }], createdBy: `ADD ${name} /` },
      {
        files: [{ path: 'usr/bin/tool', content: `${name}-tool`.repeat(100), mode: 0o755 }],
        compression: 'none',
      },
    ],
    emptyHistory: [{ beforeLayer: 1, createdBy: 'ENV A=1' }],
    config: { Labels: { name } },
    ...(platform ? { platform } : {}),
  });
}

before(async () => {
  registry = await startRegistry({ auth: 'anonymous' });
  app = await image('app');
  multi = await Promise.all(platforms.map((p) => image(`multi-${p.architecture}`, p)));
  await registry.push(app, 'team/app', '1.0');
  await registry.push(app, 'team/app-docker', '1.0', { format: 'docker' });
  await registry.push(multi, 'multi', 'latest');
});
after(() => registry?.stop());

describe('single-platform images', () => {
  test('OCI: describe fills identity, layers and history; layers stream byte-exact', async () => {
    const source = open(`${registry.host}/team/app:1.0`);
    const d = await source.describe();
    assert.equal(d.source, 'registry');
    assert.equal(d.repoDigest, `${registry.host}/team/app@${app.manifest.digest}`);
    assert.equal(d.manifestDigest, app.manifest.digest);
    assert.equal(d.imageId, app.config.digest);
    assert.deepEqual(d.labels, { name: 'app' });
    assert.deepEqual(
      d.layers.map((l) => [l.digest, l.diffId, l.size, l.mediaType, l.createdBy]),
      [
        [
          app.layers[0]!.digest,
          app.layers[0]!.diffId,
          app.layers[0]!.data.length,
          MT.ociLayerGzip,
          'ADD app /',
        ],
        [
          app.layers[1]!.digest,
          app.layers[1]!.diffId,
          app.layers[1]!.data.length,
          MT.ociLayer,
          'COPY layer1 /',
        ],
      ],
    );
    assert.deepEqual(
      d.history.map((h) => h.emptyLayer),
      [false, true, false],
    );
    const blobs = await Promise.all(d.layers.map(async (l) => readAll(await source.openLayer(l))));
    assert.deepEqual(
      blobs,
      app.layers.map((l) => l.data),
    );
  });

  test('Docker schema 2 media types (pushed with skopeo --format v2s2)', async () => {
    const source = open(`${registry.host}/team/app-docker:1.0`);
    const d = await source.describe();
    assert.notEqual(d.manifestDigest, app.manifest.digest, 'skopeo rewrote the manifest');
    assert.equal(d.repoDigest, `${registry.host}/team/app-docker@${d.manifestDigest}`);
    assert.deepEqual(
      d.layers.map((l) => l.mediaType),
      [MT.dockerLayerGzip, 'application/vnd.docker.image.rootfs.diff.tar'],
    );
    const blobs = await Promise.all(d.layers.map(async (l) => readAll(await source.openLayer(l))));
    assert.deepEqual(
      blobs,
      app.layers.map((l) => l.data),
    );
  });

  test('by digest: repoDigest is the requested digest', async () => {
    const d = await open(`${registry.host}/team/app@${app.manifest.digest}`).describe();
    assert.equal(d.repoDigest, `${registry.host}/team/app@${app.manifest.digest}`);
    assert.equal(d.tag, undefined);
  });
});

describe('an index with several platforms', () => {
  const indexDigest = () => buildIndex(multi).digest;

  test('default: the host platform; repoDigest is the index, manifestDigest the image', async () => {
    const d = await open(`${registry.host}/multi`).describe();
    assert.deepEqual(d.platform, normalizePlatform(hostPlatform()));
    assert.equal(d.manifestDigest, multi[0]!.manifest.digest);
    assert.equal(d.repoDigest, `${registry.host}/multi@${indexDigest()}`);
  });

  test('--platform picks another entry, also by index digest', async () => {
    const d = await open(`${registry.host}/multi@${indexDigest()}`, {
      platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
    }).describe();
    assert.equal(d.manifestDigest, multi[2]!.manifest.digest);
    assert.deepEqual(d.labels, { name: 'multi-arm' });
  });

  test('a platform the index lacks → platform-not-found listing what it has', async () => {
    await assert.rejects(
      open(`${registry.host}/multi`, { platform: { os: 'linux', architecture: 's390x' } }).describe(),
      (e) => {
        assert.ok(isAssayError(e, 'platform-not-found'));
        assert.match(e.message, new RegExp(`^${registry.host}/multi:latest \\(index sha256:`));
        assert.match(
          e.message,
          /no image for platform linux\/s390x; available: .*linux\/arm64, linux\/arm\/v7\. Pick one with --platform/,
        );
        return true;
      },
    );
  });
});

describe('failures name the image and what is missing or wrong', () => {
  test('missing repository, tag, manifest digest and blob → not-found', async () => {
    const missing: [string, RegExp][] = [
      [
        `${registry.host}/nope:1`,
        /nope:1: manifest 1: tag "1" not found in repository nope, or the repository does not exist \(MANIFEST_UNKNOWN/,
      ],
      [
        `${registry.host}/team/app:2.0`,
        /team\/app:2\.0: manifest 2\.0: tag "2\.0" not found in repository team\/app/,
      ],
      [`${registry.host}/team/app@sha256:${'0'.repeat(64)}`, /no such manifest in repository team\/app/],
    ];
    for (const [ref, message] of missing) {
      await assert.rejects(
        open(ref).describe(),
        (e) => isAssayError(e, 'not-found') && message.test(e.message),
      );
    }
    const source = open(`${registry.host}/team/app:1.0`);
    const layer = {
      index: 7,
      digest: `sha256:${'1'.repeat(64)}`,
      diffId: '',
      size: 1,
      mediaType: MT.ociLayerGzip,
    };
    await assert.rejects(source.openLayer(layer), (e) => {
      assert.ok(isAssayError(e, 'not-found'));
      assert.match(
        e.message,
        /team\/app:1\.0: layer 7 \(sha256:1{64}\): blob missing from repository team\/app \(BLOB_UNKNOWN/,
      );
      return true;
    });
  });

  test('a corrupted blob in the registry storage → digest-mismatch naming the layer or config', async () => {
    const victim = await image('victim');
    await registry.push(victim, 'victim', '1');
    await registry.corruptBlob(victim.layers[1]!.digest);
    const source = open(`${registry.host}/victim:1`);
    const d = await source.describe();
    await assert.rejects(readAll(await source.openLayer(d.layers[1]!)), (e) => {
      assert.ok(isAssayError(e, 'digest-mismatch'));
      assert.match(
        e.message,
        new RegExp(
          `^${registry.host}/victim:1: layer 1 \\(${victim.layers[1]!.digest}\\): content digest sha256:`,
        ),
      );
      return true;
    });
    await registry.corruptBlob(victim.config.digest);
    await assert.rejects(open(`${registry.host}/victim:1`).describe(), (e) => {
      return (
        isAssayError(e, 'digest-mismatch') && e.message.includes(`victim:1: config ${victim.config.digest}`)
      );
    });
  });

  test('AbortSignal: before describe, and in the middle of a layer', async () => {
    const source = open(`${registry.host}/team/app:1.0`);
    await assert.rejects(source.describe(AbortSignal.abort()), (e) => isAssayError(e, 'aborted'));
    const d = await source.describe();
    const controller = new AbortController();
    const stream = await source.openLayer(d.layers[1]!, controller.signal);
    controller.abort();
    await assert.rejects(readAll(stream), (e) => isAssayError(e, 'aborted') && e.message.includes('layer 1'));
  });
});

test('the harness: stop() kills the registry and removes its storage', async () => {
  const r = await startRegistry();
  await r.stop();
  await assert.rejects(access(r.storageDir));
  await assert.rejects(fetch(`${r.url}/v2/`));
});
