/**
 * The "full" vulnerability DB the scan benches match against, built once into bench/out/db/
 * (git-ignored) from the real feeds on this machine — benches may read /work/shared/data, tests
 * may not — plus a synthetic Debian tracker for the benchmark images' own source packages
 * (`synthetic-tracker.ts`), keyed by real CVE ids so CVSS, EPSS and KEV enrichment all happen.
 * Rebuilt when missing, unreadable (another schema version) or built by an older recipe.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { errorMessage } from '../../src/model/errors.js';
import { buildDb, type ImportFileResult } from '../../src/vulndb/build.js';
import type { ImporterId, ImportIssue } from '../../src/vulndb/importer.js';
import type { VulnDbReader } from '../../src/vulndb/reader.js';
import { dbFilePath, VulnDb } from '../../src/vulndb/store.js';
import { benchArchive } from './archives.js';
import { assayCommand } from './assay-cli.js';
import { OUT } from './fixtures.js';
import {
  type CvePools,
  type EntryKind,
  entryKinds,
  type SourcePackage,
  syntheticTracker,
  type TrackerJson,
} from './synthetic-tracker.js';

export const BENCH_DB = join(OUT, 'db');
const INPUTS = join(OUT, 'db-inputs');
const SHARED = '/work/shared/data';
const CVE5 = join(SHARED, 'nvd', 'cve5-vulnrichment-2024-10-24.tar.gz');
/** Bump when the inputs or the generator change: the cached DB is then rebuilt. */
const RECIPE = 3;
const STAMP = join(BENCH_DB, 'bench-db.json');
const PLAN = join(BENCH_DB, 'synthetic-tracker-plan.json');

function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

/** The DB directory (for `assay scan -p`), built first when needed. */
export async function benchDb(): Promise<string> {
  if (usable()) return BENCH_DB;
  await build();
  return BENCH_DB;
}

/** What the synthetic tracker says about each source package: CVE id → entry kind. */
export function benchDbPlan(): Map<string, Map<string, EntryKind>> {
  const raw = JSON.parse(readFileSync(PLAN, 'utf8')) as Record<string, Record<string, EntryKind>>;
  return new Map(Object.entries(raw).map(([src, ids]) => [src, new Map(Object.entries(ids))]));
}

function usable(): boolean {
  if (!existsSync(STAMP) || !existsSync(PLAN)) return false;
  try {
    if ((JSON.parse(readFileSync(STAMP, 'utf8')) as { recipe?: number }).recipe !== RECIPE) return false;
    VulnDb.open(BENCH_DB).close();
    return true;
  } catch {
    return false;
  }
}

interface Input {
  path: string;
  importer: ImporterId;
  sourceId?: string;
}

/** The real feeds present on this machine, the CVE records first (the tracker draws its ids from them). */
function realInputs(epssCsv: string): Input[] {
  const list: Input[] = [
    { path: CVE5, importer: 'cve5' },
    { path: join(SHARED, 'nvd', 'nvd-api2-page-2023-10-18.json'), importer: 'nvd' },
    { path: join(SHARED, 'kev', 'known_exploited_vulnerabilities.json'), importer: 'kev' },
    { path: epssCsv, importer: 'epss' },
    { path: join(SHARED, 'osv', 'Go', 'all.zip'), importer: 'osv' },
    { path: join(SHARED, 'osv', 'PyPI', 'all.zip'), importer: 'osv' },
  ];
  // Named sources: the default id (`osv:sample.zip`) is the same for all six, each import would overwrite the last one's row.
  for (const eco of ['npm', 'Maven', 'RubyGems', 'crates.io', 'NuGet', 'Packagist'])
    list.push({
      path: join(SHARED, 'ghsa', eco, 'sample.zip'),
      importer: 'osv',
      sourceId: `osv:ghsa-${eco}-sample`,
    });
  for (const v of ['v3.9', 'v3.10', 'v3.11'])
    for (const repo of ['main', 'community'])
      list.push({ path: join(SHARED, 'alpine-secdb', v, `${repo}.json`), importer: 'alpine-secdb' });
  for (const i of list) if (!existsSync(i.path)) log(`absent, skipped: ${i.path}`);
  return list.filter((i) => existsSync(i.path));
}

/**
 * FIRST's CSV from the EMBA crawl (`CVE;epss;percentile` lines, no header). The crawl recorded
 * no model version; v2026.06.15 is the model FIRST's file of six weeks later names.
 */
function epssCsv(): string {
  const out = join(INPUTS, 'epss_scores-2026-08-16.csv.gz');
  if (existsSync(out)) return out;
  const text = gunzipSync(readFileSync(join(SHARED, 'epss', 'emba-epss-2026-08-16.txt.gz'))).toString('utf8');
  const rows = text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => l.trim().split(';').join(','));
  const csv = ['#model_version:v2026.06.15,score_date:2026-08-16T00:00:00Z', 'cve,epss,percentile', ...rows];
  writeFileSync(out, gzipSync(`${csv.join('\n')}\n`));
  return out;
}

/** The `big` image's dpkg source packages and its Debian codename, from `assay sbom`. */
async function bigImageSources(): Promise<{ sources: SourcePackage[]; codename: string }> {
  const archive = await benchArchive('big');
  const sbom = join(INPUTS, 'big-sbom.json');
  if (!existsSync(sbom) || statSync(sbom).mtimeMs < statSync(archive).mtimeMs) {
    log('listing the big image packages (assay sbom)');
    execFileSync('sh', ['-c', `${assayCommand()} sbom docker-archive:${archive} --no-cache -o ${sbom}`], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const doc = JSON.parse(readFileSync(sbom, 'utf8')) as {
    os?: { codename?: string };
    packages: { type: string; name: string; version: string; source?: { name: string; version: string } }[];
  };
  const bySource = new Map<string, string>();
  for (const p of doc.packages)
    if (p.type === 'deb' && !bySource.has(p.source?.name ?? p.name))
      bySource.set(p.source?.name ?? p.name, p.source?.version || p.version);
  const sources = [...bySource].map(([name, version]) => ({ name, version }));
  return { sources, codename: doc.os?.codename ?? 'bookworm' };
}

/** CVE ids of the record set, split by what the DB already knows about them. */
function cvePools(reader: VulnDbReader): CvePools {
  const names = execFileSync('tar', ['-tzf', CVE5], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const ids = [...names.matchAll(/(CVE-\d{4}-\d+)\.json$/gm)].map((m) => m[1]!).sort();
  const pools = { kev: [] as string[], scored: [] as string[], other: [] as string[] };
  for (const id of ids) {
    if (reader.advisory('cve5', id)?.withdrawn) continue;
    if (reader.kev(id)) pools.kev.push(id);
    else if (reader.cvss([id]).some((c) => c.version.startsWith('3'))) pools.scored.push(id);
    else pools.other.push(id);
  }
  return pools;
}

/** The real excerpt's packages joined to the synthetic ones: one tracker import replaces the previous. */
function withExcerpt(json: TrackerJson): TrackerJson {
  const excerpt = join(SHARED, 'debian', 'tracker-json-excerpt.json');
  if (!existsSync(excerpt)) return json;
  const real = JSON.parse(readFileSync(excerpt, 'utf8')) as TrackerJson;
  for (const [pkg, entries] of Object.entries(real)) json[pkg] = { ...entries, ...json[pkg] };
  return json;
}

/** Generates the tracker JSON (and the plan the scan bench checks findings against); returns its path. */
async function writeTracker(reader: VulnDbReader): Promise<string> {
  const { sources, codename } = await bigImageSources();
  const pools = cvePools(reader);
  log(
    `CVE pools: ${pools.kev.length} in KEV, ${pools.scored.length} with CVSS v3, ${pools.other.length} other`,
  );
  const tracker = syntheticTracker(sources, pools, codename, (id) => reader.advisory('cve5', id)?.summary);
  const file = join(INPUTS, `debian-tracker-${codename}-bench.json`);
  writeFileSync(file, JSON.stringify(withExcerpt(tracker.json)));
  const plan = Object.fromEntries([...tracker.plan].map(([src, ids]) => [src, Object.fromEntries(ids)]));
  writeFileSync(PLAN, JSON.stringify(plan));
  const total = entryKinds.reduce((n, k) => n + tracker.counts[k], 0);
  console.log(
    `bench-db synthetic tracker (${codename}): ${sources.length} source packages, ${tracker.plan.size} with entries, ${total} entries: ${entryKinds.map((k) => `${k} ${tracker.counts[k]}`).join(', ')}`,
  );
  return file;
}

async function build(): Promise<void> {
  await rm(BENCH_DB, { recursive: true, force: true });
  await mkdir(INPUTS, { recursive: true });
  log(`building the benchmark vulnerability DB in ${BENCH_DB} (once)`);
  const inputs = realInputs(epssCsv());
  const started = performance.now();
  await buildDb(BENCH_DB, async (b) => {
    for (const input of inputs)
      await step(input.path, (onIssue) =>
        b.importFile(input.path, {
          importer: input.importer,
          onIssue,
          ...(input.sourceId ? { source: { id: input.sourceId } } : {}),
        }),
      );
    const tracker = await writeTracker(b.reader());
    await step(tracker, (onIssue) => b.importFile(tracker, { importer: 'debian-tracker', onIssue }));
  });
  const seconds = (performance.now() - started) / 1000;
  const size = statSync(dbFilePath(BENCH_DB)).size;
  console.log(
    `bench-db built in ${seconds.toFixed(1)} s: ${dbFilePath(BENCH_DB)}, ${(size / 1024 / 1024).toFixed(1)} MB`,
  );
  writeFileSync(STAMP, JSON.stringify({ recipe: RECIPE, builtAt: new Date().toISOString() }));
}

/**
 * One input, timed and reported with its first issues. A failing importer is reported and the
 * build goes on (its transaction is rolled back): the bench shows the problem instead of dying.
 */
async function step(
  what: string,
  fn: (onIssue: (i: ImportIssue) => void) => Promise<ImportFileResult>,
): Promise<void> {
  const name = what.replace(`${SHARED}/`, '').replace(OUT, 'bench/out/');
  const issues: string[] = [];
  const onIssue = (i: ImportIssue) => {
    if (issues.length < 3) issues.push(`${i.record ?? i.file}: ${i.message}`);
  };
  const start = performance.now();
  try {
    const r = await fn(onIssue);
    const seconds = (performance.now() - start) / 1000;
    console.log(
      `bench-db import ${name.padEnd(36)} ${r.importer.padEnd(13)} ${String(r.records).padStart(7)} records, ${String(r.skipped).padStart(5)} skipped, ${String(r.issues).padStart(5)} issues, ${seconds.toFixed(2)} s, ${perSecond(r.records, seconds)} (${r.sourceId})`,
    );
  } catch (err) {
    console.log(`bench-db import ${name.padEnd(36)} FAILED: ${errorMessage(err)}`);
  }
  for (const i of issues) console.log(`bench-db   issue: ${i.slice(0, 200)}`);
}

function perSecond(n: number, seconds: number): string {
  return `${Math.round(n / seconds).toLocaleString('en-US')}/s`;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchDb());
