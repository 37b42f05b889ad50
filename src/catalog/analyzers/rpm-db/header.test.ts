import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseHeader } from './header.js';
import { headerNumber, headerString } from './header-values.js';
import { RpmDbFormatError } from './problems.js';
import { readRecord } from './record.js';
import { RpmTag, RpmType } from './tags.js';
import { buildHeader, int32, int64, packageHeader, str, strings } from './testkit.test.js';

const base = { name: 'bash', version: '5.1.8', release: '9.el9', arch: 'x86_64' };

function record(blob: Buffer) {
  return readRecord(parseHeader(blob), 7, 'record 7');
}

function rejects(blob: Buffer, pattern: RegExp, code = 'corrupt-database'): void {
  assert.throws(
    () => parseHeader(blob),
    (err: unknown) => err instanceof RpmDbFormatError && err.code === code && pattern.test(err.message),
  );
}

describe('rpm header: well-formed blobs', () => {
  test('reads every catalog field of a region header', () => {
    const blob = packageHeader({
      ...base,
      epoch: 1,
      sourceRpm: 'bash-5.1.8-9.el9.src.rpm',
      license: 'GPLv3+',
      vendor: 'Red Hat, Inc.',
      size: 7738634,
      modularityLabel: 'bash:5:1:abc',
    });
    assert.deepEqual(record(blob), {
      record: {
        key: 7,
        ...base,
        epoch: 1,
        sourceRpm: 'bash-5.1.8-9.el9.src.rpm',
        license: 'GPLv3+',
        vendor: 'Red Hat, Inc.',
        size: 7738634,
        modularityLabel: 'bash:5:1:abc',
      },
      problems: [],
    });
  });

  test('legacy headers without a region and headers with the .rpm magic read the same', () => {
    const expected = record(packageHeader(base));
    assert.deepEqual(record(packageHeader(base, { region: false })), expected);
    assert.deepEqual(record(packageHeader(base, { magic: true })), expected);
  });

  test('dribble entries replace region entries with the same tag (rpm hdrblobImport)', () => {
    const blob = packageHeader(base, { dribbles: [str(RpmTag.RELEASE, '10.el9')] });
    assert.equal(record(blob).record?.release, '10.el9');
  });

  test('LONGSIZE wins over SIZE; I18NSTRING gives its first string; Latin-1 is decoded as Latin-1', () => {
    const blob = buildHeader([
      str(RpmTag.NAME, 'big'),
      str(RpmTag.VERSION, '1'),
      str(RpmTag.RELEASE, '1'),
      int32(RpmTag.SIZE, 1),
      str(RpmTag.VENDOR, 'Société', 'latin1'),
      strings(RpmTag.LICENSE, RpmType.I18NSTRING, ['MIT', 'MIT (fr)']),
      int64(RpmTag.LONGSIZE, 5_000_000_000n),
    ]);
    const got = record(blob).record;
    assert.equal(got?.size, 5_000_000_000);
    assert.equal(got?.vendor, 'Société');
    assert.equal(got?.license, 'MIT');
  });
});

describe('rpm header: bad records are problems, not exceptions', () => {
  test('a missing NAME loses the record with a missing-field problem', () => {
    const blob = buildHeader([str(RpmTag.VERSION, '1'), str(RpmTag.RELEASE, '1')]);
    const result = record(blob);
    assert.equal(result.record, undefined);
    assert.equal(result.problems[0]?.code, 'missing-field');
    assert.match(result.problems[0]?.message ?? '', /record 7: header has no NAME \(1000\)/);
  });

  test('a badly typed optional field drops that field only', () => {
    const blob = buildHeader([
      str(RpmTag.NAME, 'x'),
      str(RpmTag.VERSION, '1'),
      str(RpmTag.RELEASE, '1'),
      str(RpmTag.EPOCH, '3'),
    ]);
    const result = record(blob);
    assert.deepEqual(result.record, { key: 7, name: 'x', version: '1', release: '1' });
    assert.equal(result.problems[0]?.code, 'invalid-field');
    assert.match(
      result.problems[0]?.message ?? '',
      /EPOCH \(1003\) has type STRING, expected an integer type/,
    );
  });

  test('typed reads refuse the wrong type', () => {
    const header = parseHeader(buildHeader([int32(RpmTag.NAME, 5)]));
    assert.throws(() => headerString(header, RpmTag.NAME), /NAME \(1000\) has type INT32, expected STRING/);
    assert.equal(headerNumber(header, RpmTag.EPOCH), undefined);
  });
});

describe('rpm header: hostile blobs give located errors', () => {
  const good = () => packageHeader(base);

  test('an index count of 2^31 is rejected before anything is read', () => {
    const blob = good();
    blob.writeUInt32BE(2 ** 31, 0);
    rejects(blob, /declares 2147483648 index entries/);
  });

  test('counts that promise more bytes than the blob has: truncated', () => {
    rejects(good().subarray(0, 40), /run past the end of the header blob/, 'truncated-file');
    rejects(Buffer.alloc(3), /header index count/, 'truncated-file');
    const blob = good();
    blob.writeUInt32BE(0x0fffffff, 4);
    rejects(blob, /0xfffffff bytes|268435455 data bytes/, 'truncated-file');
  });

  test('an entry whose offset is past the data store', () => {
    const blob = good();
    blob.writeInt32BE(1_000_000, 8 + 16 + 8); // entry 1's offset
    rejects(blob, /index entry 1 .*offset outside the \d+-byte data store/);
  });

  test('an entry whose data runs past the store, a huge count, a misaligned INT32', () => {
    const blob = buildHeader([str(RpmTag.NAME, 'x'), int32(RpmTag.EPOCH, 1)]);
    const epochEntry = 8 + 16 * 2;
    const huge = Buffer.from(blob);
    huge.writeUInt32BE(0x0fffffff, epochEntry + 12);
    rejects(huge, /EPOCH \(1003\).*bytes of data run past/);
    const misaligned = Buffer.from(blob);
    misaligned.writeInt32BE(misaligned.readInt32BE(epochEntry + 8) + 1, epochEntry + 8);
    rejects(misaligned, /not aligned to 4 bytes/);
  });

  test('entries whose data overlap (rpm rejects them; they would make validation quadratic)', () => {
    const blob = buildHeader([str(RpmTag.NAME, 'x'), str(RpmTag.VERSION, '1'), str(RpmTag.RELEASE, '1')]);
    blob.writeInt32BE(0, 8 + 16 * 3 + 8); // RELEASE's offset → NAME's data
    rejects(
      blob,
      /index entry 3 .*RELEASE \(1002\), type STRING, offset 0, count 1\): overlaps the previous entry's data \(ending at 4\)/,
    );
  });

  test('strings without their NUL, unknown types, STRING with count 2, a broken region trailer', () => {
    const unterminated = buildHeader(
      [{ tag: RpmTag.NAME, type: RpmType.STRING, count: 1, data: Buffer.from('abc') }],
      { region: false },
    );
    rejects(unterminated, /fewer than 1 NUL-terminated strings/);
    const unknown = buildHeader([{ ...str(RpmTag.NAME, 'x'), type: 42 }]);
    rejects(unknown, /unknown or empty data type/);
    const two = buildHeader([{ ...str(RpmTag.NAME, 'x'), count: 2 }]);
    rejects(two, /a STRING entry must have count 1/);
    const region = good();
    region.writeInt32BE(-7, region.length - 8);
    rejects(region, /region entry HEADERIMMUTABLE|region entry 63/);
  });
});
