import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backends } from '../../testing/backends.js';
import { digest, imageResult } from '../../testing/fixtures.js';
import { fleet, fleetSpecs, namesOf } from '../../testing/fleet.js';
import { type Harness, harness } from '../../testing/harness.js';

async function names(h: Harness, query: string): Promise<string[]> {
  const r = await h.call('GET', `/api/v1/images?${query}`, { role: 'viewer' });
  assert.equal(r.statusCode, 200, `${query}: ${r.body}`);
  return namesOf(r.json().items.map((i: { digest: string }) => i.digest));
}

for (const backend of backends) {
  test(`GET /api/v1/images on ${backend}`, async (t) => {
    const h = await harness(backend, t);
    for (const doc of Object.values(fleet()))
      assert.ok((await h.call('POST', '/api/v1/scans', { body: doc })).statusCode < 300);

    await t.test('each filter returns exactly the right images', async () => {
      const cases: [string, string[]][] = [
        ['result=FAIL', ['apiV1', 'debian12']],
        ['result=WARN,PASS', ['alpine', 'apiV2', 'debian11', 'local', 'web']],
        ['result=UNKNOWN', ['tool']],
        ['registry=ghcr.io', ['apiV1', 'apiV2', 'web']],
        ['registry=', ['local']],
        ['repository=library/debian', ['debian11', 'debian12']],
        ['tag=latest', ['debian12']],
        ['cve=cve-2024-0001', ['debian12', 'tool']],
        ['cve=DSA-5000-1', ['debian11']],
        ['severity=critical', ['debian12', 'tool']],
        ['severity=low,unknown', ['local', 'web']],
        ['minCvss=6&maxCvss=8', ['alpine', 'apiV1']],
        ['minEpss=0.1', ['apiV1', 'debian12']],
        ['kev=true', ['alpine', 'debian12']],
        ['fixable=true', ['debian12', 'web']],
        ['status=partial', ['tool']],
        ['q=ACME', ['apiV1', 'apiV2', 'web']],
        ['q=v2', ['apiV2']],
        ['kev=false&registry=ghcr.io&fixable=false', ['apiV1', 'apiV2']],
      ];
      for (const [query, want] of cases) assert.deepEqual(await names(h, query), want, query);
    });

    await t.test(
      'SQL-injection-shaped values are only data; bad values are 400 naming the parameter',
      async () => {
        for (const evil of ["' OR 1=1 --", "x'); DROP TABLE images; --", '%', '_', '\\']) {
          for (const p of ['q', 'repository', 'tag', 'cve', 'registry'])
            assert.deepEqual(await names(h, `${p}=${encodeURIComponent(evil)}`), [], `${p}=${evil}`);
        }
        assert.equal((await names(h, '')).length, 8);
        const bad = await h.call('GET', "/api/v1/images?minCvss=1;DROP&sort=id'", { role: 'viewer' });
        assert.equal(bad.statusCode, 400);
        assert.match(bad.json().error, /query\.minCvss|query\.sort/);
        const unknown = await h.call('GET', '/api/v1/images?orderBy=1', { role: 'viewer' });
        assert.equal(unknown.statusCode, 400);
        assert.match(unknown.json().error, /orderBy/);
        assert.equal(
          (await h.call('GET', '/api/v1/images?severity=urgent', { role: 'viewer' })).statusCode,
          400,
        );
      },
    );

    await t.test('cursor pagination walks every sort without gaps or repeats', async () => {
      for (const sort of ['maxCvss', 'lastScanned', 'repository'])
        for (const order of ['asc', 'desc']) {
          const seen: string[] = [];
          let cursor: string | null = null;
          do {
            const q: string = `sort=${sort}&order=${order}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
            const page = (await h.call('GET', `/api/v1/images?${q}`)).json();
            seen.push(...page.items.map((i: { digest: string }) => i.digest));
            cursor = page.nextCursor;
          } while (cursor);
          assert.equal(seen.length, 8, `${sort} ${order}`);
          assert.equal(new Set(seen).size, 8);
        }
      const byCvss = (await h.call('GET', '/api/v1/images?limit=2')).json();
      assert.deepEqual(namesOf(byCvss.items.map((i: { digest: string }) => i.digest)), ['debian12', 'tool']);
      const wrong = await h.call('GET', `/api/v1/images?sort=repository&cursor=${byCvss.nextCursor}`);
      assert.equal(wrong.statusCode, 400);
      assert.equal((await h.call('GET', '/api/v1/images?cursor=!!notbase64')).statusCode, 400);
    });

    await t.test('detail: effective findings by CVSS desc, layers with created_by', async () => {
      const d = (
        await h.call('GET', `/api/v1/images/${fleetSpecs.debian12.digest}`, { role: 'viewer' })
      ).json();
      assert.deepEqual(
        d.findings.map((f: { id: string }) => f.id),
        ['CVE-2024-0001', 'CVE-2024-0002'],
      );
      assert.equal(d.document.layers[1].createdBy, 'RUN apt-get install -y curl');
      assert.deepEqual([d.result, d.maxCvssV3, d.kevCount], ['FAIL', 9.8, 1]);
      assert.equal((await h.call('GET', `/api/v1/images/${digest('nope')}`)).statusCode, 404);
    });

    await t.test('repositories group tags and digests with the worst result', async () => {
      const r = (await h.call('GET', '/api/v1/repositories', { role: 'viewer' })).json();
      const debian = r.items.find((x: { repository: string }) => x.repository === 'library/debian');
      assert.deepEqual([debian.images, debian.worstResult, debian.latestTag], [2, 'FAIL', '11']);
      const api = r.items.find((x: { repository: string }) => x.repository === 'acme/api');
      assert.deepEqual(api.results, { PASS: 1, WARN: 0, FAIL: 1, UNKNOWN: 0 });
    });

    await t.test('dismiss hides, undismiss restores, delete removes', async () => {
      const key = fleetSpecs.apiV1.digest;
      assert.equal((await h.call('POST', `/api/v1/images/${key}/dismiss`)).statusCode, 204);
      assert.deepEqual(await names(h, 'registry=ghcr.io'), ['apiV2', 'web']);
      assert.deepEqual(await names(h, 'dismissed=true'), ['apiV1']);
      assert.equal((await h.call('GET', '/api/v1/summary')).json().results.FAIL, 1);
      assert.equal((await h.call('POST', `/api/v1/images/${key}/undismiss`)).statusCode, 204);
      assert.deepEqual(await names(h, 'registry=ghcr.io'), ['apiV1', 'apiV2', 'web']);
      assert.equal((await h.call('DELETE', `/api/v1/images/${key}`)).statusCode, 204);
      assert.deepEqual(await names(h, 'registry=ghcr.io'), ['apiV2', 'web']);
      assert.equal((await h.call('DELETE', `/api/v1/images/${key}`)).statusCode, 404);
      assert.equal((await h.call('POST', `/api/v1/images/${digest('none')}/dismiss`)).statusCode, 404);
      // a deleted image comes back with its next scan
      await h.call('POST', '/api/v1/scans', { body: imageResult(fleetSpecs.apiV1) });
      assert.deepEqual(await names(h, 'registry=ghcr.io'), ['apiV1', 'apiV2', 'web']);
    });
  });
}
