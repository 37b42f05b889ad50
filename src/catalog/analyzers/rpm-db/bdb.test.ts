/**
 * Hostile BerkeleyDB files: each is a real database (the committed sample, or real headers in a
 * generated container) with one thing broken, and each must give the records that are still
 * readable plus a problem saying precisely what is wrong, never an exception.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RpmDbProblem } from './parse.js';
import { parseRpmDb } from './parse.js';
import { fixtures, packageHeader } from './testkit.test.js';
import { type BdbLayout, buildBdb } from './testkit-bdb.test.js';

const PAGE = 4096;

function parse(file: Buffer) {
  const result = parseRpmDb('bdb', file);
  return { names: result.records.map((r) => r.name), problems: result.problems };
}

function only(problems: RpmDbProblem[], code: string, pattern: RegExp, offset?: number): void {
  assert.equal(problems.length, 1, JSON.stringify(problems.map((p) => p.message)));
  assert.equal(problems[0]?.code, code);
  assert.match(problems[0]?.message ?? '', pattern);
  if (offset !== undefined) assert.equal(problems[0]?.offset, offset);
}

/** Ten packages on 512-byte pages: every header spans three chained overflow pages. */
function tenPackages(): BdbLayout {
  const value = (i: number) =>
    packageHeader({ name: `p${i}`, version: '1', release: '1', license: 'x'.repeat(1200) });
  return buildBdb(
    Array.from({ length: 10 }, (_, i) => ({ key: i + 1, value: value(i) })),
    { pageSize: 512 },
  );
}

describe('BerkeleyDB with a wrong magic or metadata', () => {
  test('wrong magic: a precise error, no records', () => {
    const file = fixtures.bdb();
    file.writeUInt32LE(0x12345678, 12);
    const { names, problems } = parse(file);
    assert.deepEqual(names, []);
    only(
      problems,
      'corrupt-database',
      /not a BerkeleyDB hash database: magic at offset 12 is 0x12345678 \(read little-endian\) \/ 0x78563412 \(big-endian\), expected 0x00061561/,
      12,
    );
  });

  test('a btree database is named as such', () => {
    const file = fixtures.bdb();
    file.writeUInt32LE(0x053162, 12);
    only(parse(file).problems, 'unsupported-database-format', /btree database, not the hash database/);
  });

  test('unsupported version, bad page size, encryption, wrong metadata page type', () => {
    const patch = (at: number, write: (b: Buffer) => void) => {
      const file = fixtures.bdb();
      write(file);
      const problem = parse(file).problems[0];
      assert.equal(problem?.offset, at);
      return problem;
    };
    assert.match(
      patch(16, (b) => b.writeUInt32LE(7, 16))?.message ?? '',
      /hash version 7 \(readable: 8 to 10\)/,
    );
    assert.match(
      patch(20, (b) => b.writeUInt32LE(1000, 20))?.message ?? '',
      /page size 1000 is not a power of two/,
    );
    assert.match(patch(24, (b) => b.writeUInt8(1, 24))?.message ?? '', /encrypted/);
    assert.match(
      patch(25, (b) => b.writeUInt8(9, 25))?.message ?? '',
      /metadata page has type 9, expected 8/,
    );
  });

  test('empty and tiny files are truncated, not crashes', () => {
    only(
      parse(Buffer.alloc(0)).problems,
      'truncated-file',
      /metadata page: 512 bytes at offset 0x0 run past the end/,
    );
    only(
      parse(Buffer.alloc(100, 0xff)).problems,
      'truncated-file',
      /run past the end of the file \(0x64 bytes\)/,
    );
  });

  test('an absurd bucket count is capped by the pages the file has', () => {
    const file = fixtures.bdb();
    file.writeUInt32LE(0xffffffff, 72);
    const { names, problems } = parse(file);
    assert.deepEqual(names, ['dive']);
    assert.match(
      problems[0]?.message ?? '',
      /declares 4294967296 buckets, more than the 4 pages in the file/,
    );
    assert.ok(problems.length <= 4);
  });
});

describe('BerkeleyDB with corrupt pages', () => {
  test('truncated inside an overflow chain: the metadata and the chain both say so', () => {
    const { names, problems } = parse(fixtures.bdb().subarray(0, 3 * PAGE + 100));
    assert.deepEqual(names, []);
    assert.deepEqual(
      problems.map((p) => [p.code, p.offset]),
      [
        ['truncated-file', 3 * PAGE],
        ['truncated-file', 3 * PAGE],
      ],
    );
    assert.match(
      problems[1]?.message ?? '',
      /key 1 on page 2: .*overflow chain: page 3: past the end of the file \(3 pages\)/,
    );
  });

  test('a zero-filled hash page loses its bucket only', () => {
    const file = fixtures.bdb();
    file.fill(0, 1 * PAGE, 2 * PAGE); // bucket 0: only rpm's next-instance record lives there
    const { names, problems } = parse(file);
    assert.deepEqual(names, ['dive']);
    only(problems, 'corrupt-database', /bucket 0: page 1: zero-filled \(never written\)/, PAGE);
  });

  test('a zero-filled overflow page loses the one package it holds', () => {
    const layout = tenPackages();
    const victim = layout.overflowPages[5]!;
    layout.file.fill(0, victim * 512, (victim + 1) * 512);
    const { names, problems } = parse(layout.file);
    assert.equal(names.length, 9);
    only(
      problems,
      'corrupt-database',
      new RegExp(`overflow chain: page ${victim}: zero-filled`),
      victim * 512,
    );
  });

  test('a loop in an overflow chain is cut, with the page that closes it named', () => {
    const layout = tenPackages();
    const [first, second] = layout.overflowPages;
    layout.file.writeUInt32LE(first!, second! * 512 + 16); // second page's next_pgno → first page
    const { names, problems } = parse(layout.file);
    assert.equal(names.length, 9);
    only(
      problems,
      'corrupt-database',
      new RegExp(`page ${first}: reached a second time \\(a loop in the page chain\\)`),
    );
  });

  test('a hash page chained to itself is read once', () => {
    const layout = tenPackages();
    const page = layout.hashPages[0]!;
    layout.file.writeUInt32LE(page, page * 512 + 16);
    const { names, problems } = parse(layout.file);
    assert.equal(names.length, 10);
    only(problems, 'corrupt-database', /bucket 0: page 1: reached a second time/);
  });

  test('an item offset outside its page, and an overflow length bigger than the file', () => {
    const layout = tenPackages();
    const hash = layout.hashPages[0]! * 512;
    const itemOffset = (i: number) => layout.file.readUInt16LE(hash + 26 + 2 * i);
    const bad = Buffer.from(layout.file);
    bad.writeUInt16LE(3, hash + 26 + 2 * 3); // pair 1's data item points into the page header
    assert.match(parse(bad).problems[0]?.message ?? '', /item 3 at offset 3 is outside/);
    const huge = Buffer.from(layout.file);
    huge.writeUInt32LE(0x7fffffff, hash + itemOffset(3) + 8); // first package's total length (pair 0 is key 0)
    const { names, problems } = parse(huge);
    assert.equal(names.length, 9);
    only(problems, 'corrupt-database', /overflow item of 2147483647 bytes in a \d+-byte file/);
  });
});
