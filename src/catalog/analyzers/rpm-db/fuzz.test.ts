/**
 * Mutation fuzzing of every format from real databases (seeded, so a failure reproduces): random
 * byte changes, truncations, zero-filled and copied ranges. Whatever the damage, parsing must
 * return (never throw), give only well-formed records, and stay fast.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseRpmDb, type RpmDbFormat } from './parse.js';
import { fixtures, packageHeader, prng } from './testkit.test.js';
import { buildBdb } from './testkit-bdb.test.js';
import { buildNdb } from './testkit-ndb.test.js';

type Mutation = (file: Buffer, random: () => number) => Buffer;

const int = (random: () => number, below: number) => Math.floor(random() * below);

const mutations: Record<string, Mutation> = {
  'changed bytes': (file, random) => {
    const out = Buffer.from(file);
    for (let n = 1 + int(random, 8); n > 0; n--) out[int(random, out.length)] = int(random, 256);
    return out;
  },
  truncated: (file, random) => file.subarray(0, int(random, file.length)),
  'zero-filled range': (file, random) => {
    const out = Buffer.from(file);
    const start = int(random, out.length);
    return out.fill(0, start, Math.min(out.length, start + 16 * (1 + int(random, 256))));
  },
  'copied range': (file, random) => {
    const out = Buffer.from(file);
    const length = 4 * (1 + int(random, 64));
    file.copy(out, int(random, out.length), int(random, file.length), length);
    return out;
  },
};

function generatedBdb(): Buffer {
  const values = Array.from({ length: 12 }, (_, i) => ({
    key: i + 1,
    value: packageHeader({ name: `p${i}`, version: '1', release: '1', license: 'x'.repeat(40 * i) }),
  }));
  return buildBdb(values, { pageSize: 512 }).file;
}

function generatedNdb(): Buffer {
  const blobs = Array.from({ length: 12 }, (_, i) => ({
    pkgIndex: i + 1,
    blob: packageHeader({ name: `p${i}`, version: '1', release: `${i}` }),
  }));
  return buildNdb(blobs).file;
}

const corpora: Array<[string, RpmDbFormat, () => Buffer, number]> = [
  ['real SQLite', 'sqlite', fixtures.sqlite, 60],
  ['real NDB', 'ndb', fixtures.ndb, 150],
  ['generated NDB', 'ndb', generatedNdb, 150],
  ['real BerkeleyDB', 'bdb', fixtures.bdb, 150],
  ['generated BerkeleyDB (512-byte pages, overflow chains)', 'bdb', generatedBdb, 150],
];

describe('fuzzed databases never throw', () => {
  for (const [label, format, load, rounds] of corpora) {
    for (const [name, mutate] of Object.entries(mutations)) {
      test(`${label}: ${name}`, () => {
        const original = load();
        const random = prng(label.length * 7919 + name.length);
        const started = performance.now();
        for (let round = 0; round < rounds; round++) {
          const file = mutate(original, random);
          const result = parseRpmDb(format, file);
          for (const r of result.records) {
            assert.ok(r.name && r.version && r.release, `round ${round}: record without NEVR`);
          }
          for (const p of result.problems) assert.ok(p.message.length > 0 && p.code.length > 0);
        }
        // Generous: each parse is well under a millisecond to a few; a loop would blow this.
        assert.ok(performance.now() - started < rounds * 50, 'parsing stays fast');
      });
    }
  }
});
