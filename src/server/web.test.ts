/** The web UI's static serving: cache headers, deep-link fallback, the not-built page, API 404s. */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { harness } from './testing/harness.js';

const html = { accept: 'text/html,application/xhtml+xml' };

test('the UI build is served at / with deep links and cache headers', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'assay-web-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  await mkdir(join(root, 'assets'));
  await writeFile(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
  await writeFile(join(root, 'assets', 'index-abc123.js'), 'console.log(1);\n'.repeat(500));
  const h = await harness('pglite', t, { webRoot: root });

  const index = await h.app.inject({ url: '/', headers: html });
  assert.equal(index.statusCode, 200);
  assert.match(index.body, /id="root"/);
  assert.equal(index.headers['cache-control'], 'no-cache');

  const asset = await h.app.inject({ url: '/assets/index-abc123.js' });
  assert.equal(asset.statusCode, 200);
  assert.match(String(asset.headers['cache-control']), /immutable/);
  assert.match(String(asset.headers['content-security-policy']), /script-src 'self'/);

  const packed = await h.app.inject({
    url: '/assets/index-abc123.js',
    headers: { 'accept-encoding': 'gzip' },
  });
  assert.equal(packed.headers['content-encoding'], 'gzip');
  assert.equal(gunzipSync(packed.rawPayload).toString(), 'console.log(1);\n'.repeat(500));
  const api = await h.app.inject({ url: '/openapi.json', headers: { 'accept-encoding': 'br, gzip' } });
  assert.equal(api.headers['content-encoding'], 'br');
  assert.match(brotliDecompressSync(api.rawPayload).toString(), /"\/api\/v1\/images"/);

  const deep = await h.app.inject({ url: '/image/sha256%3Aabc?tab=layers', headers: html });
  assert.equal(deep.statusCode, 200);
  assert.match(deep.body, /id="root"/);

  // API paths and non-HTML requests keep the JSON 404.
  for (const [url, headers] of [
    ['/api/v1/nothing', html],
    ['/assets/missing.js', {}],
  ] as const) {
    const r = await h.app.inject({ url, headers });
    assert.equal(r.statusCode, 404, url);
    assert.deepEqual(r.json(), { error: 'not found' });
  }
  const post = await h.app.inject({ method: 'POST', url: '/images', headers: html });
  assert.equal(post.statusCode, 404);
});

test('without a UI build, / says how to build it and the API still works', async (t) => {
  const h = await harness('pglite', t, { webRoot: null });
  const r = await h.app.inject({ url: '/images', headers: html });
  assert.equal(r.statusCode, 503);
  assert.match(r.body, /npm run build/);
  assert.equal((await h.call('GET', '/api/v1/me', { role: 'viewer' })).json().role, 'viewer');
});

test('GET /api/v1/me names the caller for every role and refuses without a token', async (t) => {
  const h = await harness('pglite', t);
  for (const role of ['admin', 'viewer', 'scanner'] as const) {
    const r = await h.call('GET', '/api/v1/me', { role });
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().role, role);
    assert.deepEqual(Object.keys(r.json()).sort(), ['id', 'name', 'role']);
  }
  assert.equal((await h.call('GET', '/api/v1/me', { token: null })).statusCode, 401);
});
