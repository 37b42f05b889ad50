/**
 * The engine source against a real `podman system service` (Docker-compatible API) in a
 * private vfs storage root. Skipped, with podman's own reason, only when the service cannot
 * start on this machine; the replayed-payload tests in engine.test.ts always run.
 */
import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { test } from 'node:test';
import { engineLoad, startPodmanService } from '../../test-support/engine.js';
import { buildImage, dockerArchiveTar } from '../../test-support/oci-image.js';
import { assayError, readLayers, tempDir } from '../../test-support/source-testkit.js';
import { openDockerArchive } from './docker-archive.js';
import { openEngine } from './engine.js';

/** GET /images/get?names=…&names=… — Podman's real multi-image `docker save` output. */
function exportMany(socketPath: string, names: string[], file: string): Promise<void> {
  const query = names.map((n) => `names=${encodeURIComponent(n)}`).join('&');
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: `/v1.41/images/get?${query}` }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`export: HTTP ${res.statusCode}`));
      else pipeline(res, createWriteStream(file)).then(resolve, reject);
    });
    req.on('error', reject);
    req.end();
  });
}

test('live podman system service: podman: and docker: (DOCKER_HOST) read loaded images', async (t) => {
  const dir = await tempDir(t, 'assay-podman-');
  const service = await startPodmanService(join(dir, 'podman'));
  if ('unavailable' in service) {
    t.diagnostic(`live podman part skipped: ${service.unavailable}`);
    t.skip(service.unavailable);
    return;
  }
  t.after(() => service.stop());
  const imgs = [
    await buildImage({
      layers: [
        { files: [{ path: 'etc/os-release', content: 'ID=live\n' }] },
        { files: [{ path: 'app/bin', content: 'a'.repeat(5000) }] },
      ],
    }),
    await buildImage({ layers: [{ files: [{ path: 'etc/os-release', content: 'ID=other\n' }] }] }),
  ];
  const tags = ['localhost/assay/live:1', 'localhost/assay/other:2'];
  for (const [i, img] of imgs.entries()) {
    const archive = join(dir, `load${i}.tar`);
    await writeFile(archive, await dockerArchiveTar(img, [tags[i]!]));
    assert.match(await engineLoad(service.socketPath, archive), /Loaded image/);
  }
  for (const flavor of ['podman', 'docker'] as const) {
    const opts =
      flavor === 'podman'
        ? { host: `unix://${service.socketPath}` }
        : { env: { DOCKER_HOST: `unix://${service.socketPath}` } };
    const src = await openEngine(`${flavor}:${tags[0]}`, tags[0]!, {
      flavor,
      spoolDir: join(dir, 'spool'),
      ...opts,
    });
    const d = await src.describe();
    assert.deepEqual(
      [d.imageId, d.registry, d.repository, d.tag],
      [imgs[0]!.config.digest, 'localhost', 'assay/live', '1'],
    );
    assert.match(d.repoDigest ?? '', /^localhost\/assay\/live@sha256:[a-f0-9]{64}$/);
    assert.deepEqual(
      await readLayers(src),
      imgs[0]!.layers.map((l) => l.tar),
    );
    await src.close();
    const byId = await openEngine(`${flavor}:id`, imgs[1]!.config.digest.slice(7, 19), {
      flavor,
      spoolDir: join(dir, 'spool'),
      ...opts,
    });
    assert.deepEqual(
      [(await byId.describe()).imageId, (await byId.describe()).repository],
      [imgs[1]!.config.digest, 'assay/other'],
    );
    await byId.close();
  }
  const spool = join(dir, 'spool');
  await assert.rejects(
    openEngine('podman:assay/nope:9', 'assay/nope:9', {
      flavor: 'podman',
      host: service.socketPath,
      spoolDir: spool,
    }),
    assayError('not-found'),
  );
  const multi = join(dir, 'multi.tar');
  await exportMany(service.socketPath, tags, multi);
  await assert.rejects(openDockerArchive('docker-archive:multi', multi), assayError('usage', tags[1]!));
  const second = await openDockerArchive('docker-archive:multi', `${multi}:${tags[1]}`);
  assert.equal((await second.describe()).imageId, imgs[1]!.config.digest);
});
