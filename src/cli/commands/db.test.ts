/**
 * `assay db import|status|search|export` run in-process through `main`, with stdout and stderr
 * captured, against DBs built from the real-format fixtures in src/vulndb/testdata.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { VulnDb } from '../../vulndb/store.js';
import { DB_SCHEMA_VERSION } from '../../vulndb/types.js';
import { main } from '../main.js';

const DATA = new URL('../../vulndb/testdata/', import.meta.url).pathname;
const OSV_DIR = join(DATA, 'osv');
const KEV = join(DATA, 'kev-excerpt.json');
const EPSS = join(DATA, 'epss-excerpt.csv');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function assay(...args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  const capture = (add: (s: string) => void) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      add(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const cb = rest.find((r) => typeof r === 'function');
      if (typeof cb === 'function') cb();
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture((s) => (stdout += s));
  process.stderr.write = capture((s) => (stderr += s));
  try {
    const code = await main(['node', 'assay', ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = undefined;
  }
}

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'assay-db-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A DB with the OSV, KEV and EPSS fixtures. */
async function importedDb(t: TestContext): Promise<string> {
  const dir = join(await tempDir(t), 'db');
  const r = await assay('db', 'import', '-p', dir, OSV_DIR, KEV, EPSS);
  assert.equal(r.code, 0, r.stderr);
  return dir;
}

function rowsOf(table: string): string[][] {
  return table
    .trim()
    .split('\n')
    .map((l) => l.split(/\s{2,}/));
}

test('import: each path gets a row; a failing path is reported, the others still land (exit 2)', async (t) => {
  const dir = join(await tempDir(t), 'db');
  const r = await assay(
    'db',
    'import',
    '-p',
    dir,
    OSV_DIR,
    join(DATA, 'notes.txt'),
    KEV,
    join(DATA, 'osv-bad'),
    EPSS,
  );
  assert.equal(r.code, 2);
  const rows = rowsOf(r.stdout);
  assert.deepEqual(rows[0], ['PATH', 'IMPORTER', 'RECORDS', 'SKIPPED', 'SOURCE']);
  assert.deepEqual(
    rows.slice(1).map((row) => row.slice(1, 5)),
    [
      ['osv', '2', '0', `osv:${OSV_DIR}`],
      [
        'FAILED',
        '-',
        '-',
        `${join(DATA, 'notes.txt')}: not a known feed format (expected OSV JSON/zip, Debian tracker JSON, Alpine secdb JSON, NVD API 2.0 JSON, CVE JSON 5, EPSS CSV, KEV JSON); pass --format to force one`,
      ],
      ['kev', '2', '0', 'kev'],
      ['osv', '1', '1', `osv:${join(DATA, 'osv-bad')}`],
      ['epss', '4', '0', 'epss'],
    ],
  );
  assert.match(r.stderr, /assay: .*notes\.txt: not a known feed format/);
  assert.match(r.stderr, /issue: .*osv-bad\/PYSEC-2024-3-BROKEN\.json PYSEC-2024-3-BROKEN: .*affected/);
  const db = VulnDb.open(dir);
  t.after(() => db.close());
  // osv-bad holds PYSEC-2021-878 again: a later import replaces the record, never duplicates it.
  assert.deepEqual(
    db.affected('PyPI', 'mkdocs').map((e) => e.advisoryId),
    ['PYSEC-2021-878'],
  );
  assert.equal(db.kev('CVE-2025-48384')?.vendorProject, 'Git');
  assert.equal(db.epss('CVE-2023-52323')?.percentile, 0.64821);
});

test('import: when every path fails nothing is written and the exit code is 2', async (t) => {
  const dir = join(await tempDir(t), 'db');
  const r = await assay('db', 'import', '-p', dir, join(DATA, 'notes.txt'), join(DATA, 'missing.json'));
  assert.equal(r.code, 2);
  assert.match(r.stderr, /missing\.json: ENOENT/);
  assert.equal(existsSync(join(dir, 'vulnerabilities.db')), false);
});

test('import --format forces an importer; an unknown one is a usage error', async (t) => {
  const dir = join(await tempDir(t), 'db');
  const forced = await assay('db', 'import', '-p', dir, '--format', 'epss', KEV);
  assert.equal(forced.code, 2);
  assert.match(forced.stdout, /FAILED/);
  const bad = await assay('db', 'import', '-p', dir, '--format', 'csv', KEV);
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr,
    /--format must be one of osv, debian-tracker, alpine-secdb, nvd, cve5, epss, kev, threat-hashes, got csv/,
  );
});

test('import prints the first 20 issues and counts the rest', async (t) => {
  const tmp = await tempDir(t);
  const feed = join(tmp, 'records');
  await mkdir(feed);
  const good = JSON.parse(await readFile(join(OSV_DIR, 'PYSEC-2024-3.json'), 'utf8'));
  await writeFile(join(feed, 'PYSEC-2024-3.json'), JSON.stringify(good));
  for (let i = 0; i < 25; i++)
    await writeFile(
      join(feed, `PYSEC-BAD-${i}.json`),
      JSON.stringify({ ...good, id: `PYSEC-BAD-${i}`, affected: 7 }),
    );
  const r = await assay('db', 'import', '-p', join(tmp, 'db'), feed);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.match(/^issue: /gm)?.length, 20);
  assert.match(r.stderr, /… and 5 more issues\n$/);
  assert.deepEqual(rowsOf(r.stdout)[1]?.slice(1), ['osv', '1', '25', `osv:${feed}`]);
});

test('status: text and JSON; a stale DB warns; no DB is a clear error (exit 2)', async (t) => {
  const dir = await importedDb(t);
  const text = await assay('db', 'status', '-p', dir);
  assert.equal(text.code, 0, text.stderr);
  assert.match(
    text.stdout,
    new RegExp(
      `^path: {11}.*vulnerabilities\\.db\nschema version: ${DB_SCHEMA_VERSION}\nbuilt at: {7}\\d{4}-.*\\(\\d+ min ago\\)`,
    ),
  );
  assert.match(text.stdout, /\nkev\s+kev\s+2\s+0\s+\S+\s+\d+ min\s+2025-08-25\n/);
  assert.equal(text.stderr, '');
  const json = await assay('db', 'status', '-p', dir, '--json', '--max-age', '0.000001');
  const doc = JSON.parse(json.stdout);
  assert.equal(doc.schemaVersion, DB_SCHEMA_VERSION);
  assert.equal(doc.stale, true);
  assert.deepEqual(
    doc.sources.map((s: { id: string; records: number }) => [s.id, s.records]),
    [
      ['epss', 4],
      ['kev', 2],
      [`osv:${OSV_DIR}`, 2],
    ],
  );
  assert.match(json.stderr, /^warning: DB is 0 h old \(limit 0\.000001 h\): run `assay db update`\n$/);
  const missing = await assay('db', 'status', '-p', join(dir, 'nothing-here'));
  assert.equal(missing.code, 2);
  assert.match(
    missing.stderr,
    /no vulnerability DB at .*nothing-here\/vulnerabilities\.db: run `assay db update` \(online\) or `assay db import FILES` \(offline\)/,
  );
});

test('search ID: advisories, CVSS with the chosen one marked, EPSS, KEV, affected ranges', async (t) => {
  const dir = await importedDb(t);
  const r = await assay('db', 'search', '-p', dir, 'CVE-2023-52323');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /osv PYSEC-2024-3 \(aliases: CVE-2023-52323\)\n {4}published 2024-01-05T04:15:00Z/);
  assert.match(r.stdout, /\*\s+advisory\s+\S*\s+PYSEC-2024-3\s+3\.1\s+5\.9\s+medium\s+CVSS:3\.1\/AV:N\/AC:H/);
  assert.match(r.stdout, /EPSS: 0\.0025 \(percentile 0\.64821, 2024-10-25\)/);
  assert.match(r.stdout, /KEV: not listed/);
  assert.match(
    r.stdout,
    /pycryptodomex\s+fixed\s+>=0 <3\.19\.1 versions: 3\.10\.1, .* \(\+41 more\)\s+3\.19\.1/,
  );
  const json = JSON.parse((await assay('db', 'search', '-p', dir, 'CVE-2025-48384', '--json')).stdout);
  assert.equal(json.length, 1);
  assert.equal(json[0].kev.knownRansomwareCampaignUse, false);
  assert.deepEqual(json[0].advisories, []);
  const none = await assay('db', 'search', '-p', dir, 'CVE-1900-0001');
  assert.deepEqual([none.code, none.stdout], [0, 'no records for CVE-1900-0001\n']);
  assert.equal((await assay('db', 'search', '-p', dir, 'CVE-1900-0001', '--json')).stdout, '[]\n');
});

test('search --package: names normalised per ecosystem, --version evaluated like a scan', async (t) => {
  const dir = await importedDb(t);
  const verdictOf = async (...args: string[]) => {
    const r = await assay('db', 'search', '-p', dir, '--json', ...args);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout).map((e: { advisoryId: string; verdict?: string }) => [
      e.advisoryId,
      e.verdict,
    ]);
  };
  assert.deepEqual(await verdictOf('--package', 'PyCryptodomeX', '--version', '3.19.0'), [
    ['PYSEC-2024-3', 'AFFECTED'],
  ]);
  assert.deepEqual(
    await verdictOf('--package', 'pycryptodomex', '--version', '3.19.1', '--ecosystem', 'pypi'),
    [['PYSEC-2024-3', 'not affected']],
  );
  const [[, unknown]] = await verdictOf('--package', 'pycryptodomex', '--version', 'not..a..version');
  assert.match(unknown, /^unknown \(invalid pep440 version "not\.\.a\.\.version": .+\)$/);
  assert.deepEqual(await verdictOf('--package', 'pycryptodomex', '--ecosystem', 'npm'), []);
  const text = await assay('db', 'search', '-p', dir, '--package', 'mkdocs', '--version', '1.2.2');
  assert.match(text.stdout, /^FEED\s+ADVISORY\s+ECOSYSTEM\s+PACKAGE\s+STATUS\s+RANGES\s+FIXED\s+VERDICT\n/);
  assert.match(
    text.stdout,
    /PYSEC-2021-878\s+PyPI\s+mkdocs\s+fixed\s+>=1\.2\.2 <1\.2\.3 versions: 1\.2\.2\s+1\.2\.3\s+AFFECTED/,
  );
  const none = await assay('db', 'search', '-p', dir, '--package', 'left-pad', '--ecosystem', 'npm');
  assert.equal(none.stdout, 'no records for package left-pad in npm\n');
});

test('search: usage errors exit 2', async (t) => {
  const dir = await importedDb(t);
  for (const args of [[], ['CVE-2023-52323', '--package', 'x'], ['CVE-2023-52323', '--version', '1']]) {
    const r = await assay('db', 'search', '-p', dir, ...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(
      r.stderr,
      /give either a vulnerability id or --package NAME|--ecosystem and --version go with --package/,
    );
  }
});

test('export writes the same bytes for the same DB; import of the bundle replaces the whole DB', async (t) => {
  const dir = await importedDb(t);
  const tmp = await tempDir(t);
  const a = join(tmp, 'a.tar.gz');
  const b = join(tmp, 'b.tar.gz');
  assert.equal((await assay('db', 'export', '-p', dir, a)).code, 0);
  const again = await assay('db', 'export', '-p', dir, b);
  assert.match(again.stderr, /^wrote .*b\.tar\.gz \(.*, 3 sources, built \d{4}-/);
  assert.ok((await readFile(a)).equals(await readFile(b)), 'exports differ');

  // An offline machine with its own, different DB: the bundle replaces it whole.
  const offline = join(tmp, 'offline');
  assert.equal((await assay('db', 'import', '-p', offline, join(DATA, 'osv-bad'))).code, 0);
  const r = await assay('db', 'import', '-p', offline, a);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /a\.tar\.gz\s+bundle\s+-\s+-\s+whole DB replaced \(3 sources, built /);
  const db = VulnDb.open(offline);
  t.after(() => db.close());
  // The data is as old as the exporting DB, not as the import: status must say so.
  const exportedFrom = VulnDb.open(dir);
  assert.equal(db.info().builtAt, exportedFrom.info().builtAt);
  exportedFrom.close();
  assert.deepEqual(
    db.info().sources.map((s) => s.id),
    ['epss', 'kev', `osv:${OSV_DIR}`],
  );
  assert.equal(db.affected('PyPI', 'pycryptodomex').length, 1);
});

test('a truncated or tampered bundle is rejected and the DB in use stays as it was', async (t) => {
  const dir = await importedDb(t);
  const tmp = await tempDir(t);
  const bundle = join(tmp, 'db.tar.gz');
  await assay('db', 'export', '-p', dir, bundle);
  const bytes = await readFile(bundle);
  const target = join(tmp, 'target');
  await cp(dir, target, { recursive: true });
  const cut = join(tmp, 'cut.tar.gz');
  await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const r = await assay('db', 'import', '-p', target, cut);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /cut\.tar\.gz: not a valid assay DB bundle: (truncated or corrupt archive|.*sha256)/,
  );
  const db = VulnDb.open(target);
  t.after(() => db.close());
  assert.equal(db.info().sources.length, 3);
});

test('the DB directory comes from -p, else ASSAY_VULNERABILITY_DB_PATH, else the config file', async (t) => {
  const dir = await importedDb(t);
  const config = join(await tempDir(t), 'assay.yaml');
  await writeFile(config, `vulnerability_db_path: ${join(dir, 'from-config')}\n`);
  const viaConfig = await assay('db', 'status', '--config', config);
  assert.match(viaConfig.stderr, /no vulnerability DB at .*from-config\/vulnerabilities\.db/);
  process.env.ASSAY_VULNERABILITY_DB_PATH = dir;
  try {
    const viaEnv = await assay('db', 'status', '--config', config);
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.match(viaEnv.stdout, new RegExp(`^path: +${join(dir, 'vulnerabilities.db')}\n`));
    const viaFlag = await assay('db', 'status', '--config', config, '-p', join(dir, 'flag'));
    assert.match(viaFlag.stderr, /no vulnerability DB at .*flag\/vulnerabilities\.db/);
  } finally {
    delete process.env.ASSAY_VULNERABILITY_DB_PATH;
  }
});
