/** Unit tables for the small pure pieces: numbers, headers, PAX records, path cleaning, whiteout names. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChangeLog } from './change-log.js';
import type { TreeChange } from './image-types.js';
import { classifyWhiteout, cleanPath } from './paths.js';
import { parsePax } from './pax.js';
import { decodeHeader, parseNumber } from './tar-header.js';
import { header, paxRecords } from './testkit.test.js';

describe('parseNumber', () => {
  const field = (bytes: number[] | string): Buffer =>
    typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
  const cases: Array<[string, Buffer, number | undefined]> = [
    ['octal with NUL', field('0000644\u0000'), 0o644],
    ['octal with leading spaces and trailing space', field('   755 \u0000'), 0o755],
    ['empty field', field('\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000'), 0],
    ['GNU base-256 (12 GiB)', field([0x80, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0]), 12 * 2 ** 30],
    ['negative base-256', field([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), undefined],
    ['non-octal digit', field('00008\u0000  '), undefined],
  ];
  for (const [name, bytes, expected] of cases) {
    it(name, () => assert.equal(parseNumber(bytes, 0, bytes.length), expected));
  }
});

describe('decodeHeader', () => {
  it('reads a ustar header, joining the prefix field', () => {
    const result = decodeHeader(
      header({ name: 'file.txt', prefix: 'usr/share/doc', size: 42, mode: 0o100755 }),
    );
    assert.equal(result.kind, 'header');
    if (result.kind !== 'header') return;
    assert.deepEqual(
      {
        name: result.header.name,
        size: result.header.size,
        mode: result.header.mode,
        type: result.header.typeflag,
      },
      { name: 'usr/share/doc/file.txt', size: 42, mode: 0o755, type: '0' },
    );
  });

  it('recognises the zero block and rejects a bad checksum', () => {
    assert.deepEqual(decodeHeader(Buffer.alloc(512)), { kind: 'zero' });
    assert.equal(decodeHeader(header({ name: 'x', badChecksum: true })).kind, 'bad');
  });

  it('accepts the historic signed-char checksum', () => {
    const block = header({ name: Buffer.from([0x78, 0xe9, 0xe8]) });
    block.fill(0x20, 148, 156);
    let signed = 0;
    for (const byte of block) signed += byte > 127 ? byte - 256 : byte;
    block.write(`${signed.toString(8).padStart(6, '0')}\u0000 `, 148, 'latin1');
    assert.equal(decodeHeader(block).kind, 'header');
  });
});

describe('parsePax', () => {
  it('reads path, linkpath, size, ids and fractional mtime, ignoring other keywords', () => {
    const data = Buffer.from(
      paxRecords({
        path: 'a/ü/long',
        linkpath: '../b',
        size: '123456',
        mtime: '1700000000.123456',
        'SCHILY.xattr.user.x': 'y',
      }),
    );
    assert.deepEqual(parsePax(data), {
      ok: true,
      fields: { path: 'a/ü/long', linkpath: '../b', size: 123456, mtime: 1700000000.123456 },
    });
  });

  it('rejects bad lengths and non-numeric sizes', () => {
    assert.equal(parsePax(Buffer.from('99 path=x\n')).ok, false);
    assert.equal(parsePax(Buffer.from('12 size=1x\n')).ok, false);
    assert.equal(parsePax(Buffer.from('path=x\n')).ok, false);
  });
});

describe('cleanPath', () => {
  const cases: Array<[string, string, boolean, boolean]> = [
    ['usr/bin/env', 'usr/bin/env', false, false],
    ['./usr/bin/', 'usr/bin', false, false],
    ['/etc/passwd', 'etc/passwd', false, false],
    ['a//b/./c', 'a/b/c', false, false],
    ['a/../b', 'b', false, true],
    ['../../etc/x', 'etc/x', true, true],
    ['/../etc/x', 'etc/x', true, true],
    ['./', '', false, false],
    ['a/..', '', false, true],
    ['..foo/bar..', '..foo/bar..', false, false],
  ];
  for (const [raw, path, escaped, dotdot] of cases) {
    it(`${JSON.stringify(raw)} → ${JSON.stringify(path)}`, () =>
      assert.deepEqual(cleanPath(raw), { path, escaped, dotdot }));
  }
});

describe('classifyWhiteout', () => {
  it('looks at the basename only', () => {
    assert.equal(classifyWhiteout('usr/bin/which'), undefined);
    assert.equal(classifyWhiteout('a/.wh.dir/file'), undefined);
    assert.equal(classifyWhiteout('etc/wh.x'), undefined);
    assert.deepEqual(classifyWhiteout('etc/.wh.motd'), { kind: 'whiteout', path: 'etc/motd' });
    assert.deepEqual(classifyWhiteout('.wh.root-file'), { kind: 'whiteout', path: 'root-file' });
    assert.deepEqual(classifyWhiteout('etc/.wh..hidden'), { kind: 'whiteout', path: 'etc/.hidden' });
  });

  it('knows the opaque marker exactly, and AUFS metadata', () => {
    assert.deepEqual(classifyWhiteout('opt/app/.wh..wh..opq'), { kind: 'opaque', dir: 'opt/app' });
    assert.deepEqual(classifyWhiteout('.wh..wh..opq'), { kind: 'opaque', dir: '' });
    assert.deepEqual(classifyWhiteout('.wh..wh.plnk'), { kind: 'aufs-metadata' });
    assert.equal(classifyWhiteout('x/.wh..wh..opqx')?.kind, 'aufs-metadata');
  });
});

describe('ChangeLog', () => {
  it('gives back exactly what was added, across pages', () => {
    const changes: TreeChange[] = [
      {
        kind: 'entry',
        entry: {
          path: 'usr/bin/ünï',
          type: 'file',
          size: 12 * 2 ** 30,
          mode: 0o755,
          uid: 1000,
          gid: 1000,
          mtime: 1.5,
        },
      },
      {
        kind: 'entry',
        entry: { path: 'lib', type: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, linkname: '' },
      },
      {
        kind: 'entry',
        entry: {
          path: 'x'.repeat(300_000),
          type: 'hardlink',
          size: 0,
          mode: 0,
          uid: 0,
          gid: 0,
          linkname: 'y',
        },
      },
      { kind: 'whiteout', path: 'etc/motd' },
      { kind: 'opaque', dir: '' },
      ...Array.from(
        { length: 5000 },
        (_, i): TreeChange => ({
          kind: 'entry',
          entry: {
            path: `usr/share/doc/pkg-${i}/copyright`,
            type: 'other',
            size: i,
            mode: 0o644,
            uid: 0,
            gid: 0,
            mtime: i,
          },
        }),
      ),
    ];
    const log = new ChangeLog();
    for (const change of changes) log.add(change);
    assert.equal(log.count, changes.length);
    assert.deepEqual([...log], changes);
    assert.deepEqual([...log], changes, 'iterable twice');
  });
});
