import assert from 'node:assert/strict';
import { test } from 'node:test';
import npmSemver from 'semver';
import { leadingParts, makePairs, readCorpus } from '../../testing/corpus.js';
import { assertAgreement } from '../../testing/differential.js';
import { go } from './index.js';

function cmp(a: string, b: string): number {
  const x = go.parse(a);
  const y = go.parse(b);
  assert.ok(x.ok && y.ok, `both parse: ${a} / ${b}`);
  return go.compare(x.value, y.value);
}

// golang.org/x/mod/semver semver_test.go `tests`: inputs in increasing order with their
// canonical form ('' = invalid). Equal canonical forms compare equal.
const X_MOD: Array<[string, string]> = [
  ['bad', ''],
  ['v1-alpha.beta.gamma', ''],
  ['v1-pre', ''],
  ['v1+meta', ''],
  ['v1-pre+meta', ''],
  ['v1.2-pre', ''],
  ['v1.2+meta', ''],
  ['v1.2-pre+meta', ''],
  ['v1.0.0-alpha', 'v1.0.0-alpha'],
  ['v1.0.0-alpha.1', 'v1.0.0-alpha.1'],
  ['v1.0.0-alpha.beta', 'v1.0.0-alpha.beta'],
  ['v1.0.0-beta', 'v1.0.0-beta'],
  ['v1.0.0-beta.2', 'v1.0.0-beta.2'],
  ['v1.0.0-beta.11', 'v1.0.0-beta.11'],
  ['v1.0.0-rc.1', 'v1.0.0-rc.1'],
  ['v1', 'v1.0.0'],
  ['v1.0', 'v1.0.0'],
  ['v1.0.0', 'v1.0.0'],
  ['v1.2', 'v1.2.0'],
  ['v1.2.0', 'v1.2.0'],
  ['v1.2.3-456', 'v1.2.3-456'],
  ['v1.2.3-456.789', 'v1.2.3-456.789'],
  ['v1.2.3-456-789', 'v1.2.3-456-789'],
  ['v1.2.3-456a', 'v1.2.3-456a'],
  ['v1.2.3-pre', 'v1.2.3-pre'],
  ['v1.2.3-pre+meta', 'v1.2.3-pre'],
  ['v1.2.3-pre.1', 'v1.2.3-pre.1'],
  ['v1.2.3-zzz', 'v1.2.3-zzz'],
  ['v1.2.3', 'v1.2.3'],
  ['v1.2.3+meta', 'v1.2.3'],
  ['v1.2.3+meta-pre', 'v1.2.3'],
  ['v1.2.3+meta-pre.sha.256a', 'v1.2.3'],
];

test('go validates and orders the x/mod/semver test table', () => {
  const valid = X_MOD.filter(([, canon]) => canon !== '');
  for (const [input, canon] of X_MOD) assert.equal(go.parse(input).ok, canon !== '', input);
  valid.forEach(([a, ca], i) => {
    valid.forEach(([b, cb], j) => {
      const want = ca === cb ? 0 : i < j ? -1 : 1;
      assert.equal(cmp(a, b), want, `${a} vs ${b}`);
    });
  });
});

// Numbers compare numerically (x/mod's compareInt: length, then digits), and OSV's v-less
// versions, +incompatible and pseudo-versions (https://go.dev/ref/mod#pseudo-versions) order
// as Go does.
const ORDER: Array<[string, '<' | '=' | '>', string]> = [
  ['v1.19', '>', 'v1.2'],
  ['v2', '>', 'v1'],
  ['1.2.3', '=', 'v1.2.3'],
  ['v2.0.0+incompatible', '=', 'v2.0.0'],
  ['v2.0.1+incompatible', '>', 'v2.0.0+incompatible'],
  ['v0.0.0-20191109021931-daa7c04131f5', '<', 'v0.0.0'],
  ['v0.0.0-20191109021931-daa7c04131f5', '<', 'v0.0.0-20200101000000-000000000000'],
  ['v1.2.4-0.20191109021931-daa7c04131f5', '>', 'v1.2.3'],
  ['v1.2.4-0.20191109021931-daa7c04131f5', '<', 'v1.2.4'],
  ['v1.2.3-pre.0.20191109021931-daa7c04131f5', '>', 'v1.2.3-pre'],
  ['v1.2.3-pre.0.20191109021931-daa7c04131f5', '<', 'v1.2.3'],
  ['v100000000000000000000.0.0', '>', 'v99999999999999999999.0.0'],
];

test('go orders pseudo-versions, +incompatible and big numbers', () => {
  for (const [a, op, b] of ORDER) {
    const want = op === '<' ? -1 : op === '=' ? 0 : 1;
    assert.equal(cmp(a, b), want, `${a} ${op} ${b}`);
  }
  for (const bad of ['', 'v', 'v01.0.0', 'v1.0.0-01', 'V1.0.0', ' v1.0.0', 'vv1.0.0', '(devel)']) {
    assert.equal(go.parse(bad).ok, false, JSON.stringify(bad));
  }
});

test('go agrees with node-semver on the Go vulnerability database versions (same semver 2.0 order)', () => {
  const corpus = readCorpus(new URL('./testdata/versions.txt', import.meta.url));
  assert.deepEqual(
    corpus.filter((v) => !go.parse(v).ok),
    [],
  );
  // "0" (OSV's introduced: "0") is Go's v0 shorthand, which node-semver does not accept.
  const full = corpus.filter((v) => npmSemver.valid(v) !== null);
  assert.ok(full.length > corpus.length - 5);
  const pairs = makePairs(full, { key: leadingParts, perGroup: 30, random: 3000, seed: 4 });
  const reference = pairs.map(([a, b]) => npmSemver.compare(a, b));
  assertAgreement(pairs, reference, cmp, { scheme: 'go', checked: 'pairs cross-checked with node-semver' });
});
