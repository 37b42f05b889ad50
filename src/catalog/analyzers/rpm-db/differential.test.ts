/**
 * Differential tests against the real rpm (Debian's `rpm` package, 4.18: backends sqlite and
 * bdb_ro; it has no NDB backend). Each database is queried with `rpm -qa --qf` and must give
 * exactly the records our parsers give. NDB is checked by moving the blobs our reader extracts
 * into an rpm-initialised SQLite database and letting rpm read them there. Skipped, with the
 * reason, where rpm is not installed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { scanBdb } from './bdb.js';
import { scanNdb } from './ndb.js';
import { parseRpmDb, type RpmPackageRecord } from './parse.js';
import { scanSqlite } from './sqlite.js';
import { fixtures, packageHeader } from './testkit.test.js';
import { buildBdb } from './testkit-bdb.test.js';

// The reference tool is required, not optional: a missing rpm fails the suite (scripts/install-test-deps.sh installs it).
const hasRpm = spawnSync('rpm', ['--version']).status === 0;
const FIELDS = [
  'NAME',
  'EPOCH',
  'VERSION',
  'RELEASE',
  'ARCH',
  'SOURCERPM',
  'LICENSE',
  'VENDOR',
  'SIZE',
  'MODULARITYLABEL',
];
const work = mkdtempSync(join(tmpdir(), 'assay-rpmdb-'));
after(() => rmSync(work, { recursive: true, force: true }));

function rpmQa(files: Record<string, Buffer>, backend: 'sqlite' | 'bdb_ro'): string[] {
  const dir = mkdtempSync(join(work, 'db-'));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  const qf = `${FIELDS.map((f) => `%{${f}}`).join('|')}\\n`;
  const run = spawnSync('rpm', ['--dbpath', dir, '--define', `_db_backend ${backend}`, '-qa', '--qf', qf], {
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.split('\n').filter(Boolean).sort();
}

function ours(records: RpmPackageRecord[]): string[] {
  const show = (v: string | number | undefined) => (v === undefined ? '(none)' : String(v));
  return records
    .map((r) =>
      [
        r.name,
        r.epoch,
        r.version,
        r.release,
        r.arch,
        r.sourceRpm,
        r.license,
        r.vendor,
        r.size,
        r.modularityLabel,
      ]
        .map(show)
        .join('|'),
    )
    .sort();
}

function realBlobs(): Array<{ key: number; value: Buffer }> {
  const blobs = [
    ...scanSqlite(fixtures.sqlite()).blobs,
    ...scanNdb(fixtures.ndb()).blobs.map((b) => ({ ...b, key: b.key + 10 })),
    ...scanBdb(fixtures.bdb()).blobs.map((b) => ({ ...b, key: b.key + 20 })),
  ];
  const synthetic = Array.from({ length: 30 }, (_, i) => ({
    key: 100 + i,
    bytes: packageHeader({
      name: `syn${i}`,
      version: `${i}.0`,
      release: '1',
      arch: 'noarch',
      epoch: i % 3 === 0 ? i : undefined,
      license: 'MIT',
      vendor: 'Société',
    }),
  }));
  return [...blobs, ...synthetic].map((b) => ({ key: b.key, value: b.bytes }));
}

describe('parsers agree with rpm -qa', () => {
  before(() =>
    assert.ok(hasRpm, 'rpm is not installed: apt-get install rpm (the reference for these tests)'),
  );
  test('SQLite: the committed rpmdb.sqlite', () => {
    const file = fixtures.sqlite();
    assert.deepEqual(ours(parseRpmDb('sqlite', file).records), rpmQa({ 'rpmdb.sqlite': file }, 'sqlite'));
  });

  test('BerkeleyDB: the committed Packages', () => {
    const file = fixtures.bdb();
    assert.deepEqual(ours(parseRpmDb('bdb', file).records), rpmQa({ Packages: file }, 'bdb_ro'));
  });

  for (const opts of [
    { endian: 'le', pageSize: 4096 },
    { endian: 'be', pageSize: 4096 },
    { endian: 'le', pageSize: 512 },
    { endian: 'be', pageSize: 32768 },
  ] as const) {
    test(`BerkeleyDB: generated, ${opts.endian}, ${opts.pageSize}-byte pages, 37 packages`, () => {
      const { file } = buildBdb(realBlobs(), opts);
      const expected = rpmQa({ Packages: file }, 'bdb_ro');
      assert.equal(expected.length, 37);
      assert.deepEqual(ours(parseRpmDb('bdb', file).records), expected);
    });
  }

  test('NDB: the blobs we extract, read by rpm from an SQLite rpmdb', () => {
    const dir = mkdtempSync(join(work, 'ndb-'));
    const init = spawnSync('rpm', ['--dbpath', dir, '--define', '_db_backend sqlite', '--initdb'], {
      encoding: 'utf8',
    });
    assert.equal(init.status, 0, init.stderr);
    const db = new Database(join(dir, 'rpmdb.sqlite'));
    for (const blob of scanNdb(fixtures.ndb()).blobs)
      db.prepare('INSERT INTO Packages VALUES (?, ?)').run(blob.key, blob.bytes);
    db.close();
    const qf = `${FIELDS.map((f) => `%{${f}}`).join('|')}\\n`;
    const run = spawnSync('rpm', ['--dbpath', dir, '-qa', '--qf', qf], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const expected = run.stdout.split('\n').filter(Boolean).sort();
    assert.equal(expected.length, 3);
    assert.deepEqual(ours(parseRpmDb('ndb', fixtures.ndb()).records), expected);
  });
});
