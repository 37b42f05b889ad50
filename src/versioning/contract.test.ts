import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Order } from './digits.js';
import { schemeIds, schemes } from './registry.js';
import type { VersionScheme } from './scheme.js';
import { corpusFiles, pickOne, readCorpus, seeded } from './testing/corpus.js';

/**
 * The contract every registered scheme must keep (STYLE.md principle 5): parse never throws,
 * compare returns -1/0/1, is reflexive, antisymmetric and transitive. Values come from every
 * scheme's corpus (all `testdata/*.txt` under this folder) plus hand-made edge cases; each
 * scheme is tested on the values it accepts.
 */
const EDGE = [
  '',
  ' ',
  '0',
  '00',
  '1',
  'v1',
  '1.0',
  '1.0.0',
  'v1.0.0',
  '1.0.0-0',
  '1.0~~',
  '1.0~',
  '1.0^',
  '1.0^~',
  '~',
  '^',
  '1..0',
  '1.0.',
  '.1',
  '1-',
  '1:',
  ':1',
  '1:1.0-1',
  '1.0-r1',
  '1.0_alpha1',
  '1.0a',
  '1.0A',
  '1.0-SNAPSHOT',
  '1.0.0.Final',
  '1.0sp1',
  '2.0.0b1',
  '1.0.0.dev1',
  '1.0+local.1',
  '1!2.0',
  '99999999999999999999999999999',
  '1.99999999999999999999999999999',
  '18446744073709551616.0.0',
  '9007199254740993.0.0',
  '1.0é',
  '１.０',
  'абв',
  '1.0\n',
  '\t1.0',
];

const pool = [
  ...new Set([...corpusFiles(new URL('./', import.meta.url)).flatMap((f) => readCorpus(f)), ...EDGE]),
];

function check(id: string, scheme: VersionScheme<unknown>): void {
  const accepted: string[] = [];
  for (const v of pool) {
    const r = scheme.parse(v);
    assert.equal(typeof r.ok, 'boolean', `${id}.parse(${JSON.stringify(v)}) returns a ParseResult`);
    if (r.ok) accepted.push(v);
  }
  assert.ok(accepted.length >= 50, `${id} accepts some of the pool (${accepted.length})`);
  const random = seeded(id.length * 7919);
  const sample = Array.from(new Set(Array.from({ length: 400 }, () => pickOne(accepted, random))));
  const values = sample.map((v) => {
    const r = scheme.parse(v);
    assert.ok(r.ok);
    return r.value;
  });
  const cmp = (i: number, j: number): Order => scheme.compare(values[i], values[j]);
  const name = (i: number) => JSON.stringify(sample[i]);
  for (let i = 0; i < values.length; i++) {
    const again = scheme.parse(sample[i]!);
    assert.ok(again.ok);
    assert.equal(scheme.compare(values[i], again.value), 0, `${id}: compare(x, x) == 0 for ${name(i)}`);
    for (let j = i + 1; j < values.length; j++) {
      const ij = cmp(i, j);
      assert.ok(ij === -1 || ij === 0 || ij === 1, `${id}: compare returns -1, 0 or 1`);
      assert.equal(cmp(j, i), ij === 0 ? 0 : -ij, `${id}: antisymmetry ${name(i)} vs ${name(j)}`);
    }
  }
  // Transitivity on random triples, and on every pair of a sorted list (a stronger check).
  for (let n = 0; n < 20000; n++) {
    const [a, b, c] = [0, 0, 0].map(() => Math.floor(random() * values.length)) as [number, number, number];
    const ab = cmp(a, b);
    const bc = cmp(b, c);
    const ac = cmp(a, c);
    const msg = `${id}: transitivity ${name(a)}, ${name(b)}, ${name(c)}`;
    if (ab <= 0 && bc <= 0) assert.ok(ac <= 0, msg);
    if (ab >= 0 && bc >= 0) assert.ok(ac >= 0, msg);
    if (ab === 0 && bc === 0) assert.equal(ac, 0, msg);
  }
  const order = values.map((_, i) => i).sort(cmp);
  for (let x = 0; x < order.length; x++) {
    for (let y = x + 1; y < order.length; y++) {
      assert.ok(
        cmp(order[x]!, order[y]!) <= 0,
        `${id}: sorted order is consistent at ${name(order[x]!)}, ${name(order[y]!)}`,
      );
    }
  }
}

for (const id of schemeIds) {
  test(`contract: ${id} is a total order on what it accepts`, () => check(id, schemes[id]));
}
