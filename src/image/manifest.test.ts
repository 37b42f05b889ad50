import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAssayError } from '../model/errors.js';
import { describeImage, MEDIA_TYPES, parseImageConfig, parseManifest } from './manifest.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

test('recognises image manifests and indexes, with or without mediaType', () => {
  const manifest = { schemaVersion: 2, config: { mediaType: 'x', digest: digest('a'), size: 1 }, layers: [] };
  assert.equal(parseManifest(json(manifest), undefined, 'm').kind, 'image');
  assert.equal(
    parseManifest(json({ ...manifest, mediaType: MEDIA_TYPES.dockerManifest }), undefined, 'm').kind,
    'image',
  );
  assert.equal(parseManifest(json({ schemaVersion: 2, manifests: [] }), undefined, 'i').kind, 'index');
  assert.equal(
    parseManifest(json({ schemaVersion: 2, manifests: [] }), MEDIA_TYPES.dockerList, 'i').kind,
    'index',
  );
});

test('rejects schema 1, artifacts, bad JSON and wrong shapes with the path of the problem', () => {
  const check = (data: Buffer, code: string, re: RegExp, hint?: string) =>
    assert.throws(
      () => parseManifest(data, hint, 'registry:x'),
      (e: unknown) => isAssayError(e) && e.code === code && re.test(e.message),
    );
  check(json({ schemaVersion: 1, fsLayers: [] }), 'unsupported-media-type', /schema 1/);
  check(
    json({ schemaVersion: 2, mediaType: 'application/vnd.cncf.helm.config.v1+json' }),
    'not-an-image',
    /not an image manifest/,
  );
  check(Buffer.from('{"schemaVersion": 2,'), 'not-an-image', /not valid JSON/);
  check(
    json({ schemaVersion: 2, config: { digest: 'sha256:zz', size: 1, mediaType: 'x' }, layers: [] }),
    'not-an-image',
    /at config\.digest/,
  );
  check(
    json({ schemaVersion: 2, config: { digest: digest('a'), size: -1, mediaType: 'x' }, layers: [] }),
    'not-an-image',
    /at config\.size/,
  );
});

test('maps history to layers, skipping empty_layer entries', () => {
  const config = parseImageConfig(
    json({
      architecture: 'amd64',
      os: 'linux',
      config: { User: 'app', Labels: { a: 'b' } },
      rootfs: { type: 'layers', diff_ids: [digest('1'), digest('2')] },
      history: [
        { created_by: 'ADD rootfs.tar /' },
        { created_by: 'ENV X=1', empty_layer: true },
        { created_by: 'RUN apt-get install -y curl' },
        { created_by: 'CMD ["sh"]', empty_layer: true },
      ],
    }),
    'config',
  );
  const desc = describeImage({
    input: 'oci-dir:x',
    source: 'oci-dir',
    registry: '',
    repository: 'x',
    configDigest: digest('c'),
    config,
    layerBlobs: [
      { digest: digest('a'), size: 10, mediaType: 'tar+gzip' },
      { digest: digest('b'), size: 20, mediaType: 'tar+gzip' },
    ],
  });
  assert.deepEqual(
    desc.layers.map((l) => [l.index, l.diffId, l.createdBy]),
    [
      [0, digest('1'), 'ADD rootfs.tar /'],
      [1, digest('2'), 'RUN apt-get install -y curl'],
    ],
  );
  assert.deepEqual(
    desc.history.map((h) => h.layerIndex),
    [0, undefined, 1, undefined],
  );
  assert.equal(desc.size, 30);
  assert.deepEqual(desc.labels, { a: 'b' });
  assert.equal(desc.config.User, 'app');
});

test('a manifest and config that disagree on the layer count is not an image', () => {
  const config = parseImageConfig(
    json({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [digest('1')] } }),
    'c',
  );
  assert.throws(
    () =>
      describeImage({
        input: 'x',
        source: 'oci-dir',
        registry: '',
        repository: 'x',
        configDigest: digest('c'),
        config,
        layerBlobs: [],
      }),
    /lists 0 layers but the config has 1 diff_ids/,
  );
});
