import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backends } from '../../testing/backends.js';
import { digest, imageResult } from '../../testing/fixtures.js';
import { harness } from '../../testing/harness.js';

const doc = imageResult({
  digest: digest('sc'),
  repository: 'acme/app',
  findings: [{ id: 'CVE-2025-0100', cvss: 8.1 }],
});

for (const backend of backends) {
  test(`POST /api/v1/scans and auth on ${backend}`, async (t) => {
    const h = await harness(backend, t, { bodyLimit: 64 * 1024 });

    await t.test(
      'auth matrix: 401 without or with a bad token, 403 for the wrong role, no detail',
      async () => {
        const none = await h.call('POST', '/api/v1/scans', { token: null, body: doc });
        assert.equal(none.statusCode, 401);
        assert.deepEqual(none.json(), { error: 'unauthorized' });
        assert.equal(
          (await h.call('GET', '/api/v1/images', { token: 'assay_not-a-real-token' })).statusCode,
          401,
        );
        assert.equal((await h.call('GET', '/api/v1/images', { token: 'garbage' })).statusCode, 401);
        const viewerPost = await h.call('POST', '/api/v1/scans', { role: 'viewer', body: doc });
        assert.equal(viewerPost.statusCode, 403);
        assert.deepEqual(viewerPost.json(), { error: 'forbidden' });
        // a scanner may only submit results
        assert.equal((await h.call('GET', '/api/v1/images', { role: 'scanner' })).statusCode, 403);
        assert.equal((await h.call('GET', '/api/v1/images', { role: 'viewer' })).statusCode, 200);
        assert.equal(
          (await h.call('PUT', '/api/v1/settings/thresholds', { role: 'viewer', body: { warn: 1, fail: 2 } }))
            .statusCode,
          403,
        );
        assert.equal(
          (await h.call('DELETE', `/api/v1/images/${digest('sc')}`, { role: 'viewer' })).statusCode,
          403,
        );
        assert.equal(
          (await h.call('POST', '/api/v1/tokens', { role: 'scanner', body: { role: 'admin', name: 'x' } }))
            .statusCode,
          403,
        );
      },
    );

    await t.test('a scanner submits a result: 201, then 200 unchanged for the same scan', async () => {
      const first = await h.call('POST', '/api/v1/scans', { role: 'scanner', body: doc });
      assert.equal(first.statusCode, 201);
      assert.deepEqual(first.json(), {
        digest: digest('sc'),
        outcome: 'created',
        result: 'FAIL',
        maxCvssV3: 8.1,
      });
      const again = await h.call('POST', '/api/v1/scans', { role: 'scanner', body: doc });
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().outcome, 'unchanged');
    });

    await t.test('a bad body is a 400 naming the field', async () => {
      const { scannedAt: _drop, ...noTime } = doc;
      const missing = await h.call('POST', '/api/v1/scans', { body: noTime });
      assert.equal(missing.statusCode, 400);
      assert.match(missing.json().error, /^body\.scannedAt: /);
      const badCvss = structuredClone(doc);
      const f = badCvss.findings[0];
      if (f?.kind === 'vulnerability' && f.cvss) f.cvss.score = 11;
      const bad = await h.call('POST', '/api/v1/scans', { body: badCvss });
      assert.match(bad.json().error, /body\.findings\.0\.cvss\.score: /);
      const major = await h.call('POST', '/api/v1/scans', { body: { ...doc, schemaVersion: '2.0' } });
      assert.match(major.json().error, /schemaVersion: 2\.0 is not supported/);
      const notJson = await h.app.inject({
        method: 'POST',
        url: '/api/v1/scans',
        payload: '{"schemaVersion": ',
        headers: { authorization: `Bearer ${h.tokens.scanner}`, 'content-type': 'application/json' },
      });
      assert.equal(notJson.statusCode, 400);
    });

    await t.test('unknown fields are stripped (forward compatible), not stored', async () => {
      const extra = {
        ...doc,
        scannedAt: '2026-11-05T00:00:00Z',
        futureField: { x: 1 },
        image: { ...doc.image, extra: 'y' },
      };
      assert.equal((await h.call('POST', '/api/v1/scans', { body: extra })).statusCode, 200);
      const detail = (await h.call('GET', `/api/v1/images/${digest('sc')}`)).json();
      assert.equal(detail.document.futureField, undefined);
      assert.equal(detail.document.image.extra, undefined);
      assert.equal(detail.lastScanned, '2026-11-05T00:00:00.000Z');
    });

    await t.test('an oversized body is 413 before it is parsed', async () => {
      const big = imageResult({
        digest: digest('big'),
        repository: 'acme/big',
        findings: Array.from({ length: 200 }, (_, i) => ({ id: `CVE-2025-${1000 + i}`, cvss: 5 })),
      });
      const r = await h.call('POST', '/api/v1/scans', { body: big });
      assert.equal(r.statusCode, 413);
      assert.equal((await h.call('GET', `/api/v1/images/${digest('big')}`)).statusCode, 404);
    });

    await t.test('tokens: created by an admin, shown once, usable with their role', async () => {
      const r = await h.call('POST', '/api/v1/tokens', { body: { role: 'viewer', name: 'dashboards' } });
      assert.equal(r.statusCode, 201);
      const { token } = r.json();
      assert.match(token, /^assay_/);
      assert.equal((await h.call('GET', '/api/v1/summary', { token })).statusCode, 200);
      const list = (await h.call('GET', '/api/v1/tokens')).json();
      assert.ok(list.items.some((x: { name: string }) => x.name === 'dashboards'));
      assert.ok(!JSON.stringify(list).includes(token));
    });
  });
}

test('rate limiting is per token', async (t) => {
  const h = await harness('pglite', t, { rateLimitPerMinute: 3 });
  const codes = [];
  for (let i = 0; i < 4; i++)
    codes.push((await h.call('GET', '/api/v1/summary', { role: 'viewer' })).statusCode);
  assert.deepEqual(codes, [200, 200, 200, 429]);
  assert.equal((await h.call('GET', '/api/v1/summary', { role: 'admin' })).statusCode, 200);
});
