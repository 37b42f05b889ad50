import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCorpus } from '../../testing/corpus.js';
import { rpm } from './index.js';
import { rpmvercmp } from './rpmvercmp.js';

function cmp(a: string, b: string): number {
  const x = rpm.parse(a);
  const y = rpm.parse(b);
  assert.ok(x.ok && y.ok, `both parse: ${a} / ${b}`);
  return rpm.compare(x.value, y.value);
}

// rpmvercmp() facts from rpm's test suite (tests/rpmvercmp.at) and the tilde/caret docs.
const VERCMP: Array<[string, '<' | '=' | '>', string]> = [
  ['1.0', '=', '1.0'],
  ['1.0', '<', '2.0'],
  ['2.0.1', '>', '2.0'],
  ['5.5p1', '<', '5.5p2'],
  ['5.5p10', '>', '5.5p1'],
  ['10xyz', '<', '10.1xyz'],
  ['xyz10', '<', 'xyz10.1'],
  ['xyz.4', '<', '8'],
  ['1b.fc17', '=', '1b.fc17'],
  ['1b.fc17', '<', '1.fc17'],
  ['1g.fc17', '>', '1.fc17'],
  ['1.1.α', '=', '1.1.α'],
  ['1.1.α', '=', '1.1.β'],
  ['1.0aa', '<', '1.0aa'.concat('a')],
  ['20101121', '>', '20101120'],
  ['1.0~rc1', '<', '1.0'],
  ['1.0~rc1', '<', '1.0~rc2'],
  ['1.0~rc1~git123', '<', '1.0~rc1'],
  ['1.0^', '>', '1.0'],
  ['1.0^git1', '<', '1.0.1'],
  ['1.0^git1', '<', '1.0^git2'],
  ['1.0^git1~pre', '<', '1.0^git1'],
  ['1.0^20160101', '<', '1.0.1^20160101'],
  ['1.0~rc1^git1', '>', '1.0~rc1'],
  ['1.0~rc1^git1', '<', '1.0'],
  ['1_0', '=', '1.0'],
  ['1.0a', '=', '1.0.a'],
  ['001', '=', '1'],
  ['18446744073709551616', '>', '18446744073709551615'],
];

test('rpmvercmp orders version strings as rpm does', () => {
  for (const [a, op, b] of VERCMP) {
    const want = op === '<' ? -1 : op === '=' ? 0 : 1;
    assert.equal(rpmvercmp(a, b), want, `${a} ${op} ${b}`);
    assert.equal(rpmvercmp(b, a), want === 0 ? 0 : -want, `${b} reversed`);
  }
});

// Whole EVRs, as rpm.labelCompare() orders them.
const EVR: Array<[string, '<' | '=' | '>', string]> = [
  ['1:1.0-1', '>', '2.0-1'],
  ['0:1.0-1', '=', '1.0-1'],
  ['00:1.0-1', '=', '1.0-1'],
  ['1.0', '<', '1.0-1'],
  ['1.0-1', '<', '1.0-1.el8'],
  ['1.0-1.el8', '<', '1.0-2.el8'],
  ['4.18.0-372.9.1.el8', '<', '4.18.0-372.19.1.el8'],
  ['2.31-150300.63.1', '>', '2.31-150300.46.1'],
  ['1.2.3-4~beta2', '>', '1.2.3-4~alpha1'],
  ['1:1.1.1k-6.el8_5', '<', '1:1.1.1k-7.el8_6'],
];

test('rpm orders EVRs as rpm.labelCompare does', () => {
  for (const [a, op, b] of EVR) {
    const want = op === '<' ? -1 : op === '=' ? 0 : 1;
    assert.equal(cmp(a, b), want, `${a} ${op} ${b}`);
    assert.equal(cmp(b, a), want === 0 ? 0 : -want, `${b} reversed`);
  }
});

test('rpm splits EVRs as rpm.ver() does', () => {
  const r = rpm.parse('2:1.0-3.el9');
  assert.ok(r.ok);
  assert.equal(r.value.epoch, '2');
  assert.equal(r.value.version, '1.0');
  assert.equal(r.value.release, '3.el9');
  const noRelease = rpm.parse('1.0');
  assert.ok(noRelease.ok);
  assert.equal(noRelease.value.release, undefined);
  assert.equal(noRelease.value.epoch, '');
});

// What rpmbuild refuses in Epoch/Version/Release can never be an installed or advertised version.
const INVALID = [
  '',
  ':1.0',
  '1:',
  '1.0-',
  '-1',
  'a:1.0',
  '1.0-1-2',
  '1..0',
  '1.0 ',
  '1.0/1',
  '1.0-%{?dist}',
  '1.é',
];

test('rpm rejects what rpmbuild would not build', () => {
  for (const v of INVALID) assert.equal(rpm.parse(v).ok, false, JSON.stringify(v));
});

test('every version of the rpm corpus parses', () => {
  const corpus = readCorpus(new URL('./testdata/versions.txt', import.meta.url));
  assert.deepEqual(
    corpus.filter((v) => !rpm.parse(v).ok),
    [],
  );
});
