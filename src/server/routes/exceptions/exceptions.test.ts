import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExceptionDocumentSchema } from '../../../model/exception.js';
import { backends } from '../../testing/backends.js';
import { fleet, fleetSpecs } from '../../testing/fleet.js';
import { type Harness, harness } from '../../testing/harness.js';

async function image(
  h: Harness,
  key: string,
): Promise<{ result: string; maxCvssV3: number | null; excepted: number }> {
  return (await h.call('GET', `/api/v1/images/${key}`)).json();
}

const summary = async (h: Harness) => (await h.call('GET', '/api/v1/summary', { role: 'viewer' })).json();

for (const backend of backends) {
  test(`exceptions, thresholds and summary on ${backend}`, async (t) => {
    const h = await harness(backend, t);
    for (const doc of Object.values(fleet())) await h.call('POST', '/api/v1/scans', { body: doc });
    const d12 = fleetSpecs.debian12.digest;

    await t.test('summary counts by result and ranks repositories by FAIL images', async () => {
      const s = await summary(h);
      assert.deepEqual(s.results, { PASS: 3, WARN: 2, FAIL: 2, UNKNOWN: 1 });
      assert.equal(s.total, 8);
      assert.deepEqual(
        s.topRiskRepositories.map((r: { repository: string; failImages: number }) => [
          r.repository,
          r.failImages,
        ]),
        [
          ['acme/api', 1],
          ['library/debian', 1],
        ],
      );
    });

    await t.test('thresholds: PUT re-grades every image at once; invalid ones are 400', async () => {
      const put = await h.call('PUT', '/api/v1/settings/thresholds', { body: { warn: 3, fail: 5 } });
      assert.equal(put.statusCode, 200);
      assert.deepEqual((await h.call('GET', '/api/v1/settings/thresholds', { role: 'viewer' })).json(), {
        warn: 3,
        fail: 5,
      });
      assert.deepEqual((await summary(h)).results, { PASS: 2, WARN: 1, FAIL: 4, UNKNOWN: 1 });
      const bad = await h.call('PUT', '/api/v1/settings/thresholds', { body: { warn: 8, fail: 5 } });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().error, /warn threshold must not exceed fail threshold/);
      assert.equal(
        (await h.call('PUT', '/api/v1/settings/thresholds', { body: { warn: 1, fail: 11 } })).statusCode,
        400,
      );
      await h.call('PUT', '/api/v1/settings/thresholds', { body: { warn: 4, fail: 7 } });
      assert.deepEqual((await summary(h)).results, { PASS: 3, WARN: 2, FAIL: 2, UNKNOWN: 1 });
    });

    let exceptionId = 0;
    await t.test(
      'a vulnerability exception (by alias) lowers max CVSS and changes the result at once',
      async () => {
        const r = await h.call('POST', '/api/v1/exceptions/vulnerabilities', {
          body: {
            target: 'dsa-5600-1',
            reason: 'not reachable: TLS terminates at the proxy',
            scope: { repository: 'docker.io/library/*' },
          },
        });
        assert.equal(r.statusCode, 201, r.body);
        exceptionId = r.json().id;
        assert.deepEqual(await image(h, d12).then((i) => [i.result, i.maxCvssV3, i.excepted]), [
          'WARN',
          5,
          1,
        ]);
        // out of scope: quay.io/org/tool keeps its finding
        assert.equal((await image(h, fleetSpecs.tool.digest)).maxCvssV3, 9.8);
        const detail = (await h.call('GET', `/api/v1/images/${d12}`)).json();
        assert.equal(detail.findings[0].exception.source, 'manager');
        assert.equal(detail.findings[0].exception.reason, 'not reachable: TLS terminates at the proxy');
        const list = (await h.call('GET', '/api/v1/images?result=FAIL')).json();
        assert.equal(list.items.length, 1);
      },
    );

    await t.test('a package-scoped exception applies only to that package', async () => {
      const other = await h.call('POST', '/api/v1/exceptions/vulnerabilities', {
        body: { target: 'CVE-2024-0002', package: 'openssl', reason: 'wrong package' },
      });
      assert.equal(other.statusCode, 201);
      assert.equal((await image(h, fleetSpecs.debian11.digest)).result, 'WARN');
      await h.call('POST', '/api/v1/exceptions/vulnerabilities', {
        body: {
          target: 'CVE-2024-0002',
          package: 'pkg:deb/debian/zlib1g',
          reason: 'fixed by config',
          expires: '2099-01-01',
        },
      });
      assert.equal((await image(h, fleetSpecs.debian11.digest)).result, 'PASS');
      assert.equal((await image(h, d12)).result, 'PASS');
    });

    await t.test('an already expired exception or a bad one is 400 naming the field', async () => {
      const old = await h.call('POST', '/api/v1/exceptions/vulnerabilities', {
        body: { target: 'CVE-2024-0005', reason: 'old', expires: '2020-01-01' },
      });
      assert.equal(old.statusCode, 400);
      assert.match(old.json().error, /^expires: 2020-01-01 is not in the future/);
      assert.equal((await image(h, fleetSpecs.alpine.digest)).result, 'WARN');
      const bad = await h.call('POST', '/api/v1/exceptions/vulnerabilities', {
        body: { target: 'CVE-1', reason: 'x', expires: 'soon' },
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().error, /expires/);
      const extra = await h.call('POST', '/api/v1/exceptions/vulnerabilities', {
        body: { target: 'CVE-1', reason: 'x', admin: true },
      });
      assert.equal(extra.statusCode, 400);
    });

    await t.test('deleting an exception restores the grade', async () => {
      const del = await h.call('DELETE', `/api/v1/exceptions/vulnerabilities?id=${exceptionId}`);
      assert.equal(del.statusCode, 200);
      assert.equal(del.json().cancelled.reason, 'deleted');
      assert.deepEqual(await image(h, d12).then((i) => [i.result, i.maxCvssV3]), ['FAIL', 9.8]);
      assert.equal((await h.call('DELETE', '/api/v1/exceptions/vulnerabilities?id=99999')).statusCode, 404);
      const live = (await h.call('GET', '/api/v1/exceptions/vulnerabilities', { role: 'viewer' })).json();
      assert.ok(!live.items.some((e: { id: number }) => e.id === exceptionId));
    });

    await t.test('repository exceptions leave the list and the summary; cancel restores them', async () => {
      const r = await h.call('POST', '/api/v1/exceptions/repositories', {
        body: { repositories: ['ghcr.io/acme/**', 'org/tool'], reason: 'vendor images, assessed separately' },
      });
      assert.equal(r.statusCode, 201);
      assert.equal((await h.call('GET', '/api/v1/images?registry=ghcr.io')).json().items.length, 0);
      assert.equal((await summary(h)).total, 4);
      const view = (await h.call('GET', '/api/v1/exceptions/repositories', { role: 'viewer' })).json();
      assert.deepEqual(
        view.items.map((x: { repository: string }) => x.repository),
        ['ghcr.io/acme/**', 'org/tool'],
      );
      const c = await h.call('POST', '/api/v1/exceptions/repositories/cancel', {
        body: { repositories: ['ghcr.io/acme/**'], reason: 'vendor contract ended' },
      });
      assert.equal(c.json().items[0].cancelled.reason, 'vendor contract ended');
      assert.equal((await h.call('GET', '/api/v1/images?registry=ghcr.io')).json().items.length, 3);
      assert.equal((await summary(h)).total, 7);
    });

    await t.test('the export is the one exception document shape, cancellations included', async () => {
      const r = await h.call('GET', '/api/v1/exceptions/export', { role: 'viewer' });
      const doc = ExceptionDocumentSchema.parse(r.json());
      assert.equal(doc.exceptions.filter((e) => e.kind === 'repository').length, 2);
      const cancelled = doc.exceptions.filter((e) => e.cancelled);
      assert.deepEqual(cancelled.map((e) => e.target).sort(), ['dsa-5600-1', 'ghcr.io/acme/**']);
      assert.ok(doc.exceptions.every((e) => e.author?.startsWith('test-admin')));
    });
  });
}
