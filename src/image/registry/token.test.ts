/**
 * Token-flow details a real registry does not let us steer: `access_token`-only responses,
 * expiry, a registry revoking a cached token, 403, and a realm that would leak credentials.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type TestContext, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAssayError } from '../../model/errors.js';
import { RegistryClient } from './client.js';
import { TokenCache } from './token.js';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

async function serve(t: TestContext, handler: Handler, bind = '127.0.0.1'): Promise<string> {
  const server = createServer((req, res) => handler(req, res, new URL(req.url ?? '/', 'http://x')));
  await new Promise<void>((resolve) => server.listen(0, bind, resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `${bind}:${(server.address() as AddressInfo).port}`;
}

interface Setup {
  client: RegistryClient;
  tokenCalls: URL[];
  /** Tokens the registry currently accepts. */
  valid: Set<string>;
}

/** A registry that wants Bearer tokens, and its token service (`access_token` field only). */
async function setup(
  t: TestContext,
  opts: { expiresIn?: number; status?: number; realmHost?: string } = {},
): Promise<Setup> {
  const tokenCalls: URL[] = [];
  const valid = new Set<string>();
  const realmHost = await serve(
    t,
    (_req, res, url) => {
      tokenCalls.push(url);
      const value = `tok-${tokenCalls.length}`;
      valid.add(value);
      res.end(
        JSON.stringify({ access_token: value, ...(opts.expiresIn ? { expires_in: opts.expiresIn } : {}) }),
      );
    },
    opts.realmHost,
  );
  const host = await serve(t, (req, res) => {
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    if (!token || !valid.has(token)) {
      const challenge = `Bearer realm="http://${realmHost}/token",service="fake registry"`;
      res.writeHead(401, { 'www-authenticate': challenge }).end();
    } else if (opts.status)
      res.writeHead(opts.status).end('{"errors":[{"code":"DENIED","message":"no pull for you"}]}');
    else res.end('content');
  });
  const client = new RegistryClient({
    registry: host,
    repository: 'lib/x',
    label: `${host}/lib/x:1`,
    credentials: { username: 'u', password: 'p' },
  });
  t.after(() => client.close());
  return { client, tokenCalls, valid };
}

const DIGEST = `sha256:${'b'.repeat(64)}`;

test('access_token responses; service, scope and account are sent; the token is reused', async (t) => {
  const { client, tokenCalls } = await setup(t);
  await Promise.all([1, 2, 3].map(() => client.readBlob(DIGEST, 100, 'config')));
  assert.equal(tokenCalls.length, 1);
  const q = tokenCalls[0]!.searchParams;
  assert.deepEqual(
    [q.get('service'), q.get('scope'), q.get('account')],
    ['fake registry', 'repository:lib/x:pull', 'u'],
  );
});

test('an expired token is renewed; a revoked one is replaced once', async (t) => {
  const { client, tokenCalls, valid } = await setup(t, { expiresIn: 1 });
  await client.readBlob(DIGEST, 100, 'config');
  await sleep(600); // a 1 s token is renewed at half its life
  await client.readBlob(DIGEST, 100, 'config');
  assert.equal(tokenCalls.length, 2);
  valid.clear(); // the registry forgets every token: one 401, one fresh token, success
  assert.equal((await client.readBlob(DIGEST, 100, 'config')).toString(), 'content');
  assert.equal(tokenCalls.length, 3);
});

test('403 with a valid token → forbidden, quoting the registry', async (t) => {
  const { client } = await setup(t, { status: 403 });
  await assert.rejects(client.getManifest('1'), (e) => {
    assert.ok(isAssayError(e, 'forbidden'));
    assert.match(e.message, /lib\/x:1: manifest 1: access denied \(HTTP 403\).*\(DENIED: no pull for you\)/);
    return true;
  });
});

test('credentials are never sent to a plain-http realm on a host not marked insecure', async (t) => {
  const { client, tokenCalls } = await setup(t, { realmHost: '127.0.0.2' });
  await assert.rejects(
    client.getManifest('1'),
    (e) => isAssayError(e, 'registry') && /refusing token realm http:\/\/127\.0\.0\.2/.test(e.message),
  );
  assert.equal(tokenCalls.length, 0);
});

test('TokenCache: one fetch for concurrent misses; a failed fetch is not cached', async () => {
  const cache = new TokenCache();
  let calls = 0;
  const fetch = async () => {
    calls++;
    await sleep(10);
    return { value: `v${calls}`, expiresAt: Date.now() + 60_000 };
  };
  const got = await Promise.all([cache.get('k', fetch), cache.get('k', fetch), cache.get('k', fetch)]);
  assert.deepEqual(
    got.map((g) => g.value),
    ['v1', 'v1', 'v1'],
  );
  await assert.rejects(cache.get('other', async () => Promise.reject(new Error('down'))));
  assert.equal((await cache.get('other', fetch)).value, 'v2');
  cache.invalidate('k', 'v1');
  assert.equal((await cache.get('k', fetch)).value, 'v3');
});
