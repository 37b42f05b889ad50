/**
 * Ingest throughput through the service alone (no HTTP), for quick runs while changing the
 * store. The full measurement is `npm run bench -- manager` (bench/manager.bench.ts), whose
 * fixtures this reuses. Not part of the test suite.
 * Usage: node --import tsx src/server/testing/bench-ingest.ts [pglite|postgres] [results] [concurrency]
 */
import {
  type Backend,
  benchResult,
  openBenchStore,
  throughput,
} from '../../../bench/lib/manager-fixtures.js';
import { ingestResult } from '../services/scans.js';

const [backendArg = 'postgres', countArg = '300', concurrencyArg = '8'] = process.argv.slice(2);
const backend: Backend = backendArg === 'pglite' ? 'pglite' : 'postgres';
const count = Number(countArg);
const concurrency = Number(concurrencyArg);

const bench = await openBenchStore(backend, concurrency + 2);
try {
  const docs = Array.from({ length: count }, (_, i) => benchResult(i));
  const r = await throughput(count, concurrency, async (i) => {
    const doc = docs[i];
    if (doc) await ingestResult(bench.store, doc);
  });
  console.log(
    `${backend}: ${count} results × 200 findings, concurrency ${concurrency}: ${r.perSecond.toFixed(1)} results/s, p95 ${r.p95.toFixed(0)} ms`,
  );
} finally {
  await bench.close();
}
