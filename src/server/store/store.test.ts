import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gradeOf } from '../../match/grade.js';
import type { ScanStatus } from '../../model/result.js';
import { addVulnerabilityException, sweepExpiredExceptions } from '../services/exceptions.js';
import { ingestResult } from '../services/scans.js';
import { backends, createTestDatabase, openTestStore } from '../testing/backends.js';
import { digest, imageResult } from '../testing/fixtures.js';
import { migrate } from './migrate.js';
import { migrations } from './migrations.js';
import { openStore } from './store.js';

const key = digest('s1');
const doc = (scannedAt: string, cvss: number) =>
  imageResult({ digest: key, repository: 'acme/app', scannedAt, findings: [{ id: 'CVE-2025-1', cvss }] });

for (const backend of backends) {
  test(`store on ${backend}`, async (t) => {
    const { store } = await openTestStore(backend, t);

    await t.test('the migration seeds the default thresholds', async () => {
      assert.deepEqual(await store.settings.thresholds(), { warn: 4, fail: 7 });
    });

    await t.test('SQL grading equals gradeOf for every boundary', async () => {
      const cases: [number | null, ScanStatus][] = [
        [null, 'scanned'],
        [0, 'scanned'],
        [3.9, 'scanned'],
        [4, 'scanned'],
        [6.9, 'scanned'],
        [7, 'scanned'],
        [10, 'scanned'],
        [9.8, 'partial'],
        [null, 'not_found'],
      ];
      for (const [i, [max, status]] of cases.entries()) {
        const d = digest(`g${i}`);
        const findings = max === null ? [] : [{ id: `CVE-2025-${i}`, cvss: max }];
        await ingestResult(store, imageResult({ digest: d, repository: 'grade/case', status, findings }));
        for (const th of [
          { warn: 4, fail: 7 },
          { warn: 0, fail: 6.9 },
          { warn: 10, fail: 10 },
        ]) {
          await store.transaction((tx) => tx.images.regrade(th));
          const got = (await store.images.get(d))?.summary.result;
          assert.equal(got, gradeOf(max, th, status), `max ${max} ${status} ${JSON.stringify(th)}`);
        }
      }
      await store.transaction((tx) => tx.images.regrade({ warn: 4, fail: 7 }));
    });

    await t.test('same scan time again changes nothing; an older scan loses; a newer one wins', async () => {
      assert.equal((await ingestResult(store, doc('2026-11-02T00:00:00Z', 9.1))).outcome, 'created');
      assert.equal((await ingestResult(store, doc('2026-11-02T00:00:00.000Z', 1.0))).outcome, 'unchanged');
      assert.equal((await ingestResult(store, doc('2026-11-01T00:00:00Z', 2.0))).outcome, 'stale');
      assert.equal((await store.images.get(key))?.summary.maxCvssV3, 9.1);
      const newer = await ingestResult(store, doc('2026-11-03T00:00:00Z', 5.5));
      assert.deepEqual([newer.outcome, newer.result, newer.maxCvssV3], ['replaced', 'WARN', 5.5]);
      assert.equal((await store.findings.forImage(key)).length, 1);
    });

    await t.test("findings excepted by the scanner's ignore file do not count", async () => {
      const d = digest('ig');
      const findings = [
        { id: 'CVE-2025-7', cvss: 9.9, excepted: true },
        { id: 'CVE-2025-8', cvss: 4.2 },
      ];
      const r = await ingestResult(store, imageResult({ digest: d, repository: 'acme/ig', findings }));
      assert.deepEqual([r.result, r.maxCvssV3], ['WARN', 4.2]);
      assert.equal((await store.images.get(d))?.summary.excepted, 1);
    });

    await t.test('an exception stops applying when it expires (periodic sweep)', async () => {
      const d = digest('ex');
      await ingestResult(
        store,
        imageResult({ digest: d, repository: 'acme/ex', findings: [{ id: 'CVE-2025-5', cvss: 8 }] }),
      );
      const since = new Date();
      const expires = new Date(Date.now() + 1500).toISOString();
      await addVulnerabilityException(
        store,
        { target: 'CVE-2025-5', reason: 'for a moment', expires },
        'test',
      );
      assert.equal((await store.images.get(d))?.summary.result, 'PASS');
      await new Promise((r) => setTimeout(r, 1600));
      await sweepExpiredExceptions(store, since);
      assert.equal((await store.images.get(d))?.summary.result, 'FAIL');
    });

    await t.test('ten concurrent submissions for one digest leave one row, latest scan wins', async () => {
      const d = digest('cc');
      const docs = Array.from({ length: 10 }, (_, i) =>
        imageResult({
          digest: d,
          repository: 'acme/race',
          scannedAt: `2026-11-10T00:00:0${i}Z`,
          findings: Array.from({ length: 50 }, (_, j) => ({ id: `CVE-2025-${j}`, cvss: i })),
        }),
      );
      const outcomes = await Promise.all(docs.map((x) => ingestResult(store, x)));
      assert.equal(outcomes.filter((o) => o.outcome === 'created').length, 1);
      const page = await store.imageList.list(
        { repository: 'acme/race' },
        { sort: 'maxCvss', order: 'desc', limit: 10 },
      );
      assert.equal(page.items.length, 1);
      assert.equal(page.items[0]?.lastScanned, '2026-11-10T00:00:09.000Z');
      assert.equal(page.items[0]?.maxCvssV3, 9);
      assert.equal((await store.findings.forImage(d)).length, 50);
    });
  });
}

test('two replicas migrating one PostgreSQL database at once apply each migration once', async (t) => {
  const db = await createTestDatabase();
  t.after(() => db.drop());
  const [a, b] = await Promise.all([openStore({ url: db.url }), openStore({ url: db.url })]);
  t.after(async () => {
    await a.close();
    await b.close();
  });
  assert.equal(await a.tokens.count(), 0);
  assert.deepEqual(await b.settings.thresholds(), { warn: 4, fail: 7 });
  const { openPg } = await import('./pg-driver.js');
  const sql = openPg(db.url);
  t.after(() => sql.close());
  const rows = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
  assert.equal(rows.rows[0]?.n, migrations.length);
  assert.deepEqual(await migrate(sql), []);
});

test('migrate reports what it ran, and nothing the second time', async (t) => {
  const db = await createTestDatabase();
  t.after(() => db.drop());
  const { openPg } = await import('./pg-driver.js');
  const sql = openPg(db.url);
  t.after(() => sql.close());
  assert.deepEqual(
    await migrate(sql),
    migrations.map((m) => m.version),
  );
  assert.deepEqual(await migrate(sql), []);
  const rows = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
  assert.equal(rows.rows[0]?.n, migrations.length);
});
