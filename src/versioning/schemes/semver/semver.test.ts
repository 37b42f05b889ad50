import assert from 'node:assert/strict';
import { test } from 'node:test';
import { semver } from './index.js';

function cmp(a: string, b: string): number {
  const x = semver.parse(a);
  const y = semver.parse(b);
  assert.ok(x.ok && y.ok, `both parse: ${a} / ${b}`);
  return semver.compare(x.value, y.value);
}

test('semver follows the precedence examples of semver 2.0.0 §11', () => {
  const ascending = [
    '1.0.0-alpha',
    '1.0.0-alpha.1',
    '1.0.0-alpha.beta',
    '1.0.0-beta',
    '1.0.0-beta.2',
    '1.0.0-beta.11',
    '1.0.0-rc.1',
    '1.0.0',
    '2.0.0',
    '2.1.0',
    '2.1.1',
  ];
  ascending.forEach((a, i) => {
    ascending.forEach((b, j) => {
      assert.equal(cmp(a, b), Math.sign(i - j) || 0, `${a} vs ${b}`);
    });
  });
});

const ORDER: Array<[string, '<' | '=' | '>', string]> = [
  ['1.0.0+build.1', '=', '1.0.0+build.2'],
  ['1.0.0+build', '=', '1.0.0'],
  ['v1.2.3', '=', '1.2.3'],
  [' 1.2.3\n', '=', '1.2.3'],
  ['1.0.0-2', '<', '1.0.0-10'],
  ['1.0.0-10', '<', '1.0.0-1a'],
  ['1.0.0-Z', '<', '1.0.0-a'],
  ['1.0.0--', '<', '1.0.0-0a'],
  ['1.0.0-9007199254740993', '>', '1.0.0-9007199254740992'],
  ['9007199254740991.0.0', '>', '9007199254740990.0.0'],
];

test('semver orders build metadata, trimmed input and numeric identifiers', () => {
  for (const [a, op, b] of ORDER) {
    const want = op === '<' ? -1 : op === '=' ? 0 : 1;
    assert.equal(cmp(a, b), want, `${a} ${op} ${b}`);
  }
});

test('semver accepts what semver.valid() accepts', () => {
  const valid = [
    '1.2.3',
    'v1.2.3',
    ' v1.2.3 ',
    '1.2.3--',
    '1.2.3+01',
    '1.2.3-0',
    '0.0.0',
    '9007199254740991.0.0',
  ];
  const invalid = [
    '',
    '=1.2.3',
    'V1.2.3',
    'vv1.2.3',
    'v 1.2.3',
    '1.2',
    '1.2.3.4',
    '01.2.3',
    '1.2.3-01',
    '1.2.3-',
    '1.2.3+',
    '1.2.3-a..b',
    '1.2.3-a+b+c',
    '1.2.3-é',
    '9007199254740992.0.0',
    `1.2.3-${'a'.repeat(300)}`,
  ];
  for (const v of valid) assert.ok(semver.parse(v).ok, JSON.stringify(v));
  for (const v of invalid) assert.equal(semver.parse(v).ok, false, JSON.stringify(v));
});
