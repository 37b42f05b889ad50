/**
 * End to end: the `assay` command as users run it (a child process), against real images
 * written by the test-support OCI writer and a real docker-registry.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type BuiltImage, buildImage, dockerArchiveTar, writeOciLayout } from '../test-support/oci-image.js';
import { startRegistry, type TestRegistry } from '../test-support/registry.js';
import { type CliRun, runAssay } from './testing/run-cli.js';

function assay(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runAssay(args, { HOME: home, ...env });
}

let home: string;
let work: string;
let image: BuiltImage;

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'assay-cli-home-'));
  work = await mkdtemp(join(tmpdir(), 'assay-cli-'));
  image = await buildImage({
    config: { User: 'app', Labels: { 'org.opencontainers.image.title': 'demo' } },
    emptyHistory: [{ beforeLayer: 1, createdBy: 'ENV MODE=prod' }],
    layers: [
      {
        createdBy: 'ADD rootfs.tar /',
        files: [
          { path: 'etc/', type: 'dir' },
          { path: 'etc/os-release', content: 'ID=demo\n' },
          { path: 'usr/bin/which', content: '#!/bin/sh\n', mode: 0o755 },
          { path: 'tmp/secret.txt', content: 'x' },
        ],
      },
      {
        createdBy: 'RUN rm /tmp/secret.txt && ln -s os-release /etc/alias',
        compression: 'zstd',
        files: [
          { path: 'tmp/.wh.secret.txt' },
          { path: 'etc/alias', type: 'symlink', linkname: 'os-release' },
        ],
      },
    ],
  });
  await writeOciLayout(join(work, 'layout'), [{ tag: 'v1', images: [image] }]);
  await writeFile(join(work, 'saved.tar'), await dockerArchiveTar(image, ['demo/app:1.0']));
});

after(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

describe('help and usage', () => {
  test('--help teaches the source syntax; every command has help', async () => {
    const r = await assay(['--help']);
    assert.equal(r.code, 0);
    for (const s of [
      'registry:REF',
      'docker-archive:PATH',
      'oci-dir:PATH[:TAG]',
      'dir:PATH',
      'image',
      'cache',
      'version',
    ]) {
      assert.ok(r.stdout.includes(s), `help mentions ${s}`);
    }
    for (const cmd of [['image', 'inspect'], ['image', 'files'], ['cache', 'clean'], ['version']]) {
      const h = await assay([...cmd, '--help']);
      assert.equal(h.code, 0, cmd.join(' '));
      assert.match(h.stdout, /Usage: assay/);
    }
  });

  test('version prints the package version', async () => {
    const r = await assay(['version', '--format', 'json']);
    assert.equal(r.code, 0);
    assert.match(JSON.parse(r.stdout).version, /^\d+\.\d+\.\d+/);
  });

  test('usage errors exit 2 with a message on stderr and nothing on stdout', async () => {
    for (const args of [
      ['image', 'inspect'],
      ['image', 'inspect', 'x', '--bogus'],
      ['image', 'files', `oci-dir:${work}/layout:v1`, '--layer', '-1'],
      ['image', 'inspect', 'Bad:Name'],
    ]) {
      const r = await assay(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stdout, '');
      assert.notEqual(r.stderr, '');
    }
  });
});

describe('image inspect', () => {
  test('prints identity, config and layers with their build commands', async () => {
    const r = await assay(['image', 'inspect', `oci-dir:${work}/layout:v1`, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.imageId, image.config.digest);
    assert.equal(doc.manifestDigest, image.manifest.digest);
    assert.equal(doc.tag, 'v1');
    assert.equal(doc.config.user, 'app');
    assert.deepEqual(doc.labels, { 'org.opencontainers.image.title': 'demo' });
    assert.deepEqual(
      doc.layers.map((l: { diffId: string; createdBy: string }) => [l.diffId, l.createdBy]),
      image.layers.map((l, i) => [
        l.diffId,
        i === 0 ? 'ADD rootfs.tar /' : 'RUN rm /tmp/secret.txt && ln -s os-release /etc/alias',
      ]),
    );
    assert.deepEqual(
      doc.history.map((h: { emptyLayer: boolean }) => h.emptyLayer),
      [false, true, false],
    );
  });

  test('--platform must match a single-platform image', async () => {
    const r = await assay(['image', 'inspect', `oci-dir:${work}/layout:v1`, '--platform', 'linux/arm64']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /linux\/amd64.*linux\/arm64/);
    const ok = await assay(['image', 'inspect', `oci-dir:${work}/layout:v1`, '--platform', 'linux/amd64']);
    assert.equal(ok.code, 0, ok.stderr);
  });

  test('several sources: a failing one is reported, the others printed, exit 2', async () => {
    const r = await assay([
      'image',
      'inspect',
      `oci-dir:${work}/layout:v1`,
      `docker-archive:${work}/missing.tar`,
      `docker-archive:${work}/saved.tar`,
      '--format',
      'json',
    ]);
    assert.equal(r.code, 2);
    const docs = JSON.parse(r.stdout);
    assert.equal(docs.length, 2);
    assert.equal(docs[1].repository, 'demo/app');
    assert.equal(docs[1].registry, 'docker.io');
    assert.equal(docs[1].imageId, image.config.digest);
    assert.match(r.stderr, /missing\.tar/);
  });
});

describe('image files', () => {
  test('lists the final tree with whiteouts applied and the layer that wrote each path', async () => {
    const r = await assay(['image', 'files', `oci-dir:${work}/layout:v1`, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const byPath = new Map(rows.map((x: { path: string; layer: number }) => [x.path, x]));
    assert.equal(byPath.has('tmp/secret.txt'), false, 'deleted by a whiteout');
    assert.equal(byPath.get('usr/bin/which')?.layer, 0, '"which" is not a whiteout');
    assert.deepEqual(byPath.get('etc/alias'), {
      path: 'etc/alias',
      type: 'symlink',
      size: 0,
      mode: 0o777,
      layer: 1,
      linkname: 'os-release',
    });
  });

  test("--layer N shows that layer's own changes, deletions included", async () => {
    const r = await assay(['image', 'files', `oci-dir:${work}/layout:v1`, '--layer', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\/tmp\/secret\.txt \(deleted\)/);
    assert.match(r.stdout, /^lrwxrwxrwx +0 L1\t\/etc\/alias -> os-release$/m);
    const bad = await assay(['image', 'files', `oci-dir:${work}/layout:v1`, '--layer', '7']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /has 2 layers/);
  });

  test('a warm layer cache serves layers without reading their blobs; --no-cache reads them', async () => {
    const cacheDir = join(work, 'cache');
    const dir = join(work, 'layout-cached');
    await writeOciLayout(dir, [{ tag: 'v1', images: [image] }]);
    const first = await assay(['image', 'files', `oci-dir:${dir}:v1`, '--cache-dir', cacheDir]);
    assert.equal(first.code, 0, first.stderr);
    await rm(join(dir, 'blobs', 'sha256', image.layers[1]!.digest.slice(7)));
    const warm = await assay(['image', 'files', `oci-dir:${dir}:v1`], { ASSAY_CACHE_DIR: cacheDir });
    assert.equal(warm.code, 0, warm.stderr);
    assert.equal(warm.stdout, first.stdout);
    const cold = await assay(['image', 'files', `oci-dir:${dir}:v1`, '--cache-dir', cacheDir, '--no-cache']);
    assert.equal(cold.code, 2);
    assert.match(cold.stderr, /layer 1/);
    const info = await assay(['cache', 'info', '--cache-dir', cacheDir, '--format', 'json']);
    assert.equal(JSON.parse(info.stdout).entries, 2);
    const clean = await assay(['cache', 'clean', '--cache-dir', cacheDir]);
    assert.equal(clean.code, 0);
    assert.match(clean.stderr, /removed 2 entries/);
  });

  test('a corrupt layer fails the image with an error naming the layer, and writes nothing outside the cache', async () => {
    const dir = join(work, 'layout-corrupt');
    await writeOciLayout(dir, [{ tag: 'v1', images: [image] }]);
    const blob = join(dir, 'blobs', 'sha256', image.layers[0]!.digest.slice(7));
    await writeFile(blob, image.layers[0]!.data.subarray(0, image.layers[0]!.data.length - 8));
    const cacheDir = join(work, 'cache-corrupt');
    const before = await readdir(work);
    const emptyHome = await mkdtemp(join(work, 'home-'));
    before.push(emptyHome.split('/').at(-1)!);
    const r = await assay(['image', 'files', `oci-dir:${dir}:v1`, '--cache-dir', cacheDir], {
      HOME: emptyHome,
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /layer 0/);
    const added = (await readdir(work)).filter((n) => !before.includes(n));
    assert.ok(
      added.every((n) => n === 'cache-corrupt'),
      `nothing but the cache dir was created: ${added.join(', ')}`,
    );
    assert.deepEqual(await readdir(emptyHome), [], 'nothing written to HOME');
  });
});

describe('registry sources through the CLI', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startRegistry({ auth: 'basic' });
    await registry.push(image, 'team/app', '1.0');
  });
  after(() => registry.stop());

  test('credentials from the environment; repo digest reported', async () => {
    const ref = `registry:${registry.host}/team/app:1.0`;
    const r = await assay(['image', 'inspect', ref, '--format', 'json'], {
      ASSAY_USERNAME: registry.username,
      ASSAY_PASSWORD: registry.password,
    });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.registry, registry.host);
    assert.equal(doc.repository, 'team/app');
    assert.equal(doc.repoDigest, `${registry.host}/team/app@${image.manifest.digest}`);
    const files = await assay(['image', 'files', ref, '--username', registry.username], {
      ASSAY_PASSWORD: registry.password,
    });
    assert.equal(files.code, 0, files.stderr);
    assert.match(files.stdout, /\/etc\/os-release/);
  });

  test('a bare name falls back to the registry when no engine answers', async () => {
    const r = await assay(['image', 'inspect', `${registry.host}/team/app:1.0`, '--format', 'json'], {
      DOCKER_HOST: `unix://${work}/no-engine.sock`,
      ASSAY_USERNAME: registry.username,
      ASSAY_PASSWORD: registry.password,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).source, 'registry');
  });

  test('wrong credentials: exit 2 and a message that says how to log in, without the password', async () => {
    const r = await assay(['image', 'inspect', `registry:${registry.host}/team/app:1.0`], {
      ASSAY_USERNAME: registry.username,
      ASSAY_PASSWORD: 'wrong-pass-123',
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unauthori[sz]ed|credentials/i);
    assert.doesNotMatch(r.stderr, /wrong-pass-123/);
  });
});
