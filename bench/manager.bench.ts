/**
 * The manager at fleet scale (issue 7 "Measured"), on PostgreSQL and on PGlite: ingest
 * throughput of results with 200 findings (8 concurrent submitters, through the HTTP route with
 * its schema validation), p95 of `GET /api/v1/images` with filters over a bulk-loaded fleet,
 * re-grading every image after a threshold change, and the CSV export rate in both modes.
 * Requests go through Fastify's `inject` (the whole route: auth, validation, service, JSON),
 * not a socket. Goals from the issue: list p95 < 100 ms on PostgreSQL, re-grade < 5 s.
 *
 * PostgreSQL: ASSAY_TEST_PG_URL or the tests' default; a throw-away database is created and
 * dropped. Sizes: ASSAY_BENCH_PG_IMAGES (100000) and ASSAY_BENCH_PGLITE_IMAGES (10000) images of
 * 100 findings each — PGlite is single-threaded WASM, so it gets a tenth of the fleet.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.js';
import { exportCsv } from '../src/server/services/exports.js';
import { createToken } from '../src/server/services/tokens.js';
import {
  type Backend,
  benchResult,
  latency,
  openBenchStore,
  type Percentiles,
  seedFleet,
  throughput,
} from './lib/manager-fixtures.js';

const PER_IMAGE = 100;
const INGEST = { postgres: 400, pglite: 200 } as const;
const EXPORT_SECONDS = 15;

interface Row {
  backend: Backend;
  what: string;
  value: string;
  goal?: string;
  met?: boolean;
}

const rows: Row[] = [];
const record = (r: Row) => {
  rows.push(r);
  const goal = r.goal ? ` (goal ${r.goal}: ${r.met ? 'met' : 'NOT met'})` : '';
  console.log(`- ${r.backend}: ${r.what}: ${r.value}${goal}`);
};

function fleetSize(backend: Backend): number {
  const env = backend === 'postgres' ? 'ASSAY_BENCH_PG_IMAGES' : 'ASSAY_BENCH_PGLITE_IMAGES';
  return Number(process.env[env] ?? (backend === 'postgres' ? 100_000 : 10_000));
}

async function get(app: FastifyInstance, token: string, url: string): Promise<Record<string, unknown>> {
  const r = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  if (r.statusCode !== 200) throw new Error(`GET ${url}: ${r.statusCode} ${r.body.slice(0, 200)}`);
  return r.json();
}

async function listQueries(app: FastifyInstance, token: string): Promise<[string, string][]> {
  const first = await get(app, token, '/api/v1/images?sort=maxCvss&limit=50');
  const cursor = String(first.nextCursor ?? '');
  return [
    ['default (maxCvss desc)', ''],
    ['result=FAIL', 'result=FAIL'],
    ['kev=true&minEpss=0.5', 'kev=true&minEpss=0.5'],
    ['cve=CVE-2024-42', 'cve=CVE-2024-42'],
    ['q=repo/17', 'q=repo%2F17'],
    ['repository=repo/17', 'repository=repo%2F17'],
    ['sort=maxCvss, cursor page 2', `sort=maxCvss&limit=50&cursor=${encodeURIComponent(cursor)}`],
    ['result=WARN&sort=lastScanned', 'result=WARN&sort=lastScanned'],
  ];
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; out: T }> {
  const t0 = performance.now();
  const out = await fn();
  return { ms: performance.now() - t0, out };
}

async function benchBackend(backend: Backend): Promise<void> {
  const images = fleetSize(backend);
  const bench = await openBenchStore(backend);
  const { store, sql } = bench;
  const app = await buildApp({ store, rateLimitPerMinute: 1_000_000_000 });
  try {
    const admin = (await createToken(store, 'admin', 'bench')).token;
    const scanner = (await createToken(store, 'scanner', 'bench')).token;
    const seeded = await timed(() => seedFleet(store, sql, images, PER_IMAGE));
    record({
      backend,
      what: `bulk load ${images.toLocaleString('en')} images × ${PER_IMAGE} findings (SQL, not measured against a goal)`,
      value: `${(seeded.ms / 1000).toFixed(1)} s`,
    });

    const docs = Array.from({ length: INGEST[backend] }, (_, i) => JSON.stringify(benchResult(i)));
    const ingest = await throughput(docs.length, 8, async (i) => {
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/scans',
        payload: docs[i],
        headers: { authorization: `Bearer ${scanner}`, 'content-type': 'application/json' },
      });
      if (r.statusCode !== 201)
        throw new Error(`POST /api/v1/scans: ${r.statusCode} ${r.body.slice(0, 200)}`);
    });
    record({
      backend,
      what: `ingest ${docs.length} results × 200 findings, concurrency 8, into the loaded store`,
      value: `${ingest.perSecond.toFixed(1)} results/s (p95 ${ingest.p95.toFixed(0)} ms per POST)`,
    });

    for (const [label, query] of await listQueries(app, admin)) {
      const p: Percentiles = await latency(() => get(app, admin, `/api/v1/images?${query}`), 40);
      const goal = backend === 'postgres' ? { goal: 'p95 < 100 ms', met: p.p95 < 100 } : {};
      record({
        backend,
        what: `GET /api/v1/images ${label}`,
        value: `p50 ${p.p50.toFixed(1)} ms, p95 ${p.p95.toFixed(1)} ms`,
        ...goal,
      });
    }

    for (const t of [
      { warn: 6, fail: 9 },
      { warn: 4, fail: 7 },
    ]) {
      const r = await timed(() =>
        app.inject({
          method: 'PUT',
          url: '/api/v1/settings/thresholds',
          payload: t,
          headers: { authorization: `Bearer ${admin}` },
        }),
      );
      if (r.out.statusCode !== 200) throw new Error(`PUT thresholds: ${r.out.statusCode} ${r.out.body}`);
      record({
        backend,
        what: `re-grade all ${(images + docs.length).toLocaleString('en')} images → warn ${t.warn}, fail ${t.fail} (${JSON.stringify(r.out.json())})`,
        value: `${(r.ms / 1000).toFixed(2)} s`,
        goal: '< 5 s',
        met: r.ms < 5000,
      });
    }

    for (const mode of ['image', 'image_cve'] as const) {
      const t0 = performance.now();
      let lines = -1; // the header
      let bytes = 0;
      for await (const chunk of exportCsv(store, { sort: 'maxCvss' }, mode)) {
        lines += chunk.split('\r\n').length - 1;
        bytes += chunk.length;
        if (performance.now() - t0 > EXPORT_SECONDS * 1000) break;
      }
      const secs = (performance.now() - t0) / 1000;
      record({
        backend,
        what: `CSV export mode=${mode} (first ${EXPORT_SECONDS} s at most: ${lines.toLocaleString('en')} rows, ${(bytes / 1e6).toFixed(1)} MB)`,
        value: `${Math.round(lines / secs).toLocaleString('en')} rows/s`,
      });
    }
  } finally {
    await app.close();
    await bench.close();
  }
}

function table(): void {
  console.log('\n| backend | measure | value | goal | met |\n| --- | --- | --- | --- | --- |');
  for (const r of rows)
    console.log(
      `| ${r.backend} | ${r.what} | ${r.value} | ${r.goal ?? ''} | ${r.goal ? (r.met ? 'yes' : 'NO') : ''} |`,
    );
}

export default async function bench(): Promise<void> {
  const only = process.env.ASSAY_BENCH_MANAGER_BACKENDS?.split(',') ?? ['postgres', 'pglite'];
  for (const backend of ['postgres', 'pglite'] as const) {
    if (!only.includes(backend)) continue;
    console.log(`### ${backend}`);
    await benchBackend(backend);
  }
  table();
}
