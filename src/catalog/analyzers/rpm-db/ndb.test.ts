/**
 * Hostile NDB files, each the real SUSE sample (three packages: blobs at 0x1000, 0x2040 and
 * 0xff30, slots at 0x20, 0x30, 0x40) with one thing broken.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseRpmDb } from './parse.js';
import { fixtures, packageHeader } from './testkit.test.js';
import { buildNdb } from './testkit-ndb.test.js';

const SLOT_1 = 0x20;
const SLOT_3 = 0x40;

function parse(file: Buffer) {
  const result = parseRpmDb('ndb', file);
  return {
    names: result.records.map((r) => r.name),
    problems: result.problems.map((p) => ({ code: p.code, message: p.message, offset: p.offset })),
  };
}

function blobStart(file: Buffer, slot: number): number {
  return file.readUInt32LE(slot + 8) * 16;
}

describe('NDB header problems', () => {
  test('wrong magic: a precise error, no records', () => {
    const file = fixtures.ndb();
    file.write('XpmP', 0, 'latin1');
    const { names, problems } = parse(file);
    assert.deepEqual(names, []);
    assert.deepEqual(problems, [
      {
        code: 'corrupt-database',
        offset: 0,
        message:
          'NDB header: not an rpm NDB database: magic at offset 0 is 0x506d7058 ("XpmP"), expected "RpmP"',
      },
    ]);
  });

  test('an unknown version, no slot pages, a file shorter than its header', () => {
    const version = fixtures.ndb();
    version.writeUInt32LE(1, 4);
    assert.equal(parse(version).problems[0]?.code, 'unsupported-database-format');
    const none = fixtures.ndb();
    none.writeUInt32LE(0, 12);
    assert.match(parse(none).problems[0]?.message ?? '', /declares no slot pages/);
    assert.equal(parse(Buffer.from('RpmP')).problems[0]?.code, 'truncated-file');
  });

  test('a slot page count far beyond the file reads the pages that exist', () => {
    const file = fixtures.ndb();
    file.writeUInt32LE(0xffffffff, 12);
    const { names, problems } = parse(file);
    assert.equal(problems[0]?.code, 'truncated-file');
    assert.match(problems[0]?.message ?? '', /declares 4294967295 slot pages, the file holds 34/);
    // The "slot pages" after the first hold blob bytes, which is reported, not read as slots.
    assert.ok(names.length <= 3 && problems.length < 40);
  });
});

describe('NDB slot and blob problems', () => {
  test('truncated inside the last blob: the first two packages survive', () => {
    const file = fixtures.ndb();
    const { names, problems } = parse(file.subarray(0, blobStart(file, SLOT_3) + 100));
    assert.deepEqual(names, ['system-user-root', 'filesystem']);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.code, 'truncated-file');
    assert.match(
      problems[0]?.message ?? '',
      /NDB slot 4 at offset 0x40 \(package 3, blocks 4083\+4673\): blob runs past the end of the file/,
    );
  });

  test('a zero-filled slot page', () => {
    const file = fixtures.ndb();
    file.fill(0, 32, 4096);
    const { names, problems } = parse(file);
    assert.deepEqual(names, []);
    assert.deepEqual(problems, [
      {
        code: 'corrupt-database',
        offset: 32,
        message: 'NDB slot page 0: no "Slot" magic at offset 0x20; rest of the page skipped',
      },
    ]);
  });

  test('a bad checksum is reported and the record still read (rpm does not verify it on reads)', () => {
    const file = fixtures.ndb();
    const start = blobStart(file, SLOT_1);
    const tail = start + file.readUInt32LE(SLOT_1 + 12) * 16 - 12;
    file.writeUInt32LE(file.readUInt32LE(tail) ^ 1, tail);
    const { names, problems } = parse(file);
    assert.deepEqual(names, ['system-user-root', 'filesystem', 'glibc']);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.code, 'checksum-mismatch');
    assert.equal(problems[0]?.offset, tail);
  });

  test('a blob without its head magic, or naming another package, or with a wrong length', () => {
    const broken = (edit: (file: Buffer, start: number) => void) => {
      const file = fixtures.ndb();
      edit(file, blobStart(file, SLOT_1));
      return parse(file);
    };
    for (const [edit, pattern] of [
      [(f: Buffer, s: number) => f.write('Blbs', s, 'latin1'), /no "BlbS" head magic/],
      [(f: Buffer, s: number) => f.writeUInt32LE(9, s + 4), /head names package 9, the slot 1/],
      [
        (f: Buffer, s: number) => f.writeUInt32LE(99999, s + 12),
        /length 99999 needs 6252 blocks, the slot gives 260/,
      ],
    ] as const) {
      const { names, problems } = broken(edit);
      assert.deepEqual(names, ['filesystem', 'glibc']);
      assert.equal(problems.length, 1);
      assert.match(
        problems[0]?.message ?? '',
        new RegExp(`package 1 \\(slot 2\\): blob at offset 0x1000: ${pattern.source}`),
      );
    }
  });

  test('impossible slots and duplicate package indexes', () => {
    const file = fixtures.ndb();
    file.writeUInt32LE(1, SLOT_1 + 8); // block 1 lies inside the slot page
    file.writeUInt32LE(2, SLOT_3 + 4); // package 3's slot claims index 2
    const { names, problems } = parse(file);
    assert.deepEqual(names, ['filesystem']);
    assert.deepEqual(
      problems.map((p) => p.message.replace(/ at offset.*?:/, ':')),
      ['NDB slot 2: impossible slot', 'NDB slot 4: package index 2 is used by an earlier slot; skipped'],
    );
  });

  test('a blob that is not a header is a header problem for that package', () => {
    const layout = buildNdb([
      { pkgIndex: 1, blob: Buffer.from('not a header at all') },
      { pkgIndex: 2, blob: packageHeader({ name: 'ok', version: '1', release: '1' }) },
    ]);
    const { names, problems } = parse(layout.file);
    assert.deepEqual(names, ['ok']);
    assert.equal(problems[0]?.offset, layout.blobOffsets[0]);
    assert.match(
      problems[0]?.message ?? '',
      /record 1 \(blob at offset 0x1000\): header: header declares 1852797984 index entries/,
    );
  });
});
