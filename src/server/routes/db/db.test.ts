/**
 * GET /api/v1/db/{metadata,metadata.sig,bundle} on both store engines (app.inject), and once
 * through a listening server with the real puller, against a DB built from the real-format
 * feed excerpts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { importFeedsDbDir } from '../../../scan/testing/advisories.js';
import { pullDb } from '../../../vulndb/distribution/pull.js';
import { generateSigningKeys, verifyMetadata } from '../../../vulndb/distribution/sign.js';
import { VulnDb } from '../../../vulndb/store.js';
import { DbBundleService } from '../../services/db-bundle.js';
import { backends } from '../../testing/backends.js';
import { harness } from '../../testing/harness.js';
import { notModified, rangeOf } from './conditional.js';

let work: string;
let dbDir: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'assay-db-routes-'));
  dbDir = join(work, 'db');
  await importFeedsDbDir(dbDir);
});
after(() => rm(work, { recursive: true, force: true }));

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function service(name: string, extra: { signingKeyPem?: string; dbDir?: string } = {}) {
  const workDir = join(work, name);
  return new DbBundleService({ dbDir: extra.dbDir ?? dbDir, workDir, ...extra });
}

for (const backend of backends) {
  test(`GET /api/v1/db/* on ${backend}`, async (t) => {
    const h = await harness(backend, t, { db: await service(`work-${backend}`) });
    const get = (url: string, headers: Record<string, string> = {}, role: 'scanner' | 'admin' = 'scanner') =>
      h.app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${h.tokens[role]}`, ...headers },
      });

    await t.test('roles: scanner and admin pull; viewer 403; no token 401', async () => {
      assert.equal((await h.call('GET', '/api/v1/db/metadata', { token: null })).statusCode, 401);
      assert.equal((await h.call('GET', '/api/v1/db/bundle', { role: 'viewer' })).statusCode, 403);
      assert.equal((await get('/api/v1/db/metadata', {}, 'admin')).statusCode, 200);
    });

    await t.test('metadata names the bundle "bundle"; ETag = its digest; 304 on If-None-Match', async () => {
      const r = await get('/api/v1/db/metadata');
      assert.equal(r.statusCode, 200);
      const meta = r.json();
      assert.equal(meta.bundle.file, 'bundle');
      assert.equal(r.headers.etag, `"${meta.bundle.digest}"`);
      assert.equal(Number(r.headers['content-length']), r.rawPayload.length);
      const again = await get('/api/v1/db/metadata', { 'if-none-match': `W/"x", ${r.headers.etag}` });
      assert.equal(again.statusCode, 304);
      assert.equal(again.rawPayload.length, 0);
    });

    await t.test(
      'bundle: whole, 304, byte ranges (206), unsatisfiable (416), stale If-Range (200)',
      async () => {
        const meta = (await get('/api/v1/db/metadata')).json();
        const full = await get('/api/v1/db/bundle');
        assert.equal(full.statusCode, 200);
        assert.equal(sha256(full.rawPayload), meta.bundle.digest);
        assert.equal(Number(full.headers['content-length']), meta.bundle.size);
        assert.equal(full.headers['accept-ranges'], 'bytes');
        const etag = String(full.headers.etag);
        const head = await h.app.inject({
          method: 'HEAD',
          url: '/api/v1/db/bundle',
          headers: { authorization: `Bearer ${h.tokens.scanner}` },
        });
        assert.deepEqual([head.statusCode, head.headers.etag, head.rawPayload.length], [200, etag, 0]);
        assert.equal(Number(head.headers['content-length']), meta.bundle.size);
        assert.equal((await get('/api/v1/db/bundle', { 'if-none-match': etag })).statusCode, 304);
        const part = await get('/api/v1/db/bundle', { range: 'bytes=100-', 'if-range': etag });
        assert.equal(part.statusCode, 206);
        assert.equal(part.headers['content-range'], `bytes 100-${meta.bundle.size - 1}/${meta.bundle.size}`);
        assert.deepEqual(part.rawPayload, full.rawPayload.subarray(100));
        const first = await get('/api/v1/db/bundle', { range: 'bytes=0-9' });
        assert.deepEqual([first.statusCode, first.rawPayload], [206, full.rawPayload.subarray(0, 10)]);
        const tail = await get('/api/v1/db/bundle', { range: 'bytes=-5' });
        assert.deepEqual(tail.rawPayload, full.rawPayload.subarray(-5));
        const beyond = await get('/api/v1/db/bundle', { range: `bytes=${meta.bundle.size}-` });
        assert.equal(beyond.statusCode, 416);
        assert.equal(beyond.headers['content-range'], `bytes */${meta.bundle.size}`);
        const stale = await get('/api/v1/db/bundle', { range: 'bytes=100-', 'if-range': '"sha256:old"' });
        assert.equal(stale.statusCode, 200);
        assert.equal(stale.rawPayload.length, meta.bundle.size);
      },
    );

    await t.test('metadata.sig: 404 with the fix when the manager does not sign', async () => {
      const r = await get('/api/v1/db/metadata.sig');
      assert.equal(r.statusCode, 404);
      assert.match(r.json().error, /not signed: start the manager with --db-sign-key FILE/);
    });
  });
}

test('no DB: 404 saying how to provide one; without a service: 404', async (t) => {
  const h = await harness('pglite', t, { db: await service('empty', { dbDir: join(work, 'nothing') }) });
  const r = await h.call('GET', '/api/v1/db/metadata', { role: 'scanner' });
  assert.equal(r.statusCode, 404);
  assert.match(
    r.json().error,
    /no vulnerability DB yet: run `assay db update` on the server host .*--db-path/,
  );
  const bare = await harness('pglite', t);
  assert.equal((await bare.call('GET', '/api/v1/db/bundle', { role: 'scanner' })).statusCode, 404);
});

test('signed; published again when the DB changes; a restart reuses the copy of an unchanged DB', async (t) => {
  const keys = generateSigningKeys();
  const dir = join(work, 'changing-db');
  await importFeedsDbDir(dir);
  const svc = await service('signed', { signingKeyPem: keys.privateKeyPem, dbDir: dir });
  const h = await harness('pglite', t, { db: svc });
  const meta1 = await h.call('GET', '/api/v1/db/metadata', { role: 'scanner' });
  const sig = await h.call('GET', '/api/v1/db/metadata.sig', { role: 'scanner' });
  assert.equal(sig.statusCode, 200);
  const { decodeSignature } = await import('../../../vulndb/distribution/sign.js');
  verifyMetadata(meta1.rawPayload, decodeSignature(sig.rawPayload, 'test'), keys.publicKeyPem, 'manager');

  await new Promise((r) => setTimeout(r, 5)); // a new builtAt
  await importFeedsDbDir(dir);
  const meta2 = await h.call('GET', '/api/v1/db/metadata', { role: 'scanner' });
  assert.notEqual(meta2.headers.etag, meta1.headers.etag);
  const copies = async () => (await readdir(join(work, 'signed'))).filter((n) => n.startsWith('published-'));
  assert.equal((await copies()).length, 2, 'the copy served until now stays for one more round');
  await new Promise((r) => setTimeout(r, 5));
  await importFeedsDbDir(dir);
  const meta3 = await h.call('GET', '/api/v1/db/metadata', { role: 'scanner' });
  assert.notEqual(meta3.headers.etag, meta2.headers.etag);
  const published = await copies();
  assert.equal(published.length, 2, 'the oldest copy was removed');

  const restarted = await service('signed', { signingKeyPem: keys.privateKeyPem, dbDir: dir });
  const db = await restarted.get();
  assert.deepEqual(db?.metadataBytes, meta3.rawPayload);
  assert.deepEqual(await copies(), published, 'reused, not published again');
});

test('a scanner pulls from a listening manager with its token; the second pull is unchanged', async (t) => {
  const keys = generateSigningKeys();
  const h = await harness('pglite', t, {
    db: await service('listening', { signingKeyPem: keys.privateKeyPem }),
  });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  const address = h.app.server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const target = join(work, 'pulled');
  const opts = { dbDir: target, auth: { origin, token: h.tokens.scanner }, publicKey: keys.publicKeyPem };
  const repo = { kind: 'http' as const, url: `${origin}/api/v1/db/metadata` };
  const first = await pullDb([repo], opts);
  assert.equal(first.status, 'updated');
  const again = await pullDb([repo], opts);
  assert.equal(again.status, 'unchanged');
  const [a, b] = [VulnDb.open(dbDir), VulnDb.open(target)];
  t.after(() => {
    a.close();
    b.close();
  });
  assert.deepEqual(b.info(), a.info());
  await assert.rejects(pullDb([repo], { ...opts, auth: { origin, token: h.tokens.viewer } }), /403/);
});

test('conditional helpers: weak If-None-Match, strong If-Range, one range', () => {
  assert.equal(notModified('W/"a"', '"a"'), true);
  assert.equal(notModified('*', '"a"'), true);
  assert.equal(notModified('"b"', '"a"'), false);
  assert.deepEqual(rangeOf('bytes=0-', undefined, '"a"', 10), { kind: 'partial', start: 0, end: 9 });
  assert.deepEqual(rangeOf('bytes=5-100', '"a"', '"a"', 10), { kind: 'partial', start: 5, end: 9 });
  assert.deepEqual(rangeOf('bytes=0-1,4-5', undefined, '"a"', 10), { kind: 'full' });
  assert.deepEqual(rangeOf('bytes=5-1', undefined, '"a"', 10), { kind: 'full' });
  assert.deepEqual(rangeOf('bytes=0-', 'W/"a"', '"a"', 10), { kind: 'full' });
  assert.deepEqual(rangeOf('bytes=-0', undefined, '"a"', 10), { kind: 'unsatisfiable' });
  assert.deepEqual(rangeOf('items=0-1', undefined, '"a"', 10), { kind: 'full' });
});
