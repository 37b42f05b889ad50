import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { rubygems } from './index.js';

const testdata = (name: string): string => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));

function cmp(a: string, b: string): -1 | 0 | 1 {
  const x = rubygems.parse(a);
  const y = rubygems.parse(b);
  if (!x.ok || !y.ok) throw new Error(`unparsable: ${a} / ${b}`);
  return rubygems.compare(x.value, y.value);
}

describe('rubygems tables', () => {
  it('treats padding, leading zeros and blank input as Gem::Version does', () => {
    const equal: [string, string][] = [
      ['1', '1.0.0'],
      ['1.01', '1.1'],
      ['', '0'],
      [' 1.0\n', '1'],
      ['1.0.a', '1.a'],
      ['1.0.0.a', '1.a'],
      ['1.0.a.0', '1.0.a'],
      ['1.0-1', '1.0.pre.1'],
      ['1.0-rc1', '1.0.pre.rc1'],
    ];
    for (const [a, b] of equal) assert.equal(cmp(a, b), 0, `${a} == ${b}`);
  });

  it('sorts prereleases (any letter) before the release, letters bytewise', () => {
    const ascending = [
      '1.0.A',
      '1.0.a',
      '1.0.a.1',
      '1.0.alpha',
      '1.0.b',
      '1.0.pre',
      '1.0-1',
      '1.0.rc1',
      '1.0.rc2',
      '1.0.rc10',
      '1.0',
      '1.0.0.1',
      '1.1',
      '9007199254740992',
      '9007199254740993',
      '99999999999999999999999',
    ];
    for (let i = 1; i < ascending.length; i++) {
      assert.equal(cmp(ascending[i - 1]!, ascending[i]!), -1, `${ascending[i - 1]} < ${ascending[i]}`);
      assert.equal(cmp(ascending[i]!, ascending[i - 1]!), 1, `${ascending[i]} > ${ascending[i - 1]}`);
    }
  });

  it('rejects malformed version strings, with a reason', () => {
    for (const bad of ['a', '1.0-', '1..0', '.1', '1.0+build', 'v1.0', '1.0 beta', '-1', '1,0', '1.0\n2.0']) {
      const result = rubygems.parse(bad);
      assert.equal(result.ok, false, JSON.stringify(bad));
      if (!result.ok) assert.match(result.reason, /Malformed/);
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
const draw = random(29);
const pick = (): number => Math.floor(draw() * versions.length);
for (let k = 0; k < 5000; k++) pairs.push([pick(), pick()]);
const parsed = versions.map((v) => rubygems.parse(v));

describe('rubygems properties over the corpus', () => {
  const valid = parsed.flatMap((r) => (r.ok ? [r.value] : []));

  it('compares every version equal to itself and antisymmetrically', () => {
    for (const v of valid) assert.equal(rubygems.compare(v, v), 0);
    for (const [i, j] of pairs) {
      const a = parsed[i]!;
      const b = parsed[j]!;
      if (a.ok && b.ok)
        assert.equal(rubygems.compare(a.value, b.value), -rubygems.compare(b.value, a.value) || 0);
    }
  });

  it('is transitive over random triples', () => {
    const next = random(7);
    const any = () => valid[Math.floor(next() * valid.length)]!;
    for (let k = 0; k < 20000; k++) {
      const [a, b, c] = [any(), any(), any()];
      const ab = rubygems.compare(a, b);
      const bc = rubygems.compare(b, c);
      if (ab <= 0 && bc <= 0) assert.ok(rubygems.compare(a, c) <= 0);
      if (ab === 0 && bc === 0) assert.equal(rubygems.compare(a, c), 0);
    }
  });
});

describe('rubygems differential against Gem::Version', () => {
  it(`agrees on ${versions.length} versions and ${pairs.length} pairs`, () => {
    const input = [String(versions.length), ...versions.map((v) => Buffer.from(v).toString('hex'))];
    for (const [i, j] of pairs) input.push(`${i} ${j}`);
    const run = spawnSync('ruby', [testdata('reference.rb')], {
      input: input.join('\n'),
      maxBuffer: 1 << 26,
    });
    if (run.error || run.status !== 0) {
      assert.fail(
        `the reference tool did not run (install the Debian package ruby): ${run.error?.message ?? run.stderr}`,
      );
    }
    const [tool = '', ...lines] = run.stdout.toString().trim().split('\n');
    const problems: string[] = [];
    versions.forEach((v, i) => {
      const theirs = lines[i] === 'ok';
      if (parsed[i]!.ok !== theirs)
        problems.push(`${JSON.stringify(v)}: ${tool} valid=${theirs}, ours=${parsed[i]!.ok}`);
    });
    pairs.forEach(([i, j], k) => {
      const a = parsed[i]!;
      const b = parsed[j]!;
      const theirs = lines[versions.length + k];
      if (!a.ok || !b.ok || theirs === 'x') return;
      const ours = rubygems.compare(a.value, b.value);
      if (String(ours) !== theirs)
        problems.push(`${versions[i]} vs ${versions[j]}: ${tool} ${theirs}, ours ${ours}`);
    });
    assert.deepEqual(problems.slice(0, 15), [], `${problems.length} disagreements with ${tool}`);
  });
});
