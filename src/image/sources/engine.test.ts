import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadCassette, startReplayEngine } from '../../test-support/engine.js';
import { assayError, readLayers, tempDir } from '../../test-support/source-testkit.js';
import { engineSocket, openEngine } from './engine.js';

const FIXTURE = 'localhost/assay/fixture:1.0';
const FIXTURE_ID = 'sha256:086829d8e519a9c410d59c85693f313589707e10ae7f7a7d02cc0d3028b82c47';

test('engine replay (podman 4.3.1 recording): inspect, export, spool, verified layers', async (t) => {
  const dir = await tempDir(t, 'assay-engine-');
  const engine = await startReplayEngine(join(dir, 'podman.sock'), await loadCassette('podman-4.3.1'));
  t.after(() => engine.close());
  const spoolDir = join(dir, 'spool');
  const src = await openEngine(`podman:${FIXTURE}`, FIXTURE, {
    flavor: 'podman',
    host: `unix://${engine.socketPath}`,
    spoolDir,
  });
  const d = await src.describe();
  assert.deepEqual(
    [src.kind, d.source, d.imageId, d.registry, d.repository, d.tag],
    ['engine', 'engine', FIXTURE_ID, 'localhost', 'assay/fixture', '1.0'],
  );
  assert.equal(
    d.repoDigest,
    'localhost/assay/fixture@sha256:265edcb4fcffcc8218a37bd67d29e1ac6e86c710327e0addcec65c3dcef24647',
  );
  assert.equal(d.labels['org.opencontainers.image.title'], 'assay-engine-fixture');
  assert.deepEqual(
    (await readLayers(src)).map((b) => b.length),
    [1032, 1554],
  );
  assert.deepEqual(engine.requests, [
    '/_ping',
    `/v1.41/images/${FIXTURE}/json`,
    `/v1.41/images/${FIXTURE}/get`,
  ]);
  assert.equal((await readdir(spoolDir)).length, 1);
  await src.close();
  assert.deepEqual(await readdir(spoolDir), []);
});

test('engine replay (Docker payloads per the Engine API docs): DOCKER_HOST, version negotiation, naming', async (t) => {
  const dir = await tempDir(t, 'assay-engine-');
  const engine = await startReplayEngine(join(dir, 'docker.sock'), await loadCassette('docker-27.3.1'));
  t.after(() => engine.close());
  const env = { DOCKER_HOST: `unix://${engine.socketPath}` };
  const src = await openEngine('docker:assay/fixture:1.0', 'assay/fixture:1.0', {
    flavor: 'docker',
    env,
    spoolDir: join(dir, 'spool'),
  });
  const d = await src.describe();
  assert.deepEqual(
    [d.registry, d.repository, d.tag, d.imageId],
    ['docker.io', 'assay/fixture', '1.0', FIXTURE_ID],
  );
  assert.equal(
    d.repoDigest,
    'docker.io/assay/fixture@sha256:265edcb4fcffcc8218a37bd67d29e1ac6e86c710327e0addcec65c3dcef24647',
  );
  assert.ok(
    engine.requests.includes('/v1.47/images/assay/fixture:1.0/get'),
    'speaks the version the engine announced',
  );
  await src.close();
  await assert.rejects(
    openEngine('docker:assay/missing:1', 'assay/missing:1', { flavor: 'docker', env, spoolDir: dir }),
    assayError('not-found', /not in the local docker engine/),
  );
  await assert.rejects(
    openEngine('docker:x', 'assay/fixture:1.0', {
      flavor: 'docker',
      env,
      spoolDir: dir,
      platform: { os: 'linux', architecture: 'arm64' },
    }),
    assayError('platform-not-found'),
  );
  await assert.rejects(
    openEngine('docker:BAD NAME', 'BAD NAME', { flavor: 'docker', env, spoolDir: dir }),
    assayError('invalid-reference'),
  );
});

test('engine replay faults: hang → timeout, cut export → corrupt-archive, dropped export → engine; spool cleaned', async (t) => {
  const dir = await tempDir(t, 'assay-engine-');
  const cassette = await loadCassette('podman-4.3.1');
  const spoolDir = join(dir, 'spool');
  await mkdir(spoolDir);
  const cases = [
    { fault: 'hang', path: `/v1.41/images/${FIXTURE}/json`, code: 'timeout' },
    { fault: 'hang', path: `/v1.41/images/${FIXTURE}/get`, code: 'timeout' },
    { fault: 'truncate', path: `/v1.41/images/${FIXTURE}/get`, code: 'corrupt-archive' },
    { fault: 'reset', path: `/v1.41/images/${FIXTURE}/get`, code: 'engine' },
  ] as const;
  for (const [i, c] of cases.entries()) {
    const engine = await startReplayEngine(join(dir, `f${i}.sock`), cassette, { [c.path]: c.fault });
    t.after(() => engine.close());
    const opts = {
      flavor: 'podman',
      host: engine.socketPath,
      spoolDir,
      timeoutMs: 300,
      exportTimeoutMs: 300,
    } as const;
    await assert.rejects(
      openEngine(`podman:${FIXTURE}`, FIXTURE, opts),
      assayError(c.code),
      `${c.fault} ${c.path}`,
    );
    assert.deepEqual(await readdir(spoolDir), []);
  }
});

test('engine address rules and unreachable sockets', async (t) => {
  const dir = await tempDir(t, 'assay-engine-');
  assert.equal(engineSocket('docker', undefined, {}), '/var/run/docker.sock');
  assert.equal(engineSocket('docker', undefined, { DOCKER_HOST: 'unix:///tmp/d.sock' }), '/tmp/d.sock');
  assert.equal(engineSocket('podman', undefined, { CONTAINER_HOST: 'unix:///tmp/p.sock' }), '/tmp/p.sock');
  if (process.getuid?.() === 0)
    assert.equal(
      engineSocket('podman', undefined, { XDG_RUNTIME_DIR: '/run/user/0' }),
      '/run/podman/podman.sock',
    );
  else
    assert.equal(
      engineSocket('podman', undefined, { XDG_RUNTIME_DIR: '/run/user/9' }),
      '/run/user/9/podman/podman.sock',
    );
  assert.throws(
    () => engineSocket('docker', undefined, { DOCKER_HOST: 'tcp://10.0.0.1:2376' }),
    assayError('engine', /tcp:\/\/ is not supported yet/),
  );
  const missing = join(dir, 'absent.sock');
  await assert.rejects(
    openEngine('docker:alpine', 'alpine', { flavor: 'docker', host: `unix://${missing}`, spoolDir: dir }),
    assayError('engine', missing, /DOCKER_HOST/),
  );
  await writeFile(join(dir, 'plain-file.sock'), '');
  await assert.rejects(
    openEngine('podman:alpine', 'alpine', {
      flavor: 'podman',
      host: join(dir, 'plain-file.sock'),
      spoolDir: dir,
    }),
    assayError('engine', /podman system service/),
  );
});
