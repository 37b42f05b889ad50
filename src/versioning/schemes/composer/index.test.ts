import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
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

/** Real versions grouped by package (testdata/versions.txt) plus adversarial strings (one group). */
function loadCorpus(): string[][] {
  // One version per line; a "# group: NAME" line starts the versions of one package.
  const groups: string[][] = [];
  for (const line of readFileSync(testdata('versions.txt'), 'utf8').split('\n')) {
    if (line.startsWith('# group: ')) groups.push([]);
    else if (line !== '' && !line.startsWith('#')) groups.at(-1)?.push(line);
  }
  const adversarial: unknown = JSON.parse(readFileSync(testdata('adversarial.json'), 'utf8'));
  assert.ok(Array.isArray(adversarial));
  return [...groups, adversarial.map(String)];
}

/** A small seeded generator (mulberry32) so every run draws the same random pairs. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const groups = loadCorpus();
const versions = [...new Set(groups.flat())];
const index = new Map(versions.map((v, i) => [v, i]));
const pairs: [number, number][] = [];
for (const group of groups) {
  const ids = [...new Set(group)].map((v) => index.get(v)!);
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++) pairs.push([ids[i]!, ids[j]!]);
}
const draw = random(5);
const pick = (): number => Math.floor(draw() * versions.length);
for (let k = 0; k < 5000; k++) pairs.push([pick(), pick()]);
const parsed = versions.map((v) => composer.parse(v));

describe('composer properties over the corpus', () => {
  const valid = parsed.flatMap((r) => (r.ok ? [r.value] : []));

  it('compares every version equal to itself and antisymmetrically', () => {
    for (const v of valid) assert.equal(composer.compare(v, v), 0);
    for (const [i, j] of pairs) {
      const a = parsed[i]!;
      const b = parsed[j]!;
      if (a.ok && b.ok)
        assert.equal(composer.compare(a.value, b.value), -composer.compare(b.value, a.value) || 0);
    }
  });

  it('is transitive over random triples', () => {
    const next = random(7);
    const any = () => valid[Math.floor(next() * valid.length)]!;
    for (let k = 0; k < 20000; k++) {
      const [a, b, c] = [any(), any(), any()];
      const ab = composer.compare(a, b);
      const bc = composer.compare(b, c);
      if (ab <= 0 && bc <= 0) assert.ok(composer.compare(a, c) <= 0);
      if (ab === 0 && bc === 0) assert.equal(composer.compare(a, c), 0);
    }
  });
});
