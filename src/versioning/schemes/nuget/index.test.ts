import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { nuget } from './index.js';

// No NuGet tool runs here: these tables are the rules and examples of NuGet's documentation
// (https://learn.microsoft.com/en-us/nuget/concepts/package-versioning) and of NuGet.Versioning.
const testdata = (name: string): string => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));

function cmp(a: string, b: string): -1 | 0 | 1 {
  const x = nuget.parse(a);
  const y = nuget.parse(b);
  if (!x.ok || !y.ok) throw new Error(`unparsable: ${a} / ${b}`);
  return nuget.compare(x.value, y.value);
}

function assertAscending(ascending: readonly string[]): void {
  for (let i = 1; i < ascending.length; i++) {
    assert.equal(cmp(ascending[i - 1]!, ascending[i]!), -1, `${ascending[i - 1]} < ${ascending[i]}`);
    assert.equal(cmp(ascending[i]!, ascending[i - 1]!), 1, `${ascending[i]} > ${ascending[i - 1]}`);
  }
}

describe('nuget tables', () => {
  it('normalises like "Normalized version numbers" in the docs', () => {
    const equal: [string, string][] = [
      ['1.00', '1.0'],
      ['1.01.1', '1.1.1'],
      ['1.00.0.1', '1.0.0.1'],
      ['1.0.0.0', '1.0.0'],
      ['1.0.01.0', '1.0.1'],
      ['1.0.7+r3456', '1.0.7'],
      ['1', '1.0.0'],
      ['1.0.0.0-beta', '1.0.0-beta'],
      ['1.0.0-BETA.1', '1.0.0-beta.1'],
      ['1.0.0+abc', '1.0.0+def'],
      [' 1.0.0\t', '1.0.0'],
    ];
    for (const [a, b] of equal) assert.equal(cmp(a, b), 0, `${a} == ${b}`);
  });

  it('orders prereleases as the docs example does', () => {
    assertAscending([
      '1.0.1-aaa',
      '1.0.1-alpha10',
      '1.0.1-alpha2',
      '1.0.1-beta',
      '1.0.1-open',
      '1.0.1-rc.2',
      '1.0.1-rc.10',
      '1.0.1-zzz',
      '1.0.1',
    ]);
  });

  it('orders numeric labels first, revisions last, and Int32-sized labels as numbers', () => {
    assertAscending([
      '1.0.0-2',
      '1.0.0-10',
      '1.0.0-2147483647',
      '1.0.0-10000000000',
      '1.0.0-2147483648',
      '1.0.0-a',
    ]);
    assertAscending([
      '1.0.0--1',
      '1.0.0-0',
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
    ]);
    assertAscending(['1.0.0-beta', '1.0.0', '1.0.0.1-beta', '1.0.0.1', '1.0.1', '2147483647.0']);
  });

  it('rejects what NuGet rejects, with a reason', () => {
    const bad = [
      '',
      ' ',
      '1.0.0.0.0',
      '1..0',
      '.1',
      '1.',
      'a',
      'v1.0',
      '1.0-',
      '1.0+',
      '1.0.0-01',
      '1.0.0-a..b',
      '1.0.0+a..b',
      '1.0.0-a+b+c',
      '1.0.0-a_b',
      '2147483648.0',
      '\ufeff1.0',
      '1.0 .0',
    ];
    for (const input of bad) {
      const result = nuget.parse(input);
      assert.equal(result.ok, false, JSON.stringify(input));
      if (!result.ok) assert.ok(result.reason.length > 0);
    }
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
const draw = random(11);
const pick = (): number => Math.floor(draw() * versions.length);
for (let k = 0; k < 5000; k++) pairs.push([pick(), pick()]);
const parsed = versions.map((v) => nuget.parse(v));

describe('nuget properties over the corpus', () => {
  const valid = parsed.flatMap((r) => (r.ok ? [r.value] : []));

  it('compares every version equal to itself and antisymmetrically', () => {
    for (const v of valid) assert.equal(nuget.compare(v, v), 0);
    for (const [i, j] of pairs) {
      const a = parsed[i]!;
      const b = parsed[j]!;
      if (a.ok && b.ok) assert.equal(nuget.compare(a.value, b.value), -nuget.compare(b.value, a.value) || 0);
    }
  });

  it('is transitive over random triples', () => {
    const next = random(7);
    const any = () => valid[Math.floor(next() * valid.length)]!;
    for (let k = 0; k < 20000; k++) {
      const [a, b, c] = [any(), any(), any()];
      const ab = nuget.compare(a, b);
      const bc = nuget.compare(b, c);
      if (ab <= 0 && bc <= 0) assert.ok(nuget.compare(a, c) <= 0);
      if (ab === 0 && bc === 0) assert.equal(nuget.compare(a, c), 0);
    }
  });
});
