import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backends, onDatabase, TEST_PG_URL } from '../../testing/backends.js';
import { digest, imageResult } from '../../testing/fixtures.js';
import { type Harness, harness } from '../../testing/harness.js';

const documented = [
  'post /api/v1/scans',
  'get /api/v1/images',
  'get /api/v1/images/{digest}',
  'post /api/v1/images/{digest}/dismiss',
  'post /api/v1/images/{digest}/undismiss',
  'delete /api/v1/images/{digest}',
  'get /api/v1/repositories',
  'get /api/v1/summary',
  'get /api/v1/settings/thresholds',
  'put /api/v1/settings/thresholds',
  'post /api/v1/exceptions/vulnerabilities',
  'get /api/v1/exceptions/vulnerabilities',
  'delete /api/v1/exceptions/vulnerabilities',
  'post /api/v1/exceptions/content',
  'get /api/v1/exceptions/content',
  'delete /api/v1/exceptions/content',
  'post /api/v1/exceptions/repositories',
  'get /api/v1/exceptions/repositories',
  'post /api/v1/exceptions/repositories/cancel',
  'get /api/v1/exceptions/export',
  'get /api/v1/export/images.csv',
  'get /api/v1/export/scan-input.json',
  'post /api/v1/tokens',
  'get /api/v1/tokens',
  'get /healthz',
  'get /readyz',
  'get /metrics',
];

async function submit(h: Harness, label: string): Promise<number> {
  const doc = imageResult({
    digest: digest(label),
    repository: 'acme/ops',
    findings: [{ id: 'CVE-2025-9', cvss: 9 }],
  });
  return (await h.call('POST', '/api/v1/scans', { body: doc, role: 'scanner' })).statusCode;
}

for (const backend of backends) {
  test(`operations on ${backend}`, async (t) => {
    const h = await harness(backend, t, {
      plugins: [
        (app) => app.get('/boom', async () => Promise.reject(new Error('password=hunter2 at db.internal'))),
      ],
    });

    await t.test('the OpenAPI document lists every route with its schemas', async () => {
      const r = await h.call('GET', '/openapi.json', { token: null });
      assert.equal(r.statusCode, 200);
      const doc = r.json();
      assert.equal(doc.openapi, '3.0.3');
      const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.keys(item as object).map((m) => `${m} ${path}`),
      );
      for (const op of documented) assert.ok(ops.includes(op), `missing ${op}`);
      const body = doc.paths['/api/v1/scans'].post.requestBody.content['application/json'].schema;
      assert.ok(body.required.includes('scannedAt'));
      const params = doc.paths['/api/v1/images'].get.parameters.map((p: { name: string }) => p.name);
      for (const p of ['result', 'cve', 'minEpss', 'kev', 'content', 'cursor'])
        assert.ok(params.includes(p), p);
      const content =
        doc.paths['/api/v1/exceptions/content'].post.requestBody.content['application/json'].schema;
      assert.deepEqual(content.properties.kind.enum, ['secret', 'threat', 'config']);
    });

    await t.test('health, readiness and metrics are public; metrics count requests and images', async () => {
      assert.deepEqual((await h.call('GET', '/healthz', { token: null })).json(), { status: 'ok' });
      assert.deepEqual((await h.call('GET', '/readyz', { token: null })).json(), {
        status: 'ready',
        store: backend,
      });
      assert.equal(await submit(h, 'm1'), 201);
      await h.call('GET', '/api/v1/images?result=FAIL', { role: 'viewer' });
      const text = (await h.call('GET', '/metrics', { token: null })).body;
      assert.match(
        text,
        /^assay_http_requests_total\{method="POST",route="\/api\/v1\/scans",status="201"\} 1$/m,
      );
      assert.match(
        text,
        /^assay_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/images",status="200"\} 1$/m,
      );
      assert.match(text, /^assay_images\{result="FAIL"\} 1$/m);
    });

    await t.test('errors: 404 and 5xx bodies carry no internals', async () => {
      assert.deepEqual((await h.call('GET', '/api/v1/nothing')).json(), { error: 'not found' });
      const boom = await h.call('GET', '/boom', { token: null });
      assert.equal(boom.statusCode, 500);
      assert.deepEqual(boom.json(), { error: 'internal server error' });
    });

    if (backend === 'postgres') {
      await t.test('a database that goes away answers 503, then the API recovers', async () => {
        const name = new URL(h.url ?? '').pathname.slice(1);
        await onDatabase(TEST_PG_URL, `ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
        await onDatabase(
          TEST_PG_URL,
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`,
        );
        const down = await h.call('GET', '/api/v1/summary', { role: 'viewer' });
        assert.equal(down.statusCode, 503);
        assert.deepEqual(down.json(), { error: 'service unavailable' });
        assert.equal(down.headers['retry-after'], '5');
        assert.equal((await h.call('GET', '/readyz', { token: null })).statusCode, 503);
        assert.equal(await submit(h, 'm2'), 503);
        await onDatabase(TEST_PG_URL, `ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
        assert.equal((await h.call('GET', '/readyz', { token: null })).statusCode, 200);
        assert.equal(await submit(h, 'm2'), 201);
        assert.equal((await h.call('GET', '/api/v1/summary', { role: 'viewer' })).json().total, 2);
      });
    } else {
      await t.test('a closed embedded store answers 503, not 500', async () => {
        await h.store.close();
        assert.equal((await h.call('GET', '/readyz', { token: null })).statusCode, 503);
        const r = await h.call('GET', '/api/v1/summary', { role: 'viewer' });
        assert.equal(r.statusCode, 503);
        assert.deepEqual(r.json(), { error: 'service unavailable' });
      });
    }
  });
}
