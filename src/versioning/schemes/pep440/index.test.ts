import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { pep440 } from './index.js';

const testdata = (name: string): string => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));

function cmp(a: string, b: string): -1 | 0 | 1 {
  const x = pep440.parse(a);
  const y = pep440.parse(b);
  if (!x.ok || !y.ok) throw new Error(`unparsable: ${a} / ${b}`);
  return pep440.compare(x.value, y.value);
}

describe('pep440 tables', () => {
  it('treats spellings PEP 440 normalises as equal', () => {
    const equal: [string, string][] = [
      ['1.0', '1.0.0'],
      ['1', '1.0.0.0'],
      ['01.02', '1.2'],
      ['v1.0', '1.0'],
      [' 1.0\n', '1.0'],
      ['0!1.0', '1.0'],
      ['1.0c1', '1.0rc1'],
      ['1.0preview1', '1.0RC1'],
      ['1.0pre1', '1.0rc1'],
      ['1.0alpha1', '1.0a1'],
      ['1.0.beta-2', '1.0b2'],
      ['1.0-a_1', '1.0a1'],
      ['1.0a', '1.0a0'],
      ['1.0-1', '1.0.post1'],
      ['1.0r1', '1.0.post1'],
      ['1.0-rev1', '1.0.post1'],
      ['1.0.post', '1.0.post0'],
      ['1.0-dev', '1.0.dev0'],
      ['1.0+LOCAL', '1.0+local'],
      ['1.0+1.a', '1.0+1_a'],
      ['1.0+01', '1.0+1'],
    ];
    for (const [a, b] of equal) assert.equal(cmp(a, b), 0, `${a} == ${b}`);
  });

  it('orders dev, pre, release, local and post releases as PEP 440 says', () => {
    const ascending = [
      '1.0.dev0',
      '1.0a0.dev0',
      '1.0a0',
      '1.0a1',
      '1.0a1.post1.dev0',
      '1.0a1.post1',
      '1.0b1',
      '1.0rc1',
      '1.0',
      '1.0+abc',
      '1.0+abc.5',
      '1.0+5',
      '1.0+5.abc',
      '1.0.post0.dev0',
      '1.0.post0',
      '1.0.post1',
      '1.0.1',
      '1.1.dev0',
      '1.1',
      '9007199254740992',
      '9007199254740993',
      '99999999999999999999999.1',
      '1!0.1',
    ];
    for (let i = 1; i < ascending.length; i++) {
      assert.equal(cmp(ascending[i - 1]!, ascending[i]!), -1, `${ascending[i - 1]} < ${ascending[i]}`);
      assert.equal(cmp(ascending[i]!, ascending[i - 1]!), 1, `${ascending[i]} > ${ascending[i - 1]}`);
    }
  });

  it('rejects what packaging rejects, with a reason', () => {
    for (const bad of [
      '',
      ' ',
      '1.0+',
      '1.0-',
      '1..0',
      '1!',
      'a1.0',
      '1.0 a',
      '\ufeff1.0',
      '\uff11.0',
      '1.0.0-SNAPSHOT',
    ]) {
      const result = pep440.parse(bad);
      assert.equal(result.ok, false, JSON.stringify(bad));
      if (!result.ok) assert.match(result.reason, /PEP 440/);
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
const draw = random(440);
const pick = (): number => Math.floor(draw() * versions.length);
for (let k = 0; k < 5000; k++) pairs.push([pick(), pick()]);
const parsed = versions.map((v) => pep440.parse(v));

describe('pep440 properties over the corpus', () => {
  const valid = parsed.flatMap((r) => (r.ok ? [r.value] : []));

  it('compares every version equal to itself and antisymmetrically', () => {
    for (const v of valid) assert.equal(pep440.compare(v, v), 0);
    for (const [i, j] of pairs) {
      const a = parsed[i]!;
      const b = parsed[j]!;
      if (a.ok && b.ok)
        assert.equal(pep440.compare(a.value, b.value), -pep440.compare(b.value, a.value) || 0);
    }
  });

  it('is transitive over random triples', () => {
    const next = random(7);
    const any = () => valid[Math.floor(next() * valid.length)]!;
    for (let k = 0; k < 20000; k++) {
      const [a, b, c] = [any(), any(), any()];
      const ab = pep440.compare(a, b);
      const bc = pep440.compare(b, c);
      if (ab <= 0 && bc <= 0) assert.ok(pep440.compare(a, c) <= 0);
      if (ab === 0 && bc === 0) assert.equal(pep440.compare(a, c), 0);
    }
  });
});

describe('pep440 differential against python3-packaging', () => {
  it(`agrees on ${versions.length} versions and ${pairs.length} pairs`, () => {
    // Debian's interpreter carries python3-packaging; another python3 on PATH may carry a different packaging.
    const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
    const input = [String(versions.length), ...versions.map((v) => Buffer.from(v).toString('hex'))];
    for (const [i, j] of pairs) input.push(`${i} ${j}`);
    const run = spawnSync(python, [testdata('reference.py')], {
      input: input.join('\n'),
      maxBuffer: 1 << 26,
    });
    if (run.error || run.status !== 0) {
      assert.fail(
        `the reference tool did not run (install the Debian package python3-packaging): ${run.error?.message ?? run.stderr}`,
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
      const theirs = lines[versions.length + k];
      const a = parsed[i]!;
      const b = parsed[j]!;
      if (!a.ok || !b.ok || theirs === 'x') return;
      const ours = pep440.compare(a.value, b.value);
      if (String(ours) !== theirs)
        problems.push(`${versions[i]} vs ${versions[j]}: ${tool} ${theirs}, ours ${ours}`);
    });
    assert.deepEqual(problems.slice(0, 15), [], `${problems.length} disagreements with ${tool}`);
  });
});
