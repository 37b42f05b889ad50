import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  crossPairs,
  type Disagreement,
  describe,
  leadingParts,
  makePairs,
  type Pair,
  readCorpus,
} from '../../testing/corpus.js';
import { assertAgreement, orderOf } from '../../testing/differential.js';
import { dpkgCompare, dpkgVerdict } from '../../testing/reference.js';
import { deb } from './index.js';

// Hand-made edge cases: tildes, trailing separators, huge numbers, odd but legal characters.
const EDGE = [
  '0',
  '00',
  '0:0',
  '1.0',
  '1.0~',
  '1.0~~',
  '1.0~~a',
  '1.0~a',
  '1.0a',
  '1.0A',
  '1.0+',
  '1.0.',
  '1:1.0:1',
  '1.0-0',
  '1.0-1',
  '1.0-~',
  '1.0-1~',
  '1.0-1+',
  '1.0-1.',
  '1.0-a~b',
  '1.0+~',
  '1.0~+',
  '99999999999999999999999999',
  '99999999999999999999999998',
  '1.99999999999999999999',
  '1.099999999999999999999',
  '1.18446744073709551616',
  '2147483647:1',
  '1:1-1-1',
  ' 1.0',
  '1.0 ',
  '+1:2',
];

test('deb agrees with dpkg --compare-versions on real and edge-case pairs', async () => {
  const corpus = readCorpus(new URL('./testdata/versions.txt', import.meta.url));
  for (const v of EDGE) assert.ok(deb.parse(v).ok, `edge case ${JSON.stringify(v)} parses`);
  const pairs: Pair[] = [
    ...makePairs(corpus, { key: leadingParts, perGroup: 25, random: 1500, seed: 1 }),
    ...crossPairs(EDGE),
  ];
  assert.ok(pairs.length >= 3000, `enough pairs (${pairs.length})`);
  const { results, stderr } = await dpkgCompare(pairs);
  assert.equal(results.length, pairs.length, `dpkg answered every pair; stderr: ${stderr.slice(0, 500)}`);
  // We only pass versions we accept; dpkg must not even warn about them.
  assert.equal(stderr, '', 'dpkg warned about a version we accept');
  assertAgreement(pairs, results, orderOf(deb), { scheme: 'deb', checked: 'pairs compared with dpkg' });
});

// Inputs dpkg rejects, warns about or accepts in surprising ways (strtol epochs, blanks).
const VALIDITY = [
  ...EDGE,
  'abc',
  '1.0:',
  '1.0-',
  '1:',
  ':1.0',
  'a:1.0',
  '-1:1.0',
  '-0:1.0',
  '1 0',
  '1.0-a-b',
  '1:2:3',
  '1.0_1',
  '1.0-1_2',
  '1.0-1:2',
  '1.0é',
  '1.0\u00a0',
  '2147483648:1',
  '99999999999999999999:1',
  '-99999999999999999999:1',
  '1:-1',
  '~',
  '1:a',
  '\n1:2',
  '\t1:2',
  '1.0\n',
  '1..0',
  '1.0-+',
  '1.0-1.2+3~4',
  '1.0-1/2',
  '1.0#1',
  ' ',
  '0:-',
  '-',
];

test('deb accepts exactly what dpkg accepts without warnings', () => {
  const wrong: Disagreement[] = [];
  for (const v of VALIDITY) {
    const verdict = dpkgVerdict(v);
    const parsed = deb.parse(v);
    if (parsed.ok !== (verdict === 'valid')) {
      wrong.push({ a: v, b: '', ours: parsed.ok ? 'valid' : parsed.reason, reference: verdict });
    }
  }
  assert.equal(wrong.length, 0, describe(wrong));
});
