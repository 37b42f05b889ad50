/**
 * The manager's bench fleet (issue 7 "Measured"): a store on either engine, result documents of
 * ~200 findings for ingest, and a bulk load of N images × M findings generated in SQL (posting
 * 100,000 documents would measure ingest again, for an hour). Seeded rows carry realistic
 * `document`/`data` JSON built from the test fixtures, so exports read what ingest would store.
 */
import type { ImageResult } from '../../src/model/result.js';
import { migrate } from '../../src/server/store/migrate.js';
import { openPg } from '../../src/server/store/pg-driver.js';
import { openPglite } from '../../src/server/store/pglite-driver.js';
import type { Sql } from '../../src/server/store/sql.js';
import { createStore, type Store } from '../../src/server/store/store.js';
import { createTestDatabase } from '../../src/server/testing/backends.js';
import { digest, finding, imageResult } from '../../src/server/testing/fixtures.js';

export type Backend = 'postgres' | 'pglite';

export interface BenchStore {
  store: Store;
  sql: Sql;
  close(): Promise<void>;
}

/** A fresh migrated store: a throw-away PostgreSQL database (as the tests make) or in-memory PGlite. */
export async function openBenchStore(backend: Backend, poolSize = 12): Promise<BenchStore> {
  const db = backend === 'postgres' ? await createTestDatabase() : undefined;
  const sql = db ? openPg(db.url, poolSize) : await openPglite();
  try {
    await migrate(sql);
  } catch (err) {
    await sql.close();
    await db?.drop();
    throw err;
  }
  return {
    store: createStore(sql, backend),
    sql,
    close: async () => {
      await sql.close();
      await db?.drop();
    },
  };
}

/** Result `i` as `assay scan` would post it: 200 findings over 3,000 CVE ids. */
export function benchResult(i: number, findings = 200): ImageResult {
  return imageResult({
    digest: digest(`bench-${i}`),
    repository: `bench/repo-${i % 50}`,
    tags: [`v${i}`],
    findings: Array.from({ length: findings }, (_, j) => ({
      id: `CVE-2024-${(i * 7 + j) % 3000}`,
      cvss: ((i + j) % 100) / 10,
      pkg: `pkg${j}`,
      epss: ((i * 13 + j) % 100) / 100,
      kev: (i + j) % 97 === 0,
      ...(j % 3 === 0 ? { fixed: '9.9-1' } : {}),
    })),
  });
}

const KEY = `'sha256:' || lpad(to_hex(g), 64, '0')`;

/** Constraints and indexes that are far cheaper built once after a bulk load than row by row. */
async function dropFindingIndexes(sql: Sql): Promise<string[]> {
  const defs = await sql.query<{ ddl: string; drop: string }>(
    `SELECT format('ALTER TABLE findings ADD CONSTRAINT %I %s', conname, pg_get_constraintdef(oid)) AS ddl,
            format('ALTER TABLE findings DROP CONSTRAINT %I', conname) AS drop
       FROM pg_constraint WHERE conrelid = 'findings'::regclass AND contype IN ('p', 'f')
     UNION ALL
     SELECT pg_get_indexdef(i.indexrelid), format('DROP INDEX %I', c.relname)
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = 'findings'::regclass AND NOT EXISTS
        (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = 'findings'::regclass)`,
  );
  for (const d of defs.rows) await sql.query(d.drop);
  return defs.rows.map((d) => d.ddl);
}

function templates(): { document: string; finding: string } {
  const { findings: _f, ...doc } = imageResult({ digest: digest('seed'), repository: 'repo/0' });
  const f = finding({ id: 'CVE-2024-1', cvss: 5, pkg: 'pkg0', epss: 0.1 });
  return { document: JSON.stringify(doc), finding: JSON.stringify({ ...f, references: [] }) };
}

/**
 * `images` × `perImage` rows generated in SQL. Each image has its own CVSS ceiling (0–10), so
 * results spread over PASS/WARN/FAIL and a threshold change re-grades many of them; 2,000
 * repositories over two registries; 5,000 CVE ids; ~1% KEV; a third fixable. Aggregates and
 * grades are then computed by the store's own `recompute`, as ingest would.
 */
export async function seedFleet(store: Store, sql: Sql, images: number, perImage: number): Promise<void> {
  const t = templates();
  await sql.query(
    `INSERT INTO images (id, image_id, registry, repository, tags, status, status_message, scanned_at, document, result)
     SELECT ${KEY}, NULL, CASE WHEN g % 3 = 0 THEN 'ghcr.io' ELSE 'docker.io' END, 'repo/' || (g % 2000),
       ARRAY['t' || g], CASE WHEN g % 50 = 0 THEN 'partial' ELSE 'scanned' END, 'ok',
       now() - g * interval '1 minute',
       $1::jsonb || jsonb_build_object('input', 'registry:repo/' || (g % 2000) || ':t' || g,
         'image', ($1::jsonb -> 'image') || jsonb_build_object('id', ${KEY}, 'manifestDigest', ${KEY},
           'repository', 'repo/' || (g % 2000), 'tags', jsonb_build_array('t' || g))),
       'UNKNOWN'
     FROM generate_series(1, $2::int) g`,
    [t.document, images],
  );
  const restore = await dropFindingIndexes(sql);
  await sql.query(
    `INSERT INTO findings (image_key, ord, vuln_id, ids, package_name, package_type, package_version, purl,
       purl_base, fixed_version, fix_status, severity, cvss, epss, kev, layer_index, from_base, doc_excepted, data)
     SELECT key, k, vid, ARRAY[vid], 'pkg' || k, 'deb', '1.0', 'pkg:deb/debian/pkg' || k || '@1.0',
       'deb/debian/pkg' || k, fixed, CASE WHEN fixed IS NULL THEN 'affected' ELSE 'fixed' END,
       CASE WHEN cv >= 9 THEN 'critical' WHEN cv >= 7 THEN 'high' WHEN cv >= 4 THEN 'medium'
            WHEN cv > 0 THEN 'low' ELSE 'none' END,
       cv, ep, kev, 0, true, false,
       $1::jsonb || jsonb_build_object('id', vid, 'installedVersion', '1.0', 'epss',
         jsonb_build_object('score', ep, 'percentile', 0.5),
         'cvss', ($1::jsonb -> 'cvss') || jsonb_build_object('score', cv),
         'package', ($1::jsonb -> 'package') || jsonb_build_object('name', 'pkg' || k, 'version', '1.0',
           'purl', 'pkg:deb/debian/pkg' || k || '@1.0'))
         || CASE WHEN kev THEN '{"kev": {"dateAdded": "2024-01-10", "knownRansomwareCampaignUse": false}}'::jsonb
                 ELSE '{}'::jsonb END
         || CASE WHEN fixed IS NULL THEN '{}'::jsonb ELSE '{"fixedVersion": "1.1", "status": "fixed"}'::jsonb END
     FROM (
       SELECT ${KEY} AS key, k, 'CVE-2024-' || ((g * 7 + k * 13) % 5000) AS vid,
         least((g * 7 % 101) / 10.0, ((g * 31 + k * 17) % 101) / 10.0)::float8 AS cv,
         ((g + k) % 100) / 100.0 AS ep, (g + k) % 97 = 0 AS kev,
         CASE WHEN k % 3 = 0 THEN '1.1' END AS fixed
       FROM generate_series(1, $2::int) g, generate_series(0, $3::int - 1) k) s`,
    [t.finding, images, perImage],
  );
  // A bigger sort budget for the one-off index builds (PGlite's WASM heap is kept at the default).
  const budget = store.kind === 'postgres' ? "SET maintenance_work_mem = '1GB'; " : '';
  for (const ddl of restore) await sql.exec(`${budget}${ddl}`);
  await store.transaction((tx) => tx.images.recompute(null, { warn: 4, fail: 7 }));
  await sql.query('ANALYZE');
}

export interface Percentiles {
  p50: number;
  p95: number;
  runs: number;
}

/** p50/p95 in ms of `runs` sequential calls after two warm-up calls. */
export async function latency(fn: () => Promise<unknown>, runs = 40): Promise<Percentiles> {
  for (let i = 0; i < 2; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const at = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] ?? Number.NaN;
  return { p50: at(0.5), p95: at(0.95), runs };
}

/** Runs `submit` over `count` items with `concurrency` workers; results/s and p95 per call (ms). */
export async function throughput(
  count: number,
  concurrency: number,
  submit: (i: number) => Promise<void>,
): Promise<{ perSecond: number; p95: number }> {
  let next = 0;
  const ms: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const s = performance.now();
        await submit(i);
        ms.push(performance.now() - s);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  ms.sort((a, b) => a - b);
  return { perSecond: count / secs, p95: ms[Math.floor(ms.length * 0.95)] ?? Number.NaN };
}
