/**
 * Measures the SQL paths that must scale (issue 7): re-grading every image after a threshold
 * change, recomputing every image's aggregates, a filtered list page, and adding an exception for
 * a CVE present in many images. Rows are generated in SQL. Not part of the test suite.
 * Usage: node --import tsx src/server/testing/bench-regrade.ts [pglite|postgres] [images] [findingsPerImage]
 */
import { addVulnerabilityException } from '../services/exceptions.js';
import { ImageListQuerySchema, listImages } from '../services/images.js';
import { putThresholds } from '../services/thresholds.js';
import { migrate } from '../store/migrate.js';
import { openPg } from '../store/pg-driver.js';
import { openPglite } from '../store/pglite-driver.js';
import type { Sql } from '../store/sql.js';
import { createStore, type Store } from '../store/store.js';
import { createTestDatabase } from './backends.js';

const [backend = 'postgres', imagesArg = '10000', perArg = '20'] = process.argv.slice(2);

async function time<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  console.log(`${backend} ${label}: ${(performance.now() - t0).toFixed(0)} ms`);
  return out;
}

const KEY = `'sha256:' || lpad(to_hex(g), 64, '0')`;

async function seed(sql: Sql, images: number, per: number): Promise<void> {
  await sql.query(
    `INSERT INTO images (id, registry, repository, tags, status, status_message, scanned_at, document, result)
     SELECT ${KEY}, 'docker.io', 'repo/' || (g % 2000), ARRAY['t' || g],
       CASE WHEN g % 50 = 0 THEN 'partial' ELSE 'scanned' END, 'ok', now() - g * interval '1 minute', '{}'::jsonb, 'PASS'
     FROM generate_series(1, $1::int) g`,
    [images],
  );
  await sql.query(
    `INSERT INTO findings (image_key, ord, vuln_id, ids, package_name, package_type, package_version, purl, purl_base,
       fix_status, severity, cvss, epss, kev, layer_index, from_base, doc_excepted, data)
     SELECT ${KEY}, k, 'CVE-2024-' || ((g * 7 + k * 13) % 5000), ARRAY['CVE-2024-' || ((g * 7 + k * 13) % 5000)],
       'pkg' || k, 'deb', '1.0', 'pkg:deb/debian/pkg' || k || '@1.0', 'deb/debian/pkg' || k, 'affected', 'high',
       ((g * 31 + k * 17) % 100) / 10.0, ((g + k) % 100) / 100.0, (g + k) % 97 = 0, 0, true, false, '{}'::jsonb
     FROM generate_series(1, $1::int) g, generate_series(0, $2::int - 1) k`,
    [images, per],
  );
  await sql.query('ANALYZE');
}

/** p50/p95 of a list page over repeated runs (what the goal is stated in). */
async function listLatency(store: Store, label: string, query: Record<string, string>): Promise<void> {
  const q = ImageListQuerySchema.parse(query);
  const ms: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now();
    await listImages(store, q);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const at = (p: number) => (ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] ?? 0).toFixed(1);
  console.log(`${backend} list ${label}: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms`);
}

async function main(): Promise<void> {
  const images = Number(imagesArg);
  const per = Number(perArg);
  const db = backend === 'postgres' ? await createTestDatabase() : undefined;
  const sql = db ? openPg(db.url) : await openPglite();
  const store = createStore(sql, db ? 'postgres' : 'pglite');
  try {
    await migrate(sql);
    await time(`seed ${images} images × ${per} findings`, () => seed(sql, images, per));
    await time('recompute all aggregates', () =>
      store.transaction((tx) => tx.images.recompute(null, { warn: 4, fail: 7 })),
    );
    const r = await time('regrade after threshold change', () =>
      putThresholds(store, { warn: 9.5, fail: 9.9 }),
    );
    console.log(`${backend} regraded rows: ${r.regraded}`);
    await sql.query('ANALYZE');
    await listLatency(store, 'default (maxCvss desc)', {});
    await listLatency(store, 'result=FAIL&kev=true&minEpss=0.5', {
      result: 'FAIL',
      kev: 'true',
      minEpss: '0.5',
    });
    await listLatency(store, 'result=PASS&sort=lastScanned', { result: 'PASS', sort: 'lastScanned' });
    await listLatency(store, 'cve=CVE-2024-42', { cve: 'CVE-2024-42' });
    await listLatency(store, 'q=repo/17', { q: 'repo/17' });
    await listLatency(store, 'repository=repo/17&sort=repository', {
      repository: 'repo/17',
      sort: 'repository',
    });
    await time('add exception for a common CVE', () =>
      addVulnerabilityException(store, { target: 'CVE-2024-42', reason: 'bench' }, 'bench'),
    );
  } finally {
    await sql.close();
    await db?.drop();
  }
}

await main();
