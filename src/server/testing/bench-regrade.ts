/**
 * The SQL paths that must scale, through the services alone (no HTTP), for quick runs while
 * changing the store: re-grade after a threshold change, filtered list pages, and an exception
 * for a CVE present in many images. The full measurement is `npm run bench -- manager`
 * (bench/manager.bench.ts), whose fleet this reuses. Not part of the test suite.
 * Usage: node --import tsx src/server/testing/bench-regrade.ts [pglite|postgres] [images] [findingsPerImage]
 */
import { type Backend, latency, openBenchStore, seedFleet } from '../../../bench/lib/manager-fixtures.js';
import { addVulnerabilityException } from '../services/exceptions.js';
import { ImageListQuerySchema, listImages } from '../services/images.js';
import { putThresholds } from '../services/thresholds.js';

const [backendArg = 'postgres', imagesArg = '10000', perArg = '20'] = process.argv.slice(2);
const backend: Backend = backendArg === 'pglite' ? 'pglite' : 'postgres';

async function time<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  console.log(`${backend} ${label}: ${(performance.now() - t0).toFixed(0)} ms`);
  return out;
}

const queries: Record<string, Record<string, string>> = {
  'default (maxCvss desc)': {},
  'result=FAIL&kev=true&minEpss=0.5': { result: 'FAIL', kev: 'true', minEpss: '0.5' },
  'result=PASS&sort=lastScanned': { result: 'PASS', sort: 'lastScanned' },
  'cve=CVE-2024-42': { cve: 'CVE-2024-42' },
  'q=repo/17': { q: 'repo/17' },
  'repository=repo/17&sort=repository': { repository: 'repo/17', sort: 'repository' },
};

const { store, sql, close } = await openBenchStore(backend);
try {
  const images = Number(imagesArg);
  const per = Number(perArg);
  await time(`seed ${images} images × ${per} findings`, () => seedFleet(store, sql, images, per));
  const r = await time('regrade after threshold change', () => putThresholds(store, { warn: 6, fail: 9 }));
  console.log(`${backend} regraded rows: ${r.regraded}`);
  for (const [label, query] of Object.entries(queries)) {
    const q = ImageListQuerySchema.parse(query);
    const p = await latency(() => listImages(store, q));
    console.log(`${backend} list ${label}: p50 ${p.p50.toFixed(1)} ms, p95 ${p.p95.toFixed(1)} ms`);
  }
  await time('add exception for a common CVE', () =>
    addVulnerabilityException(store, { target: 'CVE-2024-42', reason: 'bench' }, 'bench'),
  );
} finally {
  await close();
}
