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
  seeded,
} from '../../testing/corpus.js';
import { assertAgreement, orderOf } from '../../testing/differential.js';
import { rpmLabelCompare, rpmSplit, rpmVercmp } from '../../testing/reference.js';
import { rpm } from './index.js';
import { rpmvercmp } from './rpmvercmp.js';

// EVR edge cases: epochs, missing releases, tilde and caret in both parts, huge numbers.
const EDGE = [
  '0',
  '1.0',
  '1.0-1',
  '0:1.0-1',
  '1:1.0-1',
  '1:1.0',
  '1.0~rc1-1',
  '1.0~rc1~1-1',
  '1.0~~-1',
  '1.0^-1',
  '1.0^git1-1',
  '1.0^git1~pre-1',
  '1.0-1~',
  '1.0-1^',
  '1.0-1^1',
  '1.0-~',
  '1.0-^',
  '1.0.-1',
  '1.0_-1',
  '1.0+-1',
  '1.0a-1',
  '1.0.a-1',
  '1.0A-1',
  '99999999999999999999999-1',
  '99999999999999999999998-1',
  '1.99999999999999999999-1',
  '1.000000000000000000001-1',
  '99999999999999999999:1-1',
  '1.0-1.el8',
  '1.0-1.el8_5',
  '1.0-1.el8+1',
];

test('rpm agrees with rpm.labelCompare on real, composed and edge-case EVRs', () => {
  const corpus = readCorpus(new URL('./testdata/versions.txt', import.meta.url));
  for (const v of EDGE) assert.ok(rpm.parse(v).ok, `edge case ${v} parses`);
  const pairs: Pair[] = [
    ...makePairs(corpus, {
      key: (v) => leadingParts(v.replace(/^\d+:/, '')),
      perGroup: 40,
      random: 4000,
      seed: 2,
    }),
    ...crossPairs(EDGE),
  ];
  assertAgreement(pairs, rpmLabelCompare(pairs), orderOf(rpm), {
    scheme: 'rpm',
    checked: 'EVR pairs compared with rpm.labelCompare',
  });
});

test('rpm splits epoch, version and release as rpm.ver() does', () => {
  const values = [...readCorpus(new URL('./testdata/versions.txt', import.meta.url)), ...EDGE];
  const split = rpmSplit(values);
  const wrong: Disagreement[] = [];
  values.forEach((v, i) => {
    const r = rpm.parse(v);
    const [e, ver, rel] = split[i] ?? [null, '', null];
    const same =
      r.ok &&
      r.value.version === ver &&
      r.value.release === (rel ?? undefined) &&
      r.value.epoch === (e ?? '').replace(/^0+/, '');
    if (!same) wrong.push({ a: v, b: '', ours: JSON.stringify(r), reference: JSON.stringify(split[i]) });
  });
  assert.equal(wrong.length, 0, describe(wrong));
});

// Raw strings, valid or not as package versions: separators of every kind, non-ASCII, empty
// segments, lone ~ and ^ — rpmvercmp() itself must match on all of them.
// (labelCompare refuses an empty version, so '' is not among them.)
const RAW = [
  '.',
  '~',
  '^',
  '~~',
  '^^',
  '~^',
  '^~',
  '1',
  '01',
  '1.',
  '.1',
  '1..1',
  '1.1',
  '1_1',
  '1-1',
  '1+1',
  '1:1',
  '1/1',
  '1 1',
  'a',
  'A',
  'aA',
  'a1',
  '1a',
  '1.a',
  '1a1',
  'é',
  '1é',
  '1.é',
  'é1',
  '1~',
  '1^',
  '1~1',
  '1^1',
  '1.~',
  '1.^',
  '1~.',
  '1^.',
  '1~a',
  '1^a',
  '1.0~rc1',
  '1.0^git1',
  '1.0^git1~x',
  '184467440737095516160',
  '184467440737095516159',
  '0000000000000000000001',
];

test('rpmvercmp agrees with rpm on adversarial strings and mutated corpus versions', () => {
  const random = seeded(3);
  const corpus = readCorpus(new URL('./testdata/versions.txt', import.meta.url)).map((v) =>
    v.replace(/^\d+:/, ''),
  );
  const mutate = (v: string): string => {
    const at = Math.floor(random() * (v.length + 1));
    const insert = ['~', '^', '.', '_', 'a', '0', '9', '', '~~'][Math.floor(random() * 9)] ?? '';
    return v.slice(0, at) + insert + v.slice(at + (random() < 0.3 ? 1 : 0));
  };
  const mutated = corpus.slice(0, 1500).map(mutate);
  const pairs: Pair[] = [...crossPairs(RAW), ...mutated.map((m, i): Pair => [m, corpus[i] ?? ''])];
  assertAgreement(pairs, rpmVercmp(pairs), rpmvercmp, {
    scheme: 'rpm',
    checked: 'raw rpmvercmp pairs compared with rpm',
  });
});
