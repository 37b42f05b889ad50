import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parseDenyList } from '../../../content/threats/deny-list.js';
import type { DenyListEntry } from '../../../content/types.js';
import { isAssayError } from '../../../model/errors.js';
import { buildDb } from '../../build.js';
import { DEFAULT_MAX_RECORD_BYTES } from '../../importer.js';
import { VulnDb } from '../../store.js';
import { MemoryDb } from '../../testing/memory-db.js';
import { threatHashesImporter as importer, threatListScope } from './index.js';

const data = (name: string) => new URL(`testdata/${name}`, import.meta.url).pathname;
/** The fixtures list the SHA-256 of `assay-threat-fixture-<letter>`. */
const fixture = (letter: string) =>
  createHash('sha256').update(`assay-threat-fixture-${letter}`).digest('hex');
const [A, B, C, D, E] = ['a', 'b', 'c', 'd', 'e'].map(fixture) as [string, string, string, string, string];

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'assay-threat-hashes-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Imports `paths` (detected) in one build; each path's result, or its error. */
async function importAll(dir: string, ...paths: string[]): Promise<Array<{ records: number } | Error>> {
  return buildDb(dir, async (b) => {
    const out: Array<{ records: number } | Error> = [];
    for (const p of paths) out.push(await b.importFile(p).catch((err: Error) => err));
    return out;
  });
}

function openDb(t: TestContext, dir: string): VulnDb {
  const db = VulnDb.open(dir);
  t.after(() => db.close());
  return db;
}

test('a sha256sum-style list and a MalwareBazaar-style CSV are detected, stored and read back', async (t) => {
  const dir = await tempDir(t);
  const results = await importAll(dir, data('sha256sum.txt'), data('bazaar-style.csv'));
  assert.deepEqual(
    results.map((r) => (r instanceof Error ? r.message : r)),
    [
      {
        importer: 'threat-hashes',
        sourceId: 'threat-hashes:sha256sum.txt',
        records: 3,
        skipped: 0,
        issues: 0,
        scope: 'threat-hashes:sha256sum.txt',
      },
      {
        importer: 'threat-hashes',
        sourceId: 'threat-hashes:bazaar-style.csv',
        records: 3,
        skipped: 0,
        issues: 0,
        scope: 'threat-hashes:bazaar-style.csv',
      },
    ],
  );
  const db = openDb(t, dir);
  const txt = { source: 'db:threat-hashes:sha256sum.txt' };
  const csv = { source: 'db:threat-hashes:bazaar-style.csv' };
  // What the parser reads from each list, with the DB's source: C is named on both lists, the
  // first source id wins.
  const expected = new Map<string, DenyListEntry>();
  for (const [file, source] of [
    ['bazaar-style.csv', csv],
    ['sha256sum.txt', txt],
  ] as const)
    for (const [hash, entry] of parseDenyList(await readFile(data(file)), file))
      if (!expected.has(hash)) expected.set(hash, { ...entry, ...source });
  assert.deepEqual(Object.fromEntries(db.threatHashes()), Object.fromEntries(expected));
  assert.deepEqual(
    [A, B, C, D, E].map((h) => db.threatHash(h)?.source),
    [txt.source, txt.source, csv.source, csv.source, csv.source],
  );
  assert.equal(db.threatHashCount(), 5);
  assert.deepEqual(db.threatHash(A.toUpperCase()), { ...txt, name: 'dropper.bin' });
  assert.deepEqual(db.threatHash(C), { ...csv, name: 'Mirai' });
  assert.equal(db.threatHash(fixture('z')), undefined);
  assert.deepEqual(
    db.info().sources.map((s) => [s.id, s.importer, s.records, s.issues]),
    [
      ['threat-hashes:bazaar-style.csv', 'threat-hashes', 3, 0],
      ['threat-hashes:sha256sum.txt', 'threat-hashes', 3, 0],
    ],
  );
});

test('a DB without lists: count 0, nothing found', async (t) => {
  const dir = await tempDir(t);
  await buildDb(dir, async () => undefined);
  const db = openDb(t, dir);
  assert.equal(db.threatHashCount(), 0);
  assert.equal(db.threatHashes().size, 0);
  assert.equal(db.threatHash(A), undefined);
});

test('re-importing a list (any folder, gzipped or not) replaces its entries; other lists stay', async (t) => {
  const dir = await tempDir(t);
  const v1 = join(dir, 'v1', 'daily.hashes');
  const v2 = join(dir, 'v2', 'daily.hashes.gz');
  const other = join(dir, 'other.sha256');
  await mkdir(join(dir, 'v1'));
  await mkdir(join(dir, 'v2'));
  await writeFile(v1, `${A} old name\n${B}\n`);
  await writeFile(v2, gzipSync(`${B} now named\r\n${D}\r\n`));
  await writeFile(other, `sha256,name\n${A},kept\n`);
  await importAll(join(dir, 'db'), v1, other);
  await importAll(join(dir, 'db'), v2);
  const db = openDb(t, join(dir, 'db'));
  assert.deepEqual(Object.fromEntries(db.threatHashes()), {
    [A]: { name: 'kept', source: 'db:threat-hashes:other.sha256' },
    [B]: { name: 'now named', source: 'db:threat-hashes:daily.hashes' },
    [D]: { source: 'db:threat-hashes:daily.hashes' },
  });
  assert.deepEqual(
    db.info().sources.map((s) => [s.id, s.records]),
    [
      ['threat-hashes:daily.hashes', 2],
      ['threat-hashes:other.sha256', 1],
    ],
  );
});

test('a hash on two lists: a named entry wins over an unnamed one, and outlives the other list', async (t) => {
  const dir = await tempDir(t);
  const unnamed = join(dir, 'a.txt');
  const named = join(dir, 'b.txt');
  await writeFile(unnamed, `${C}\n`);
  await writeFile(named, `${C} Mirai\n`);
  await importAll(join(dir, 'db'), unnamed, named);
  await writeFile(named, '# emptied upstream\n');
  await buildDb(join(dir, 'db'), (b) => b.importFile(named, { importer: 'threat-hashes' }));
  const db = openDb(t, join(dir, 'db'));
  assert.deepEqual(db.threatHash(C), { source: 'db:threat-hashes:a.txt' });
  assert.equal(db.threatHashCount(), 1);
  assert.equal(db.info().sources.find((s) => s.id === 'threat-hashes:b.txt')?.records, 0);
});

test('a malformed line fails that path with the file and line; its earlier entries and the other paths stay', async (t) => {
  const dir = await tempDir(t);
  const list = join(dir, 'bad-line.txt');
  await writeFile(list, `${E} first version\n`);
  await importAll(join(dir, 'db'), list);
  await writeFile(list, await readFile(data('bad-line.txt')));
  const [bad, good] = await importAll(join(dir, 'db'), list, data('sha256sum.txt'));
  assert.ok(isAssayError(bad, 'invalid-input'), String(bad));
  assert.match(
    (bad as Error).message,
    /bad-line\.txt \(threat-hashes\): threat hash list .*bad-line\.txt line 3: expected a SHA-256 \(64 hex digits\), got 40 hex digits \(a SHA-1\?\)/,
  );
  assert.equal((good as { records: number }).records, 3);
  const db = openDb(t, join(dir, 'db'));
  assert.deepEqual(db.threatHash(E), { name: 'first version', source: 'db:threat-hashes:bad-line.txt' });
  assert.equal(db.threatHash(A)?.source, 'db:threat-hashes:sha256sum.txt');
  assert.equal(db.info().sources.find((s) => s.id === 'threat-hashes:bad-line.txt')?.records, 1);
});

test('the in-memory twin answers like SQLite', async (t) => {
  const dir = await tempDir(t);
  const files = [data('sha256sum.txt'), data('bazaar-style.csv')];
  await importAll(dir, ...files);
  const memory = new MemoryDb();
  for (const f of files) {
    const ctx = { label: f, maxRecordBytes: DEFAULT_MAX_RECORD_BYTES, issue: () => assert.fail('no issue') };
    await importer.import(f, memory, ctx);
    memory.endImport();
  }
  const db = openDb(t, dir);
  assert.deepEqual(Object.fromEntries(memory.threatHashes()), Object.fromEntries(db.threatHashes()));
  assert.equal(memory.threatHashCount(), db.threatHashCount());
  assert.deepEqual(memory.threatHash(C.toUpperCase()), db.threatHash(C));
});

test('the scope is the file name without .gz; an entry needs a declared list', () => {
  assert.equal(threatListScope('/tmp/x/full_sha256.txt.GZ'), 'threat-hashes:full_sha256.txt');
  assert.throws(() => new MemoryDb().putThreatHash({ sha256: A }), /before snapshot/);
});
