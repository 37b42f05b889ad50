import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCorpus } from '../../testing/corpus.js';
import { deb } from './index.js';

function cmp(a: string, b: string): number {
  const x = deb.parse(a);
  const y = deb.parse(b);
  assert.ok(x.ok && y.ok, `both parse: ${a} / ${b}`);
  return deb.compare(x.value, y.value);
}

// [a, expected order, b] — Debian Policy §5.6.12 and dpkg's own behaviour.
const ORDER: Array<[string, '<' | '=' | '>', string]> = [
  ['1.0', '<', '1.1'],
  ['1.0', '=', '1.0-0'],
  ['1.0', '=', '1.00'],
  ['1.0', '=', '0:1.0'],
  ['1:1.0', '>', '2.0'],
  ['1.0~rc1', '<', '1.0'],
  ['1.0~~', '<', '1.0~'],
  ['1.0~~a', '<', '1.0~'],
  ['1.0~', '<', '1.0'],
  ['1.0', '<', '1.0a'],
  ['1.0a', '<', '1.0+'],
  ['1.0+', '<', '1.0.'],
  ['1.0-1', '<', '1.0-1+deb12u1'],
  ['1.0-1~bpo12+1', '<', '1.0-1'],
  ['2.30-1ubuntu1', '>', '2.30-1'],
  ['1.2.3-1', '<', '1.2.3-1.1'],
  ['10', '>', '9'],
  ['1.010', '=', '1.10'],
  ['2:1.0', '>', '1:9.9'],
  ['1.0-a', '<', '1.0-b'],
  ['1.0-1-1', '>', '1.0-1'],
  ['3.0.2-1', '<', '3.0.10-1'],
  ['99999999999999999999', '<', '100000000000000000000'],
  ['1.18446744073709551616', '>', '1.18446744073709551615'],
  ['0', '=', '00'],
];

test('deb orders versions as dpkg does', () => {
  for (const [a, op, b] of ORDER) {
    const want = op === '<' ? -1 : op === '=' ? 0 : 1;
    assert.equal(cmp(a, b), want, `${a} ${op} ${b}`);
    assert.equal(cmp(b, a), want === 0 ? 0 : -want, `${b} reversed`);
  }
});

// dpkg rejects these (error) or warns about them; we reject both (see README.md).
const INVALID = [
  '',
  '<unknown>',
  'abc',
  '1.0-',
  '1:',
  ':1.0',
  'a:1.0',
  '-1:1.0',
  '2147483648:1',
  '1 0',
  '1.0_1',
  '1.0-1_2',
  '1.0é',
  '1:a',
  '~',
  '1:-1',
  '1.0-1:2',
];

test('deb rejects what dpkg rejects or warns about', () => {
  for (const v of INVALID) assert.equal(deb.parse(v).ok, false, JSON.stringify(v));
});

test('deb accepts and splits what dpkg accepts', () => {
  const cases: Array<[string, number, string, string]> = [
    ['1.0', 0, '1.0', ''],
    ['2:1.20.11-1+deb11u6', 2, '1.20.11', '1+deb11u6'],
    ['1:2:3', 1, '2:3', ''],
    ['1.0-a-b', 0, '1.0-a', 'b'],
    [' 1.0\t', 0, '1.0', ''],
    ['+1:1.0', 1, '1.0', ''],
    ['-0:1.0', 0, '1.0', ''],
    ['\n1:2', 1, '2', ''],
    ['2147483647:1', 2147483647, '1', ''],
    ['1.0-~', 0, '1.0', '~'],
  ];
  for (const [input, epoch, upstream, revision] of cases) {
    assert.deepEqual(
      deb.parse(input),
      { ok: true, value: { epoch, upstream, revision } },
      JSON.stringify(input),
    );
  }
});

test('every version of the Debian corpus parses', () => {
  const corpus = readCorpus(new URL('./testdata/versions.txt', import.meta.url));
  const bad = corpus.filter((v) => !deb.parse(v).ok);
  assert.deepEqual(bad, []);
});
