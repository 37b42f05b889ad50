import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isAssayError } from '../model/errors.js';
import { buildDb } from './build.js';
import type { VulnDbReader } from './reader.js';
import { dbFilePath, VulnDb } from './store.js';
import { MemoryDb } from './testing/memory-db.js';
import { replay, type SinkCall, scriptedImporter } from './testing/scripted-importer.js';
import { type AdvisoryRecord, type AffectedRecord, DB_SCHEMA_VERSION } from './types.js';

const OPEN: AffectedRecord['ranges'] = [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }];

function adv(feed: string, id: string, over: Partial<AdvisoryRecord> = {}): AdvisoryRecord {
  return { feed, id, aliases: [], references: [], cvss: [], affected: [], ...over };
}

function pkg(ecosystem: string, name: string, over: Partial<AffectedRecord> = {}): AffectedRecord {
  return { ecosystem, package: name, status: 'affected', ranges: OPEN, versions: [], ...over };
}

const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

/** Four imports exercising snapshot, cross-import replacement and within-import merging. */
const IMPORTS: SinkCall[][] = [
  [
    { snapshot: 'osv:Go' },
    {
      advisory: adv('osv', 'GO-2024-0001', {
        aliases: ['CVE-2024-0001', 'GHSA-aaaa-bbbb-cccc'],
        related: ['CVE-2024-9999'],
        summary: 'first',
        details: 'details',
        published: '2024-01-01T00:00:00Z',
        modified: '2024-02-01T00:00:00Z',
        references: [{ type: 'WEB', url: 'https://example.test/1' }],
        cwes: ['CWE-79'],
        cvss: [{ vulnId: 'GO-2024-0001', source: 'advisory', version: '3.1', vector: V31, baseScore: 9.8 }],
        affected: [
          pkg('Go', 'example.com/mod', {
            status: 'fixed',
            purl: 'pkg:golang/example.com/mod',
            ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.3' }] }],
            fixed: '1.2.3',
          }),
        ],
      }),
    },
    {
      advisory: adv('osv', 'GO-2024-0002', {
        withdrawn: '2024-03-01T00:00:00Z',
        affected: [pkg('Go', 'gone/mod')],
      }),
    },
    // Same advisory again in the same import: merged into the first write.
    {
      advisory: adv('osv', 'GO-2024-0001', {
        aliases: ['CVE-2024-0001', 'CVE-2024-0100'],
        summary: 'ignored on merge',
        references: [{ url: 'https://example.test/2' }],
        cwes: ['CWE-89', 'CWE-79'],
        cvss: [
          {
            vulnId: 'GO-2024-0001',
            source: 'distro',
            version: '3.0',
            vector: V31.replace('3.1', '3.0'),
            baseScore: 9.8,
          },
        ],
        affected: [
          pkg('Go', 'example.com/other', { versions: ['v1.0.0', 'v1.0.1'], vendorSeverity: 'HIGH' }),
        ],
      }),
    },
    {
      cvss: [
        {
          vulnId: 'CVE-2024-0001',
          source: 'nvd',
          sourceName: 'nvd@nist.gov',
          version: '3.1',
          vector: V31,
          baseScore: 9.8,
        },
      ],
    },
  ],
  [
    {
      advisory: adv('debian-tracker', 'CVE-2024-0001', {
        aliases: [],
        vendorSeverity: 'low',
        affected: [pkg('Debian:12', 'openssl', { status: 'will_not_fix' }), pkg('Debian:11', 'openssl')],
      }),
    },
    { advisory: adv('osv', 'GHSA-pypi-0001', { affected: [pkg('PyPI', 'zope-interface')] }) },
    // A CVE record: CWE ids, no affected entries; merged with a write that has none.
    { advisory: adv('cve5', 'CVE-2024-0001', { cwes: ['CWE-121', 'CWE-787'] }) },
    { advisory: adv('cve5', 'CVE-2024-0001', { aliases: ['CVE-2024-0001'] }) },
    { advisory: adv('cve5', 'CVE-2024-0002', { cwes: [] }) },
    // Replaces the CNA-less NVD score written by the first import (same key), adds a v2 one.
    {
      cvss: [
        {
          vulnId: 'CVE-2024-0001',
          source: 'nvd',
          sourceName: 'nvd@nist.gov',
          version: '3.1',
          vector: 'CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
          baseScore: 8.4,
        },
        {
          vulnId: 'CVE-2024-0001',
          source: 'cna',
          version: '2.0',
          vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P',
          baseScore: 7.5,
        },
      ],
    },
    {
      kev: {
        cve: 'CVE-2024-0001',
        dateAdded: '2024-05-01',
        knownRansomwareCampaignUse: true,
        product: 'Mod',
      },
    },
  ],
  [
    { snapshot: 'epss' },
    {
      epss: {
        cve: 'CVE-2024-0001',
        score: 0.5,
        percentile: 0.9,
        date: '2026-11-29',
        modelVersion: 'v2025.03.14',
      },
    },
    { epss: { cve: 'CVE-2024-0100', score: 0.01, percentile: 0.1 } },
  ],
  [
    // The Go feed again, without GO-2024-0002 (withdrawn upstream), GO-2024-0001 rewritten.
    { snapshot: 'osv:Go' },
    {
      advisory: adv('osv', 'GO-2024-0001', {
        aliases: ['CVE-2024-0001'],
        summary: 'second',
        affected: [pkg('Go', 'example.com/mod')],
      }),
    },
    { snapshot: 'epss' },
    { epss: { cve: 'CVE-2024-0002', score: 0.2, percentile: 0.4 } },
  ],
];

/** JSON with sorted keys; the reader contract leaves the order of returned lists open. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return JSON.stringify(value.map(canonical).sort());
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** Every reader method, on every key any import mentions, gives the same answer on both. */
function assertSameAnswers(actual: VulnDbReader, expected: MemoryDb, imports: SinkCall[][]): void {
  const calls = imports.flat();
  const ids = new Set<string>();
  const cves = new Set<string>();
  const packages = new Set<string>();
  for (const c of calls) {
    if ('advisory' in c) {
      for (const id of [c.advisory.id, ...c.advisory.aliases]) ids.add(id);
      for (const a of c.advisory.affected) packages.add(`${a.ecosystem}\u0000${a.package}`);
      assert.deepEqual(
        actual.advisory(c.advisory.feed, c.advisory.id),
        expected.advisory(c.advisory.feed, c.advisory.id),
      );
    }
    if ('cvss' in c) for (const r of c.cvss) ids.add(r.vulnId);
    if ('epss' in c) cves.add(c.epss.cve);
    if ('kev' in c) cves.add(c.kev.cve);
  }
  packages.add('PyPI\u0000Zope.Interface');
  packages.add('Go\u0000missing');
  for (const p of packages) {
    const [eco, name] = p.split('\u0000') as [string, string];
    assert.equal(canonical(actual.affected(eco, name)), canonical(expected.affected(eco, name)), p);
  }
  for (const id of ids) {
    assert.equal(canonical(actual.advisoriesFor(id)), canonical(expected.advisoriesFor(id)), id);
    assert.equal(canonical(actual.cvss([id])), canonical(expected.cvss([id])), id);
  }
  assert.equal(canonical(actual.cvss([...ids])), canonical(expected.cvss([...ids])));
  for (const cve of [...cves, ...ids]) {
    assert.deepEqual(actual.epss(cve), expected.epss(cve), cve);
    assert.deepEqual(actual.kev(cve), expected.kev(cve), cve);
  }
  assert.deepEqual(actual.ecosystems(), expected.ecosystems());
  assert.equal(actual.info().schemaVersion, expected.info().schemaVersion);
}

function memoryAfter(imports: SinkCall[][]): MemoryDb {
  const mem = new MemoryDb();
  for (const calls of imports) {
    replay(calls, mem);
    mem.endImport();
  }
  return mem;
}

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'assay-vulndb-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('the SQLite store answers every reader query exactly like MemoryDb, while building and after', async (t) => {
  const dir = await tempDir(t);
  const mem = memoryAfter(IMPORTS);
  // Sanity: the script does what the comparison relies on.
  assert.equal(mem.advisory('osv', 'GO-2024-0002'), undefined);
  assert.equal(mem.epss('CVE-2024-0001'), undefined);
  assert.equal(mem.advisory('osv', 'GO-2024-0001')?.summary, 'second');
  assert.equal(mem.advisory('osv', 'GO-2024-0001')?.cwes, undefined);
  assert.deepEqual(mem.advisory('cve5', 'CVE-2024-0001')?.cwes, ['CWE-121', 'CWE-787']);
  assert.deepEqual(mem.advisory('cve5', 'CVE-2024-0002')?.cwes, []);

  await buildDb(dir, async (b) => {
    for (const [i, calls] of IMPORTS.entries()) await b.importWith(scriptedImporter(calls), `import-${i}`);
    assertSameAnswers(b.reader(), mem, IMPORTS);
  });
  const db = VulnDb.open(dir);
  t.after(() => db.close());
  assertSameAnswers(db, mem, IMPORTS);
  assert.deepEqual(db.ecosystems(), ['Debian:11', 'Debian:12', 'Go', 'PyPI']);
  assert.match(db.info().builtAt ?? '', /^\d{4}-\d\d-\d\dT/);
});

test('within one import a repeated advisory merges; across imports it is replaced', async (t) => {
  const dir = await tempDir(t);
  const mem = memoryAfter(IMPORTS.slice(0, 1));
  await buildDb(dir, async (b) => {
    await b.importWith(scriptedImporter(IMPORTS[0]!), 'first');
  });
  const db = VulnDb.open(dir);
  t.after(() => db.close());
  assertSameAnswers(db, mem, IMPORTS.slice(0, 1));
  const merged = db.advisory('osv', 'GO-2024-0001');
  assert.deepEqual(merged?.aliases, ['CVE-2024-0001', 'GHSA-aaaa-bbbb-cccc', 'CVE-2024-0100']);
  assert.equal(merged?.summary, 'first');
  assert.equal(merged?.references.length, 2);
  assert.deepEqual(merged?.cwes, ['CWE-79', 'CWE-89']);
  assert.deepEqual(
    merged?.cvss.map((c) => c.source),
    ['advisory', 'distro'],
  );
  assert.deepEqual(
    db.advisoriesFor('CVE-2024-0100').map((a) => a.id),
    ['GO-2024-0001'],
  );
  assert.deepEqual(db.affected('Go', 'example.com/other')[0]?.versions, ['v1.0.0', 'v1.0.1']);
});

test('a failing import rolls back its own writes only; the builder stays usable', async (t) => {
  const dir = await tempDir(t);
  await buildDb(dir, async (b) => {
    await b.importWith(scriptedImporter(IMPORTS[0]!), 'good');
    const bad = scriptedImporter([
      { snapshot: 'osv:Go' },
      { advisory: adv('osv', 'GO-BAD', { affected: [pkg('Go', 'bad/mod')] }) },
      { fail: 'truncated archive' },
    ]);
    await assert.rejects(b.importWith(bad, 'bad.zip'), (err: unknown) => {
      assert.ok(isAssayError(err, 'invalid-input'));
      assert.match(err.message, /bad\.zip \(osv\): truncated archive/);
      return true;
    });
    assert.equal(b.reader().affected('Go', 'bad/mod').length, 0);
    assert.equal(b.reader().affected('Go', 'example.com/mod').length, 1, 'the snapshot was rolled back too');
    await b.importWith(scriptedImporter(IMPORTS[2]!, 'epss'), 'epss.csv');
  });
  const db = VulnDb.open(dir);
  t.after(() => db.close());
  assert.equal(db.epss('CVE-2024-0100')?.score, 0.01);
  assert.deepEqual(
    db.info().sources.map((s) => [s.id, s.importer, s.records]),
    [
      ['epss', 'epss', 2],
      ['osv:Go', 'osv', 4],
    ],
  );
});

test('a build that throws leaves the DB in use untouched and removes its temporary file', async (t) => {
  const dir = await tempDir(t);
  await buildDb(dir, (b) => b.importWith(scriptedImporter(IMPORTS[0]!), 'first'));
  const before = VulnDb.open(dir);
  const builtAt = before.info().builtAt;
  before.close();
  await assert.rejects(
    buildDb(dir, async (b) => {
      await b.importWith(scriptedImporter([{ snapshot: 'osv:Go' }]), 'empty');
      assert.equal(b.reader().affected('Go', 'example.com/mod').length, 0);
      throw new Error('network down');
    }),
    /network down/,
  );
  const after = VulnDb.open(dir);
  t.after(() => after.close());
  assert.equal(after.affected('Go', 'example.com/mod').length, 1);
  assert.equal(after.info().builtAt, builtAt);
  const { readdirSync } = await import('node:fs');
  assert.deepEqual(readdirSync(dir), ['vulnerabilities.db']);
});

test('a second concurrent build fails clearly instead of racing; a stale lock is taken over', async (t) => {
  const dir = await tempDir(t);
  let release: () => void = () => undefined;
  const first = buildDb(dir, () => new Promise<void>((r) => (release = r)));
  await new Promise((r) => setTimeout(r, 20));
  await assert.rejects(
    buildDb(dir, async () => undefined),
    (err: unknown) => {
      assert.ok(isAssayError(err, 'database'));
      assert.match(
        err.message,
        new RegExp(`another db update/import is running \\(lock .*\\.build\\.lock, pid ${process.pid}\\)`),
      );
      return true;
    },
  );
  release();
  await first;
  // A lock whose process is gone (pid 2^22 + 1 is above Linux's pid_max default).
  await writeFile(join(dir, '.build.lock'), '4194305\n');
  await buildDb(dir, async () => undefined);
});

test('open: a clear error for a missing DB, a file that is not a DB, and another schema version', async (t) => {
  const dir = await tempDir(t);
  assert.throws(
    () => VulnDb.open(dir),
    (err: unknown) => {
      assert.ok(isAssayError(err, 'database'));
      assert.equal(
        err.message,
        `no vulnerability DB at ${dbFilePath(dir)}: run \`assay db update\` (online) or \`assay db import FILES\` (offline)`,
      );
      return true;
    },
  );
  await writeFile(dbFilePath(dir), 'this is not sqlite, just text long enough to have a header '.repeat(20));
  assert.throws(
    () => VulnDb.open(dir),
    (err: unknown) => isAssayError(err, 'database'),
  );
  await rm(dbFilePath(dir));
  await buildDb(dir, async () => undefined);
  const Database = (await import('better-sqlite3')).default;
  const raw = new Database(dbFilePath(dir));
  raw.prepare("UPDATE meta SET value = '999' WHERE key = 'schema_version'").run();
  raw.close();
  assert.throws(
    () => VulnDb.open(dir),
    new RegExp(`schema version 999, this assay needs ${DB_SCHEMA_VERSION}`),
  );
  // A build over a DB of another schema starts empty instead of misreading it.
  await buildDb(dir, async (b) => assert.equal(b.startedFrom, 'replaced-unusable'));
  VulnDb.open(dir).close();
});

/** What older assays wrote: the tables of their version, stamped with it. */
const OLDER_SCHEMAS = [
  { version: 1, sql: 'ALTER TABLE advisories DROP COLUMN cwes; DROP TABLE threat_hashes' },
  { version: 2, sql: 'DROP TABLE threat_hashes' },
];

for (const older of OLDER_SCHEMAS)
  test(`a DB of schema version ${older.version} is refused with the versions, then rebuilt`, async (t) => {
    const dir = await tempDir(t);
    await buildDb(dir, async (b) => {
      await b.importWith(scriptedImporter(IMPORTS[0]!), 'first');
    });
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(dbFilePath(dir));
    raw.exec(`${older.sql}; UPDATE meta SET value = '${older.version}' WHERE key = 'schema_version'`);
    raw.close();
    assert.throws(
      () => VulnDb.open(dir),
      (err: unknown) => {
        assert.ok(isAssayError(err, 'database'));
        assert.equal(
          err.message,
          `${dbFilePath(dir)} has schema version ${older.version}, this assay needs ${DB_SCHEMA_VERSION}: run \`assay db update\` to rebuild it`,
        );
        return true;
      },
    );
    await buildDb(dir, async (b) => assert.equal(b.startedFrom, 'replaced-unusable'));
    const db = VulnDb.open(dir);
    t.after(() => db.close());
    assert.equal(db.info().schemaVersion, DB_SCHEMA_VERSION);
  });

test('standalone scores are replaced per (feed, CVE): a score withdrawn upstream disappears', async (t) => {
  const dir = await tempDir(t);
  const nvd = (version: '3.1' | '2.0', vector: string, baseScore: number) =>
    ({
      vulnId: 'CVE-2024-0007',
      source: 'nvd',
      sourceName: 'nvd@nist.gov',
      version,
      vector,
      baseScore,
    }) as const;
  const V2 = 'AV:N/AC:L/Au:N/C:P/I:P/A:P';
  const once = (scores: ReturnType<typeof nvd>[]) => ({
    id: 'nvd' as const,
    version: 1,
    detect: () => false,
    import: async (_path: string, sink: import('./importer.js').AdvisorySink) => {
      sink.putCvss('nvd', 'CVE-2024-0007', scores);
      sink.putCvss('cve5', 'CVE-2024-0007', [{ ...nvd('3.1', V31, 9.8), source: 'cna', sourceName: 'x' }]);
      return { records: 1, skipped: 0 };
    },
  });
  await buildDb(dir, (b) => b.importWith(once([nvd('3.1', V31, 9.8), nvd('2.0', V2, 7.5)]), 'first'));
  await buildDb(dir, (b) => b.importWith(once([nvd('3.1', V31, 9.8)]), 'second'));
  const db = VulnDb.open(dir);
  t.after(() => db.close());
  assert.deepEqual(
    db
      .cvss(['CVE-2024-0007'])
      .map((c) => `${c.source}/${c.version}`)
      .sort(),
    ['cna/3.1', 'nvd/3.1'],
  );
});
