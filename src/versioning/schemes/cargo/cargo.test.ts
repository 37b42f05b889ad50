import assert from 'node:assert/strict';
import { test } from 'node:test';
import npmSemver from 'semver';
import { leadingParts, makePairs, readCorpus } from '../../testing/corpus.js';
import { assertAgreement } from '../../testing/differential.js';
import { cargo } from './index.js';

function cmp(a: string, b: string): number {
  const x = cargo.parse(a);
  const y = cargo.parse(b);
  assert.ok(x.ok && y.ok, `both parse: ${a} / ${b}`);
  return cargo.compare(x.value, y.value);
}

test('cargo accepts what semver::Version::parse accepts', () => {
  const valid = [
    '0.0.0',
    '1.2.3',
    '1.2.3-alpha.1',
    '1.0.0-x.7.z.92',
    '1.2.3+build.01',
    '18446744073709551615.0.0',
  ];
  // No v, no whitespace, no shorthand, no leading zeros, numbers must fit in u64 (docs.rs/semver).
  const invalid = [
    'v1.2.3',
    ' 1.2.3',
    '1.2.3 ',
    '=1.2.3',
    '1.2',
    '01.2.3',
    '1.2.3-01',
    '1.2.3-',
    '18446744073709551616.0.0',
  ];
  for (const v of valid) assert.ok(cargo.parse(v).ok, v);
  for (const v of invalid) assert.equal(cargo.parse(v).ok, false, JSON.stringify(v));
});

test('cargo orders by semver 2.0.0 precedence, build metadata ignored', () => {
  const ORDER: Array<[string, '<' | '=' | '>', string]> = [
    ['1.5.0', '<', '1.19.0'],
    ['1.0.0-alpha.1', '<', '1.0.0'],
    ['1.0.0-pre.8', '<', '1.0.0-pre.12'],
    ['1.0.0-alpha11', '<', '1.0.0-alpha2'],
    ['1.0.0+a', '=', '1.0.0+b'],
    ['1.0.0-99999999999999999999999', '>', '1.0.0-99999999999999999999998'],
    ['18446744073709551615.0.0', '>', '18446744073709551614.0.0'],
  ];
  for (const [a, op, b] of ORDER) {
    const want = op === '<' ? -1 : op === '=' ? 0 : 1;
    assert.equal(cmp(a, b), want, `${a} ${op} ${b}`);
  }
});

test('cargo agrees with node-semver on the versions both accept (same semver 2.0 order)', () => {
  const corpus = [
    ...readCorpus(new URL('./testdata/versions.txt', import.meta.url)),
    ...readCorpus(new URL('../semver/testdata/versions.txt', import.meta.url)),
  ].filter((v) => cargo.parse(v).ok && npmSemver.valid(v) !== null);
  const pairs = makePairs(corpus, { key: leadingParts, perGroup: 30, random: 3000, seed: 6 });
  const reference = pairs.map(([a, b]) => npmSemver.compare(a, b));
  assertAgreement(pairs, reference, cmp, {
    scheme: 'cargo',
    checked: 'pairs cross-checked with node-semver',
  });
});
