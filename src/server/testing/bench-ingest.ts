/**
 * Ingest throughput (issue 7 "Measured"): results of ~200 findings each through the ingest
 * service, with a few concurrent submitters. Not part of the test suite.
 * Usage: node --import tsx src/server/testing/bench-ingest.ts [pglite|postgres] [results] [concurrency]
 */
import { ingestResult } from '../services/scans.js';
import { openStore } from '../store/store.js';
import { createTestDatabase } from './backends.js';
import { digest, imageResult } from './fixtures.js';

const [backend = 'postgres', countArg = '300', concurrencyArg = '8'] = process.argv.slice(2);

function doc(i: number) {
  return imageResult({
    digest: digest(`i${i}`),
    repository: `bench/repo-${i % 50}`,
    findings: Array.from({ length: 200 }, (_, j) => ({
      id: `CVE-2024-${(i * 7 + j) % 3000}`,
      cvss: ((i + j) % 100) / 10,
      pkg: `pkg${j}`,
      epss: 0.01,
    })),
  });
}

async function main(): Promise<void> {
  const count = Number(countArg);
  const concurrency = backend === 'pglite' ? 1 : Number(concurrencyArg);
  const db = backend === 'postgres' ? await createTestDatabase() : undefined;
  const store = await openStore(db ? { url: db.url, poolSize: concurrency + 2 } : { dataDir: 'memory' });
  try {
    const docs = Array.from({ length: count }, (_, i) => doc(i));
    let next = 0;
    const ms: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < docs.length) {
          const d = docs[next++];
          if (!d) break;
          const s = performance.now();
          await ingestResult(store, d);
          ms.push(performance.now() - s);
        }
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    ms.sort((a, b) => a - b);
    const p95 = ms[Math.floor(ms.length * 0.95)] ?? 0;
    console.log(
      `${backend}: ${count} results × 200 findings, concurrency ${concurrency}: ${(count / secs).toFixed(1)} results/s, p95 ${p95.toFixed(0)} ms`,
    );
  } finally {
    await store.close();
    await db?.drop();
  }
}

await main();
