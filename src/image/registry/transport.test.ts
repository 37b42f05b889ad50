/**
 * Transport behaviours a real registry will not produce on demand, against small node:http
 * servers on loopback: 429 + Retry-After, 5xx then success, hangs, resets, http-only hosts,
 * redirects to storage.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type TestContext, test } from 'node:test';
import { isAssayError } from '../../model/errors.js';
import { apiHost, isHttpAllowed, RegistryClient, type RegistryClientOptions } from './client.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A fake registry: answers the `/v2/` ping, counts requests per path, delegates the rest. */
async function fake(
  t: TestContext,
  handler: Handler,
  bind = '127.0.0.1',
): Promise<{ host: string; hits: Map<string, number> }> {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === '/v2/') res.end('{}');
    else handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, bind, resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { host: `${bind}:${(server.address() as AddressInfo).port}`, hits };
}

function client(t: TestContext, host: string, opts: Partial<RegistryClientOptions> = {}): RegistryClient {
  const c = new RegistryClient({
    registry: host,
    repository: 'app',
    label: `${host}/app:1`,
    backoffMs: 10,
    ...opts,
  });
  t.after(() => c.close());
  return c;
}

const BLOB = `sha256:${'a'.repeat(64)}`;
const BLOB_PATH = `/v2/app/blobs/${BLOB}`;

test('429 with Retry-After is retried after the delay the registry asked for', async (t) => {
  let n = 0;
  const { host } = await fake(t, (_req, res) => {
    if (n++ === 0) res.writeHead(429, { 'retry-after': '1' }).end();
    else res.end('blob');
  });
  const started = Date.now();
  const data = await client(t, host).readBlob(BLOB, 100, 'config');
  assert.equal(data.toString(), 'blob');
  assert.ok(Date.now() - started >= 950, `waited ${Date.now() - started} ms`);
});

test('429 that never ends → rate-limited after the bounded retries', async (t) => {
  const { host, hits } = await fake(t, (_req, res) => res.writeHead(429, { 'retry-after': '0' }).end());
  await assert.rejects(client(t, host, { retries: 2 }).getManifest('1'), (e) => {
    assert.ok(isAssayError(e, 'rate-limited'));
    assert.match(
      e.message,
      /app:1: manifest 1: rate limited by the registry \(HTTP 429\), still after retries/,
    );
    return true;
  });
  assert.equal(hits.get('/v2/app/manifests/1'), 3);
});

test('500 then success; a reset connection is retried too', async (t) => {
  let n = 0;
  const { host, hits } = await fake(t, (req, res) => {
    n++;
    if (n === 1) res.writeHead(500).end();
    else if (n === 2) req.socket.destroy();
    else res.end('ok');
  });
  assert.equal((await client(t, host).readBlob(BLOB, 100, 'config')).toString(), 'ok');
  assert.equal(hits.get(BLOB_PATH), 3);
});

test('5xx after the retries → registry error naming image and status; 4xx never retried', async (t) => {
  const { host, hits } = await fake(t, (req, res) => {
    if (req.url?.includes('/manifests/')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}');
    } else res.writeHead(503).end();
  });
  const c = client(t, host, { retries: 2 });
  await assert.rejects(c.readBlob(BLOB, 100, 'config'), (e) => {
    assert.ok(isAssayError(e, 'registry'));
    assert.match(
      e.message,
      new RegExp(`^${host}/app:1: config: registry error HTTP 503, still after retries`),
    );
    return true;
  });
  assert.equal(hits.get(BLOB_PATH), 3);
  await assert.rejects(c.getManifest('1'), (e) => {
    assert.ok(isAssayError(e, 'not-found'));
    assert.match(
      e.message,
      /manifest 1: repository not found \(NAME_UNKNOWN: repository name not known to registry\)/,
    );
    return true;
  });
  assert.equal(hits.get('/v2/app/manifests/1'), 1);
});

test('a server that never answers → timeout, not retried', async (t) => {
  const { host, hits } = await fake(t, () => {});
  const started = Date.now();
  await assert.rejects(client(t, host, { timeoutMs: 200, retries: 3 }).getManifest('1'), (e) => {
    assert.ok(isAssayError(e, 'timeout'));
    assert.match(e.message, /app:1: manifest 1: no data from .* for 200 ms waiting for a response/);
    return true;
  });
  assert.ok(Date.now() - started < 2000);
  assert.equal(hits.get('/v2/app/manifests/1'), 1);
});

test('a body that stalls half way → timeout while reading', async (t) => {
  const { host } = await fake(t, (_req, res) => {
    res.writeHead(200, { 'content-length': '100' });
    res.write('x'.repeat(10));
  });
  await assert.rejects(client(t, host, { timeoutMs: 200 }).readBlob(BLOB, 1000, 'config'), (e) => {
    assert.ok(isAssayError(e, 'timeout'));
    assert.match(e.message, /while reading the response/);
    return true;
  });
});

test('plain http only for loopback or listed hosts, with a hint otherwise', async (t) => {
  // 127.0.0.2 is loopback on Linux but not one of the names we trust implicitly.
  const { host } = await fake(t, (_req, res) => res.end('ok'), '127.0.0.2');
  await assert.rejects(client(t, host).readBlob(BLOB, 100, 'config'), (e) => {
    assert.ok(isAssayError(e, 'network'));
    assert.match(e.message, new RegExp(`allow it with --insecure-registry ${host.replace(/\./g, '\\.')}`));
    return true;
  });
  const listed = client(t, host, { insecureRegistries: [`http://${host}`] });
  assert.equal((await listed.readBlob(BLOB, 100, 'config')).toString(), 'ok');
});

test('redirects: Authorization kept on the same origin, dropped for storage elsewhere', async (t) => {
  const seen: (string | undefined)[] = [];
  const storage = await fake(t, (req, res) => {
    seen.push(req.headers.authorization);
    res.end('from storage');
  });
  const { host } = await fake(t, (req, res) => {
    if (!req.headers.authorization) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="test"' }).end();
    } else if (req.url === BLOB_PATH) {
      seen.push(req.headers.authorization);
      res.writeHead(307, { location: '/v2/app/blobs/moved' }).end();
    } else {
      seen.push(req.headers.authorization);
      res.writeHead(302, { location: `http://${storage.host}/bucket/blob?sig=1` }).end();
    }
  });
  const c = client(t, host, { credentials: { username: 'u', password: 'p' } });
  assert.equal((await c.readBlob(BLOB, 100, 'config')).toString(), 'from storage');
  const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
  assert.deepEqual(seen, [basic, basic, undefined]);
});

test('which hosts may use plain http; Docker Hub API host', () => {
  const allowed = ['localhost:5000', '127.0.0.1', '[::1]:5000', 'reg.lan:5000', 'other.lan'];
  const insecure = ['http://reg.lan:5000/', 'other.lan'];
  assert.deepEqual(
    allowed.map((h) => isHttpAllowed(h, insecure)),
    [true, true, true, true, true],
  );
  assert.deepEqual(
    ['reg.lan:5001', '127.0.0.2', 'ghcr.io'].map((h) => isHttpAllowed(h, insecure)),
    [false, false, false],
  );
  assert.equal(apiHost('docker.io'), 'registry-1.docker.io');
  assert.equal(apiHost('ghcr.io'), 'ghcr.io');
});
