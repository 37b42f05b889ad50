import assert from 'node:assert/strict';
import { test } from 'node:test';
import npmSemver from 'semver';
import {
  crossPairs,
  type Disagreement,
  describe,
  leadingParts,
  makePairs,
  readCorpus,
} from '../../testing/corpus.js';
import { assertAgreement } from '../../testing/differential.js';
import { semver } from './index.js';

const corpus = readCorpus(new URL('./testdata/versions.txt', import.meta.url));
const foreign = readCorpus(new URL('./testdata/foreign.txt', import.meta.url));

// Strings around node-semver's edges: whitespace, prefixes, limits, identifiers.
const EDGE = [
  '',
  ' ',
  'v',
  '1',
  '1.2',
  '=1.2.3',
  'v1.2.3',
  ' v1.2.3 ',
  '\u00a01.2.3\ufeff',
  '1.2.3\n',
  'V1.2.3',
  'vv1.2.3',
  '1.2.3-',
  '1.2.3--',
  '1.2.3---',
  '1.2.3-0',
  '1.2.3-00',
  '1.2.3-0a',
  '1.2.3-a.0',
  '1.2.3-a.00',
  '1.2.3+00',
  '1.2.3+a.b',
  '1.2.3+a..b',
  '1.2.3-a+b',
  '1.2.3-a+b+c',
  '01.2.3',
  '1.02.3',
  '1.2.03',
  '1.2.3.4',
  '9007199254740991.9007199254740991.9007199254740991',
  '9007199254740992.0.0',
  '0.0.9007199254740992',
  '1.0.0-9007199254740991',
  '1.0.0-9007199254740990',
  `1.2.3-${'a'.repeat(247)}`,
  `1.2.3-${'a'.repeat(248)}`,
  ` 1.2.3-${'a'.repeat(248)}`,
  '1.2.3-é',
  '1.2.3-a_b',
];

test('semver accepts exactly what semver.valid() accepts', () => {
  const wrong: Disagreement[] = [];
  const all = [...corpus, ...foreign, ...EDGE];
  for (const v of all) {
    const ref = npmSemver.valid(v) !== null;
    const parsed = semver.parse(v);
    if (parsed.ok !== ref)
      wrong.push({ a: v, b: '', ours: parsed.ok ? 'valid' : parsed.reason, reference: String(ref) });
  }
  assert.equal(wrong.length, 0, describe(wrong));
  console.log(`semver: validity of ${all.length} strings checked against semver.valid(), 0 disagreements`);
});

test('semver agrees with semver.compare() on npm registry versions', () => {
  const valid = [...corpus, ...EDGE].filter((v) => npmSemver.valid(v) !== null);
  const pairs = [
    ...makePairs(valid, { key: leadingParts, perGroup: 60, random: 5000, seed: 5 }),
    ...crossPairs(EDGE).filter(([a, b]) => semver.parse(a).ok && semver.parse(b).ok),
  ];
  const ours = (a: string, b: string): number => {
    const x = semver.parse(a);
    const y = semver.parse(b);
    assert.ok(x.ok && y.ok);
    return semver.compare(x.value, y.value);
  };
  const reference = pairs.map(([a, b]) => npmSemver.compare(a, b));
  assertAgreement(pairs, reference, ours, {
    scheme: 'semver',
    checked: 'pairs compared with semver.compare()',
  });
});

test('the one intended difference: numeric pre-release identifiers beyond 2^53 stay exact', () => {
  // node-semver turns them into Numbers and rounds: it calls these equal.
  assert.equal(npmSemver.compare('1.0.0-9007199254740993', '1.0.0-9007199254740992'), 0);
  const x = semver.parse('1.0.0-9007199254740993');
  const y = semver.parse('1.0.0-9007199254740992');
  assert.ok(x.ok && y.ok);
  assert.equal(semver.compare(x.value, y.value), 1);
});
