import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { parseRpmDb } from './parse.js';
import { fixtures, packageHeader } from './testkit.test.js';

function parse(file: Buffer) {
  const result = parseRpmDb('sqlite', file);
  return {
    names: result.records.map((r) => r.name),
    problems: result.problems.map((p) => `${p.code}: ${p.message}`),
  };
}

/** An rpm-shaped database written by SQLite itself, with whatever rows a test needs. */
function database(
  rows: Array<[number, unknown]>,
  schema = 'CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)',
): Buffer {
  const db = new Database(':memory:');
  try {
    db.exec(schema);
    for (const [hnum, blob] of rows) db.prepare('INSERT INTO Packages VALUES (?, ?)').run(hnum, blob);
    return db.serialize();
  } finally {
    db.close();
  }
}

describe('rpmdb.sqlite', () => {
  test('the caller’s buffer is not modified (the WAL flag is cleared on a copy)', () => {
    const file = fixtures.sqlite();
    const before = Buffer.from(file);
    assert.equal(parse(file).names.length, 3);
    assert.deepEqual(file, before);
    assert.equal(file[18], 2, 'the fixture is in WAL mode, as rpm leaves it');
  });

  test('not an SQLite file, or an empty one: wrong magic, named', () => {
    assert.deepEqual(parse(Buffer.from('RpmP\u0000\u0000\u0000\u0000slots…')).problems, [
      'corrupt-database: not an SQLite database: the file starts with 52706d5000000000736c6f7473e280a6, not "SQLite format 3"',
    ]);
    assert.deepEqual(parse(Buffer.alloc(0)).problems, [
      'corrupt-database: not an SQLite database: the file is empty',
    ]);
  });

  test('truncated: the header’s page count says by how much, SQLite’s own error follows', () => {
    const { names, problems } = parse(fixtures.sqlite().subarray(0, 8192));
    assert.deepEqual(names, []);
    assert.deepEqual(problems, [
      'truncated-file: SQLite header declares 55 pages of 4096 bytes (225280 bytes), the file has 8192',
      'corrupt-database: reading table Packages: database disk image is malformed (SQLITE_CORRUPT)',
    ]);
  });

  test('zero-filled table pages', () => {
    const file = fixtures.sqlite();
    file.fill(0, 4096, 2 * 4096); // page 2 is the root of table Packages
    assert.deepEqual(parse(file).problems, [
      'corrupt-database: reading table Packages: database disk image is malformed (SQLITE_CORRUPT)',
    ]);
  });

  test('a database without the Packages table', () => {
    const file = database([], 'CREATE TABLE Packages_old (hnum INTEGER, blob BLOB)');
    assert.deepEqual(parse(file).problems, ['corrupt-database: not an rpm database: no Packages table']);
  });

  test('a Packages VIEW or virtual table is never queried (an endless recursive query, extension code)', () => {
    const db = new Database(':memory:');
    db.exec(
      'CREATE VIEW Packages AS WITH RECURSIVE n(hnum) AS (SELECT 1 UNION ALL SELECT hnum + 1 FROM n) SELECT hnum, NULL AS blob FROM n',
    );
    const file = db.serialize();
    db.close();
    assert.deepEqual(parse(file).problems, [
      'corrupt-database: not an rpm database: Packages is a view, not a table',
    ]);
  });

  test('bad rows are problems with their hnum; good rows are read', () => {
    const ok = packageHeader({ name: 'ok', version: '1', release: '1' });
    const file = database(
      [
        [3, ok],
        [5, 'a text value'],
        [9, Buffer.from([0, 0])],
      ],
      'CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob)',
    );
    const { names, problems } = parse(file);
    assert.deepEqual(names, ['ok']);
    assert.deepEqual(problems, [
      'corrupt-database: Packages row hnum 5: blob is string, not a BLOB',
      'truncated-file: record 9: header: header index count: 4 bytes at offset 0x0 run past the end of the header blob (0x2 bytes)',
    ]);
  });
});
