import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { buildDb } from '../src/vulndb/build.js';
import type { AdvisoryImporter } from '../src/vulndb/importer.js';
import { dbFilePath, VulnDb } from '../src/vulndb/store.js';
import type { AdvisoryRecord } from '../src/vulndb/types.js';

/**
 * Vulnerability DB figures (issue 5): import throughput of the real OSV Go and PyPI archives and
 * of a generated 300k-row EPSS CSV, DB size per 100k advisories, and package lookups per second
 * (goal > 50,000/s). Builds into bench/out/vulndb/. Prints a table; nothing asserts timings.
 */
const OUT = new URL('./out/vulndb/', import.meta.url).pathname;
const SHARED = '/work/shared/data/osv';
const EPSS_ROWS = 300_000;
const ADVISORIES = 100_000;
const LOOKUP_MS = 1000;

interface Row {
  what: string;
  figure: string;
  detail: string;
}

/** Results feed this so the JIT cannot drop the measured work. */
export let sink = 0;

function fresh(name: string): string {
  const dir = join(OUT, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

const perSecond = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en-US')}/s`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function importReal(ecosystem: string): Promise<Row> {
  const file = join(SHARED, ecosystem, 'all.zip');
  if (!existsSync(file))
    return { what: `import OSV ${ecosystem}`, figure: 'skipped', detail: `${file} absent` };
  const dir = fresh(`osv-${ecosystem}`);
  const start = performance.now();
  const r = await buildDb(dir, (b) => b.importFile(file));
  const ms = performance.now() - start;
  return {
    what: `import OSV ${ecosystem} all.zip`,
    figure: `${perSecond(r.records, ms)} records`,
    detail: `${r.records} records (${r.skipped} skipped) in ${(ms / 1000).toFixed(2)} s, DB ${mb(statSync(dbFilePath(dir)).size)}`,
  };
}

function writeEpssCsv(path: string): void {
  const lines = ['#model_version:v2025.03.14,score_date:2026-11-29T00:00:00Z', 'cve,epss,percentile'];
  for (let i = 0; i < EPSS_ROWS; i++) {
    const score = ((i * 7919) % 100000) / 100000;
    lines.push(
      `CVE-${1999 + (i % 27)}-${String(10000 + i).padStart(5, '0')},${score.toFixed(5)},${(1 - score).toFixed(5)}`,
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

async function importEpss(): Promise<Row> {
  const dir = fresh('epss');
  const csv = join(OUT, 'epss-300k.csv');
  writeEpssCsv(csv);
  const start = performance.now();
  const r = await buildDb(dir, (b) => b.importFile(csv));
  const ms = performance.now() - start;
  return {
    what: `import EPSS CSV (${EPSS_ROWS.toLocaleString('en-US')} rows)`,
    figure: `${perSecond(r.records, ms)} records`,
    detail: `${r.importer}: ${r.records} records, ${r.skipped} skipped in ${(ms / 1000).toFixed(2)} s`,
  };
}

const ECOSYSTEMS = ['npm', 'PyPI', 'Go', 'Maven', 'Debian:12'] as const;
const PACKAGES_PER_ECOSYSTEM = 20_000;

function packageName(eco: string, n: number): string {
  if (eco === 'Go') return `github.com/org${n % 500}/module-${n}`;
  if (eco === 'Maven') return `org.example${n % 300}:artifact-${n}`;
  return `package-${n}`;
}

/** A realistic advisory: 2 affected entries, aliases, references, a CVSS vector, prose. */
function syntheticAdvisory(i: number): AdvisoryRecord {
  const eco = ECOSYSTEMS[i % ECOSYSTEMS.length]!;
  const cve = `CVE-${2015 + (i % 11)}-${String(1000 + i).padStart(5, '0')}`;
  const affected = [0, 1].map((k) => ({
    ecosystem: eco,
    package: packageName(eco, (i * 31 + k * 7) % PACKAGES_PER_ECOSYSTEM),
    purl: `pkg:generic/${packageName(eco, i)}`,
    status: 'fixed' as const,
    ranges: [
      { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: `${1 + (i % 9)}.${k}.${i % 17}` }] },
      { type: 'ECOSYSTEM', events: [{ introduced: `${10 + k}.0.0` }, { fixed: `${10 + k}.${i % 5}.3` }] },
    ],
    versions: [],
    fixed: `${1 + (i % 9)}.${k}.${i % 17}`,
  }));
  return {
    feed: 'osv',
    id: `GHSA-${i.toString(36).padStart(4, '0')}-bench-${i}`,
    aliases: [cve],
    summary: `Improper input validation in ${affected[0]!.package} allows remote attackers to cause a denial of service`,
    details: 'A crafted request makes the parser allocate unbounded memory. '.repeat(6),
    published: '2024-03-01T12:00:00Z',
    modified: '2024-06-11T08:30:00Z',
    references: [
      { type: 'ADVISORY', url: `https://nvd.nist.gov/vuln/detail/${cve}` },
      { type: 'WEB', url: `https://github.com/example/project-${i}/issues/${i % 997}` },
      { type: 'PACKAGE', url: `https://example.org/packages/${affected[0]!.package}` },
    ],
    cvss: [
      {
        vulnId: `GHSA-${i}`,
        source: 'advisory',
        version: '3.1',
        vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
        baseScore: 7.5,
      },
    ],
    affected,
  };
}

const syntheticImporter: AdvisoryImporter = {
  id: 'osv',
  version: 1,
  detect: () => false,
  import: async (_path, out) => {
    out.snapshot('bench:synthetic');
    for (let i = 0; i < ADVISORIES; i++) out.putAdvisory(syntheticAdvisory(i));
    return { records: ADVISORIES, skipped: 0, scope: 'bench:synthetic' };
  },
};

async function synthetic(): Promise<{ rows: Row[]; dir: string }> {
  const dir = fresh('synthetic');
  const start = performance.now();
  await buildDb(dir, (b) => b.importWith(syntheticImporter, 'synthetic'));
  const ms = performance.now() - start;
  const size = statSync(dbFilePath(dir)).size;
  return {
    dir,
    rows: [
      {
        what: `write ${ADVISORIES.toLocaleString('en-US')} synthetic advisories (sink)`,
        figure: `${perSecond(ADVISORIES, ms)} advisories`,
        detail: `${(ms / 1000).toFixed(2)} s, 2 affected + 1 alias + 1 CVSS + 3 references each`,
      },
      {
        what: 'DB size per 100k advisories',
        figure: mb((size * 100_000) / ADVISORIES),
        detail: dbFilePath(dir),
      },
    ],
  };
}

/** Query mixes: names drawn with advisories (about 3 entries each), or absent (most of an image's packages). */
function lookupQueries(kind: 'hits' | 'misses'): Array<[string, string]> {
  const queries: Array<[string, string]> = [];
  let seed = 42;
  for (let i = 0; i < 10_000; i++) {
    seed = (seed * 48271) % 2147483647;
    const eco = ECOSYSTEMS[seed % ECOSYSTEMS.length]!;
    const name = packageName(eco, seed % PACKAGES_PER_ECOSYSTEM);
    queries.push([eco, kind === 'hits' ? name : `${name}-absent`]);
  }
  return queries;
}

function lookups(dir: string, kind: 'hits' | 'misses'): Row {
  const db = VulnDb.open(dir);
  try {
    const queries = lookupQueries(kind);
    let done = 0;
    let entries = 0;
    const start = performance.now();
    while (performance.now() - start < LOOKUP_MS) {
      for (const [eco, name] of queries) entries += db.affected(eco, name).length;
      done += queries.length;
    }
    const ms = performance.now() - start;
    sink += entries;
    return {
      what: `package lookups affected(ecosystem, name), ${kind}`,
      figure: `${perSecond(done, ms)} queries`,
      detail: `goal > 50,000/s; ${(entries / done).toFixed(2)} entries per query`,
    };
  } finally {
    db.close();
  }
}

/**
 * The reference measured in the same run: indexed point lookups on a 100k-row in-memory SQLite
 * table, the floor any SQLite-backed lookup sits on (the machine's load shows in both).
 */
function reference(): Row {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (e TEXT, p TEXT, v INTEGER); CREATE INDEX t_ep ON t (e, p)');
  const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < 100_000; i++) insert.run('npm', `package-${i}`, i);
  })();
  const q = db.prepare('SELECT v FROM t WHERE e = ? AND p = ?').raw();
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < LOOKUP_MS) {
    for (let i = 0; i < 1000; i++) sink += q.all('npm', `package-${((done + i) * 7919) % 150_000}`).length;
    done += 1000;
  }
  const ms = performance.now() - start;
  db.close();
  return {
    what: 'reference: in-memory SQLite indexed lookup',
    figure: `${perSecond(done, ms)} queries`,
    detail: '100k rows, one indexed SELECT per query, no JSON',
  };
}

function printTable(rows: readonly Row[]): void {
  const w0 = Math.max(...rows.map((r) => r.what.length));
  const w1 = Math.max(...rows.map((r) => r.figure.length));
  for (const r of rows) console.log(`vulndb ${r.what.padEnd(w0)}  ${r.figure.padStart(w1)}  ${r.detail}`);
}

export default async function bench(): Promise<Row[]> {
  mkdirSync(OUT, { recursive: true });
  const rows: Row[] = [];
  const only = process.env.ASSAY_BENCH_VULNDB_ONLY;
  if (only !== 'lookups') rows.push(await importReal('Go'), await importReal('PyPI'), await importEpss());
  const built = await synthetic();
  rows.push(...built.rows, lookups(built.dir, 'hits'), lookups(built.dir, 'misses'), reference());
  printTable(rows);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
