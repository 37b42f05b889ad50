import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadGroupedCorpus } from '../../testing/corpus.js';
import { describeOrderProperties } from '../../testing/properties.js';
import { composer } from './index.js';
import { normalizeComposer } from './normalize.js';

// No PHP runs here: these tables are facts from composer/semver's own tests
// (tests/VersionParserTest.php, ComparatorTest.php, SemverTest.php) and PHP's version_compare.
const testdata = (name: string): string => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));

function cmp(a: string, b: string): -1 | 0 | 1 {
  const x = composer.parse(a);
  const y = composer.parse(b);
  if (!x.ok || !y.ok) throw new Error(`unparsable: ${a} / ${b}`);
  return composer.compare(x.value, y.value);
}

describe('composer normalisation (VersionParserTest)', () => {
  it('normalises like VersionParser::normalize', () => {
    const cases: [string, string][] = JSON.parse(readFileSync(testdata('normalize.json'), 'utf8'));
    for (const [input, expected] of cases) {
      assert.deepEqual(normalizeComposer(input), { ok: true, normalized: expected }, JSON.stringify(input));
    }
  });

  it('fails where VersionParser::normalize throws, and on dev-* branches', () => {
    const invalid = [
      '',
      'a',
      '1.0.0-meh',
      '1.0.0.0.0',
      'feature-foo',
      '1.0.0+foo bar',
      '1.0.1-SNAPSHOT',
      '1.0.0<1.0.5-dev',
      '1.0.0-dev<1.0.5-dev',
      'foo bar-dev',
      '1.0 .2',
      ' as ',
      ' as 1.2',
      '^',
      '^8 || ^',
      '~',
      '~1 ~',
      '~1',
      '^1',
      '1.*',
      '20100102.0.3.4',
    ];
    for (const input of invalid) assert.equal(normalizeComposer(input).ok, false, JSON.stringify(input));
    for (const input of [
      ...invalid,
      'dev-master',
      'master',
      'DEV-FOOBAR',
      'dev-feature/foo',
      'dev-master as 1.0.0',
    ]) {
      const result = composer.parse(input);
      assert.equal(result.ok, false, JSON.stringify(input));
      if (!result.ok) assert.match(result.reason, /composer|dev-/);
    }
  });
});

describe('composer order (ComparatorTest, SemverTest, version_compare)', () => {
  it('agrees with Comparator::compare on normalised versions', () => {
    assert.equal(cmp('1.25.0', '1.24.0'), 1);
    assert.equal(cmp('1.25.0', '1.25.0'), 0);
    assert.equal(cmp('1.25.0-beta2.1', '1.25.0-b.3'), -1);
    assert.equal(cmp('1.25.0-b2.1', '1.25.0beta.3'), -1);
    assert.equal(cmp('1.25.0-b-2.1', '1.25.0-rc'), -1);
    assert.equal(cmp('1.25.0-beta2.1', '1.25.0-b.2.1'), 0);
    assert.equal(cmp('1.25.0beta2.1', '1.25.0-b2.1'), 0);
    assert.equal(cmp('1.0.0', '1.2-dev'), -1);
    assert.equal(cmp('v1.0.0', '1.0'), 0);
    assert.equal(cmp('1.0.0+build.5', '1.0.0'), 0);
  });

  it('sorts like Semver::sort', () => {
    const input = ['1.0', '0.1', '0.1', '3.2.1', '2.4.0-alpha', '2.4.0'];
    const sorted = [...input].sort((a, b) => cmp(a, b));
    assert.deepEqual(sorted, ['0.1', '0.1', '1.0', '2.4.0-alpha', '2.4.0', '3.2.1']);
  });

  it('ranks stabilities dev < alpha < beta < RC < release < patch < next number', () => {
    const ascending = [
      '1.0.0-STABLE',
      '1.0.0-dev',
      '1.0.0-alpha1',
      '1.0.0-beta',
      '1.0.0-b2',
      '1.0.0-RC1',
      '1.0.0',
      '1.0.0-p1',
      '1.0.0-patch2',
      '1.0.0.1',
      '1.x-dev',
      '1.9007199254740992.0',
      '1.9007199254740993.0',
      '1.9223372036854775806',
      '2010-01-02',
      '2010.01.02',
    ];
    for (let i = 1; i < ascending.length; i++) {
      assert.equal(cmp(ascending[i - 1]!, ascending[i]!), -1, `${ascending[i - 1]} < ${ascending[i]}`);
      assert.equal(cmp(ascending[i]!, ascending[i - 1]!), 1, `${ascending[i]} > ${ascending[i - 1]}`);
    }
  });

  it('saturates numbers at 2^63-1 as strtol() does', () => {
    assert.equal(cmp('1.9223372036854775807', '1.99999999999999999999'), 0);
    assert.equal(cmp('1.9223372036854775807', '1.9223372036854775808'), 0);
  });
});

// Real versions grouped by package (testdata/versions.txt) plus adversarial strings (one group).
describeOrderProperties(composer, loadGroupedCorpus(new URL('./testdata/', import.meta.url), { seed: 5 }));
