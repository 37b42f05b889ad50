/**
 * Per-feed import figures that bench/vulndb.bench.ts (OSV Go/PyPI, a generated EPSS CSV, a
 * synthetic 100k-advisory DB, lookups) does not give: each real feed on this machine imported by
 * `assay db import` into an empty DB (wall time, records/s, peak RSS, DB size), a full-size
 * synthetic Debian tracker JSON (the real one, ~70 MB, is not on this machine), every feed in
 * one command, `db export` / bundle import, and the lookups a scan makes, on the full bench DB.
 * Prints tables; nothing asserts timings.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { dbFilePath, VulnDb } from '../src/vulndb/store.js';
import { assayCommand } from './lib/assay-cli.js';
import { benchDb } from './lib/bench-db.js';
import { type CpuTimed, timeCommandCpu } from './lib/cpu-time.js';
import { OUT } from './lib/fixtures.js';
import { syntheticTracker } from './lib/synthetic-tracker.js';

const SHARED = '/work/shared/data';
const WORK = join(OUT, 'vulndb-feeds');
const TRACKER_PACKAGES = 40_000;

interface Feed {
  name: string;
  paths: string[];
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const fmt = (t: CpuTimed) => `${t.seconds.toFixed(2)} / ${t.cpuSeconds.toFixed(2)} s`;
const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en-US')}/s`;

/** FIRST's CSV from the EMBA crawl (see lib/bench-db.ts); written once. */
function epssCsv(): string {
  const out = join(WORK, 'epss_scores-2026-08-16.csv.gz');
  if (existsSync(out)) return out;
  const text = gunzipSync(readFileSync(join(SHARED, 'epss', 'emba-epss-2026-08-16.txt.gz'))).toString('utf8');
  const rows = text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => l.trim().split(';').join(','));
  const head = ['#model_version:v2026.06.15,score_date:2026-08-16T00:00:00Z', 'cve,epss,percentile'];
  writeFileSync(out, gzipSync(`${[...head, ...rows].join('\n')}\n`));
  return out;
}

/** A tracker the size of the real export: 40k source packages, 0–8 CVEs each, gzipped as served. */
function bigTracker(): string {
  const out = join(WORK, 'debian-tracker-synthetic.json.gz');
  if (existsSync(out)) return out;
  const sources = Array.from({ length: TRACKER_PACKAGES }, (_, i) => ({
    name: `pkg-${i.toString(36)}`,
    version: `${1 + (i % 7)}.${i % 13}.${i % 5}-${1 + (i % 3)}`,
  }));
  const ids = Array.from({ length: TRACKER_PACKAGES * 8 }, (_, i) => `CVE-${2005 + (i % 20)}-${10000 + i}`);
  const text =
    'A buffer overflow in the parser allows remote attackers to cause a denial of service or possibly execute arbitrary code via a crafted file.';
  const t = syntheticTracker(sources, { kev: [], scored: ids, other: [] }, 'bookworm', () => text, 7);
  writeFileSync(out, gzipSync(JSON.stringify(t.json)));
  return out;
}

function feeds(): Feed[] {
  const list: Feed[] = [
    {
      name: 'CVE JSON 5 vulnrichment tar.gz',
      paths: [join(SHARED, 'nvd', 'cve5-vulnrichment-2024-10-24.tar.gz')],
    },
    { name: 'NVD API 2.0 page', paths: [join(SHARED, 'nvd', 'nvd-api2-page-2023-10-18.json')] },
    { name: 'KEV catalog', paths: [join(SHARED, 'kev', 'known_exploited_vulnerabilities.json')] },
    { name: 'EPSS CSV (real, 360k rows)', paths: [epssCsv()] },
    { name: 'OSV Go all.zip', paths: [join(SHARED, 'osv', 'Go', 'all.zip')] },
    { name: 'OSV PyPI all.zip', paths: [join(SHARED, 'osv', 'PyPI', 'all.zip')] },
    {
      name: 'Alpine secdb v3.9–v3.11 (6 files)',
      paths: ['v3.9', 'v3.10', 'v3.11'].flatMap((v) =>
        ['main', 'community'].map((r) => join(SHARED, 'alpine-secdb', v, `${r}.json`)),
      ),
    },
    { name: `Debian tracker (synthetic, ${TRACKER_PACKAGES / 1000}k packages)`, paths: [bigTracker()] },
  ];
  return list.filter((f) => f.paths.every((p) => existsSync(p)));
}

interface Imported {
  name: string;
  t: CpuTimed;
  records: number;
  inputBytes: number;
  dbBytes: number;
}

function importInto(dir: string, name: string, paths: string[]): Imported {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t = timeCommandCpu(`${assayCommand()} db import -p ${dir} ${paths.join(' ')}`);
  const db = VulnDb.open(dir);
  const records = db.info().sources.reduce((n, s) => n + s.records, 0);
  db.close();
  const inputBytes = paths.reduce((n, p) => n + statSync(p).size, 0);
  return { name, t, records, inputBytes, dbBytes: statSync(dbFilePath(dir)).size };
}

function printImports(rows: Imported[]): void {
  console.log('| feed | input | records | wall / CPU | records/s (wall) | peak RSS | DB size |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.name} | ${mb(r.inputBytes)} | ${r.records.toLocaleString('en-US')} | ${fmt(r.t)} | ${rate(r.records, r.t.seconds)} | ${(r.t.rssMiB ?? 0).toFixed(0)} MiB | ${mb(r.dbBytes)} |`,
    );
  console.log('');
}

/** Export the full DB as a bundle and import that bundle into an empty directory. */
function bundleRoundTrip(full: string): string[] {
  const bundle = join(WORK, 'assay-db-bundle.tar.gz');
  rmSync(bundle, { force: true });
  const exp = timeCommandCpu(`${assayCommand()} db export -p ${full} ${bundle}`);
  const target = join(WORK, 'from-bundle');
  rmSync(target, { recursive: true, force: true });
  const imp = timeCommandCpu(`${assayCommand()} db import -p ${target} ${bundle}`);
  return [
    `- db export of the full DB (${mb(statSync(dbFilePath(full)).size)}): ${fmt(exp)}, peak RSS ${exp.rssMiB?.toFixed(0)} MiB, bundle ${mb(statSync(bundle).size)}`,
    `- db import of that bundle into an empty directory: ${fmt(imp)}, peak RSS ${imp.rssMiB?.toFixed(0)} MiB`,
  ];
}

/**
 * What one scan asks the DB, per Debian source package of the big image: its affected entries,
 * then for each entry's advisory the advisory row, its CVSS scores, EPSS and KEV.
 */
function scanShapedLookups(dir: string): string {
  const db = VulnDb.open(dir);
  try {
    const plan = JSON.parse(readFileSync(join(dir, 'synthetic-tracker-plan.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const names = [...Object.keys(plan), ...Array.from({ length: 100 }, (_, i) => `absent-${i}`)];
    let queries = 0;
    let rounds = 0;
    const start = performance.now();
    while (performance.now() - start < 1000) {
      for (const name of names) {
        const entries = db.affected('Debian:12', name);
        queries++;
        for (const e of entries) {
          db.advisory(e.feed, e.advisoryId);
          db.cvss([e.advisoryId]);
          db.epss(e.advisoryId);
          db.kev(e.advisoryId);
          queries += 4;
        }
      }
      rounds++;
    }
    const s = (performance.now() - start) / 1000;
    return `- scan-shaped lookups on the full DB (${names.length} source names, their advisories' rows, CVSS, EPSS, KEV): ${rate(queries, s)} queries, ${rate(rounds * names.length, s)} packages`;
  } finally {
    db.close();
  }
}

export default async function bench(): Promise<void> {
  mkdirSync(WORK, { recursive: true });
  const startup = timeCommandCpu(`${assayCommand()} --version`);
  console.log(`CLI start-up (\`assay --version\`): ${fmt(startup)}; it is most of the small feeds' time.`);
  console.log('');
  const rows: Imported[] = [];
  const list = feeds();
  for (const f of list) rows.push(importInto(join(WORK, 'one'), f.name, f.paths));
  rows.push(
    importInto(
      join(WORK, 'all'),
      'all of the above, one command',
      list.flatMap((f) => f.paths),
    ),
  );
  printImports(rows);
  const full = await benchDb();
  for (const line of bundleRoundTrip(full)) console.log(line);
  console.log(scanShapedLookups(full));
}
