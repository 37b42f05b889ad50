/**
 * Chunked, resumable blob uploads against a real docker-registry (distribution 2.8), with a
 * fault proxy in front for the failures it will not produce on demand. Every upload is read back
 * from the registry and compared byte for byte.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startRegistry, type TestRegistry } from '../../test-support/registry.js';
import { RegistryProxy } from '../../test-support/registry-proxy.js';
import { sha256Digest } from '../digest.js';
import { RegistryClient } from './client.js';
import { parseRange, uploadBlob } from './upload.js';

let registry: TestRegistry;
let basic: TestRegistry;
let proxy: RegistryProxy;

before(async () => {
  [registry, basic] = await Promise.all([startRegistry(), startRegistry({ auth: 'basic' })]);
  const port = Number(registry.host.split(':')[1]);
  proxy = await new RegistryProxy({ host: '127.0.0.1', port }).start();
});

after(async () => {
  await proxy?.stop();
  await Promise.all([registry?.stop(), basic?.stop()]);
});

function client(host: string, repository: string, credentials?: { username: string; password: string }) {
  return new RegistryClient({
    registry: host,
    repository,
    label: `${host}/${repository}`,
    push: true,
    backoffMs: 5,
    credentials,
  });
}

function blobOf(data: Buffer) {
  return {
    digest: sha256Digest(data),
    size: data.length,
    read: async (offset: number, length: number) => data.subarray(offset, offset + length),
  };
}

async function readBack(url: string, repository: string, digest: string, auth?: string): Promise<Buffer> {
  const headers: Record<string, string> = auth ? { authorization: auth } : {};
  const res = await fetch(`${url}/v2/${repository}/blobs/${digest}`, { headers });
  assert.equal(res.status, 200);
  return Buffer.from(await res.arrayBuffer());
}

const countOf = (method: string, re: RegExp) =>
  proxy.requests.filter((r) => r.method === method && re.test(r.path)).length;

test('chunked upload: one PATCH per chunk, the blob reads back equal; a present blob is skipped', async (t) => {
  proxy.reset();
  const data = randomBytes(300 * 1024 + 17);
  const c = client(proxy.host, 'up/chunked');
  t.after(() => c.close());
  const progress: number[] = [];
  const result = await uploadBlob(c, blobOf(data), 'blob', {
    chunkSize: 64 * 1024,
    onProgress: (done) => progress.push(done),
  });
  assert.deepEqual(result, { skipped: false, sent: data.length });
  assert.equal(countOf('PATCH', /\/blobs\/uploads\//), 5);
  assert.equal(progress.at(-1), data.length);
  assert.deepEqual(await readBack(registry.url, 'up/chunked', sha256Digest(data)), data);

  proxy.reset();
  assert.deepEqual(await uploadBlob(c, blobOf(data), 'blob'), { skipped: true, sent: 0 });
  assert.deepEqual(
    proxy.requests.map((r) => r.method),
    ['HEAD'],
  );
});

test('a PATCH lost on the way: the upload status says where to continue, nothing is sent twice', async (t) => {
  proxy.reset();
  // Let the first two chunks through, then drop the third.
  let patches = 0;
  const c = client(proxy.host, 'up/resume');
  t.after(() => c.close());
  const data = randomBytes(256 * 1024);
  const result = await uploadBlob(c, blobOf(data), 'blob', {
    chunkSize: 64 * 1024,
    onProgress: () => {
      patches++;
      if (patches === 2)
        proxy.rules = [
          { method: 'PATCH', path: /\/blobs\/uploads\//, fault: { kind: 'drop-request' }, times: 1 },
        ];
    },
  });
  assert.equal(result.skipped, false);
  const dropped = proxy.requests.findIndex((r) => r.fault === 'drop-request');
  assert.ok(dropped > 0, 'a PATCH was dropped');
  assert.equal(proxy.requests[dropped + 1]?.method, 'GET', 'then the upload status was asked');
  assert.match(proxy.requests[dropped + 1]?.path ?? '', /\/blobs\/uploads\//);
  assert.equal(countOf('POST', /\/blobs\/uploads\/$/), 1, 'the same session continued');
  assert.equal(result.sent, data.length);
  assert.deepEqual(await readBack(registry.url, 'up/resume', sha256Digest(data)), data);
});

test('a PATCH whose answer is lost: the stale session is replaced by a new one, the blob is exact', async (t) => {
  proxy.reset([{ method: 'PATCH', path: /\/blobs\/uploads\//, fault: { kind: 'drop-response' }, times: 1 }]);
  const c = client(proxy.host, 'up/restart');
  t.after(() => c.close());
  const data = randomBytes(200 * 1024);
  const result = await uploadBlob(c, blobOf(data), 'blob', { chunkSize: 64 * 1024 });
  assert.equal(result.skipped, false);
  assert.equal(
    countOf('POST', /\/blobs\/uploads\/$/),
    2,
    'distribution 2.8 refuses the stale state; restarted',
  );
  assert.deepEqual(await readBack(registry.url, 'up/restart', sha256Digest(data)), data);
});

test('a registry that fails every chunk: the upload gives up with an error naming the blob', async (t) => {
  proxy.reset([{ method: 'PATCH', path: /\/blobs\/uploads\//, fault: { kind: 'status', status: 500 } }]);
  const c = client(proxy.host, 'up/broken');
  t.after(() => c.close());
  const data = randomBytes(10 * 1024);
  await assert.rejects(uploadBlob(c, blobOf(data), 'DB bundle', { chunkSize: 4096 }), (err: Error) => {
    assert.match(
      err.message,
      new RegExp(`^${proxy.host}/up/broken: DB bundle: bytes 0-4095: registry error HTTP 500`),
    );
    return true;
  });
});

test('Basic auth with push scope; a wrong password is refused naming the credentials source', async (t) => {
  const good = client(basic.host, 'up/auth', { username: basic.username, password: basic.password });
  t.after(() => good.close());
  const data = randomBytes(1000);
  assert.equal((await uploadBlob(good, blobOf(data), 'blob')).skipped, false);
  const auth = `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`;
  assert.deepEqual(await readBack(basic.url, 'up/auth', sha256Digest(data), auth), data);

  const bad = client(basic.host, 'up/auth', { username: basic.username, password: 'nope' });
  t.after(() => bad.close());
  await assert.rejects(uploadBlob(bad, blobOf(randomBytes(10)), 'blob'), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'unauthorized');
    assert.match(err.message, /rejected user "alice" from --username\/--password/);
    assert.match(err.message, /may push to the repository/);
    return true;
  });
});

test('token auth: one pull,push token serves the whole upload', async (t) => {
  const reg = await startRegistry({ auth: 'token' });
  t.after(() => reg.stop());
  const c = client(reg.host, 'up/token', { username: reg.username, password: reg.password });
  t.after(() => c.close());
  const data = randomBytes(50 * 1024);
  assert.equal((await uploadBlob(c, blobOf(data), 'blob', { chunkSize: 16 * 1024 })).skipped, false);
  const scopes = reg.token?.requests.map((r) => r.scopes.join(' '));
  assert.deepEqual(scopes, ['repository:up/token:pull,push']);
});

test('Range header of an upload status', () => {
  assert.equal(parseRange('0-1023'), 1024);
  assert.equal(parseRange('bytes=0-9'), 10);
  assert.equal(parseRange('0-0'), 0);
  assert.equal(parseRange(undefined), undefined);
  assert.equal(parseRange('5-9'), undefined);
});
