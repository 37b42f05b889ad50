import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { maven } from './index.js';

const testdata = (name: string): string => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));

function cmp(a: string, b: string): -1 | 0 | 1 {
  const x = maven.parse(a);
  const y = maven.parse(b);
  if (!x.ok || !y.ok) throw new Error(`unparsable: ${a} / ${b}`);
  return maven.compare(x.value, y.value);
}

describe('maven tables', () => {
  it('treats padding, aliases and shorthands as equal', () => {
    const equal: [string, string][] = [
      ['1', '1.0.0'],
      ['1.0', '1-0'],
      ['1.0-SNAPSHOT', '1.0-snapshot'],
      ['1-ga', '1'],
      ['1.0.Final', '1'],
      ['1.0-final', '1.0.0'],
      ['1.0.RELEASE', '1'],
      ['1-cr1', '1-rc1'],
      ['1a1', '1-alpha-1'],
      ['1.0b2', '1.0-beta-2'],
      ['1.0M3', '1.0-milestone-3'],
      ['01.002', '1.2'],
    ];
    for (const [a, b] of equal) assert.equal(cmp(a, b), 0, `${a} == ${b}`);
  });

  it('orders qualifiers, sub-lists and big numbers like ComparableVersion', () => {
    const ascending = [
      '1-alpha1',
      '1-alpha2',
      '1-beta1',
      '1-milestone1',
      '1-rc1',
      '1-SNAPSHOT',
      '1',
      '1-sp',
      '1-sp1',
      '1-abc',
      '1-xyz',
      '1-1',
      '1-1.1',
      '1.0.1',
      '1.1-SNAPSHOT',
      '1.1',
      '2.0-android',
      '2.0-jre',
      '9223372036854775807',
      '9223372036854775808',
      '99999999999999999999998',
      '99999999999999999999999',
    ];
    for (let i = 1; i < ascending.length; i++) {
      assert.equal(cmp(ascending[i - 1]!, ascending[i]!), -1, `${ascending[i - 1]} < ${ascending[i]}`);
      assert.equal(cmp(ascending[i]!, ascending[i - 1]!), 1, `${ascending[i]} > ${ascending[i - 1]}`);
    }
  });

  it('accepts every string, as ComparableVersion does', () => {
    for (const odd of ['', ' ', '-', '...', 'latest', '\u0663']) assert.equal(maven.parse(odd).ok, true);
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
const draw = random(3);
const pick = (): number => Math.floor(draw() * versions.length);
for (let k = 0; k < 5000; k++) pairs.push([pick(), pick()]);
const parsed = versions.map((v) => maven.parse(v));

describe('maven properties over the corpus', () => {
  const valid = parsed.flatMap((r) => (r.ok ? [r.value] : []));

  it('compares every version equal to itself and antisymmetrically', () => {
    for (const v of valid) assert.equal(maven.compare(v, v), 0);
    for (const [i, j] of pairs) {
      const a = parsed[i]!;
      const b = parsed[j]!;
      if (a.ok && b.ok) assert.equal(maven.compare(a.value, b.value), -maven.compare(b.value, a.value) || 0);
    }
  });

  it('is transitive over random triples', () => {
    const next = random(7);
    const any = () => valid[Math.floor(next() * valid.length)]!;
    for (let k = 0; k < 20000; k++) {
      const [a, b, c] = [any(), any(), any()];
      const ab = maven.compare(a, b);
      const bc = maven.compare(b, c);
      if (ab <= 0 && bc <= 0) assert.ok(maven.compare(a, c) <= 0);
      if (ab === 0 && bc === 0) assert.equal(maven.compare(a, c), 0);
    }
  });
});

/** The maven-artifact jar of the installed Maven (Debian: maven, with default-jdk-headless for javac). */
function findArtifactJar(): string | undefined {
  for (const dir of ['/usr/share/maven/lib', '/usr/share/java']) {
    if (!existsSync(dir)) continue;
    const jar = readdirSync(dir).find((f) => /^maven3?-artifact(-[0-9.x]+)?\.jar$/.test(f));
    if (jar) return join(dir, jar);
  }
  return undefined;
}

/** Compiles testdata/Reference.java against the jar into a temporary folder and runs it once. */
function runReference(input: string): string {
  const jar = findArtifactJar();
  const hint = 'install the Debian packages maven and default-jdk-headless';
  if (!jar) assert.fail(`no maven-artifact jar under /usr/share/maven/lib or /usr/share/java (${hint})`);
  const out = mkdtempSync(join(tmpdir(), 'assay-maven-'));
  try {
    const javac = spawnSync('javac', ['-cp', jar, '-d', out, testdata('Reference.java')]);
    if (javac.error || javac.status !== 0)
      assert.fail(`javac failed (${hint}): ${javac.error?.message ?? javac.stderr}`);
    const run = spawnSync('java', ['-cp', `${out}:${jar}`, 'Reference'], { input, maxBuffer: 1 << 26 });
    if (run.error || run.status !== 0)
      assert.fail(`java failed (${hint}): ${run.error?.message ?? run.stderr}`);
    return run.stdout.toString();
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('maven differential against ComparableVersion', () => {
  it(`agrees on ${versions.length} versions and ${pairs.length} pairs`, () => {
    const input = [String(versions.length), ...versions.map((v) => Buffer.from(v).toString('hex'))];
    for (const [i, j] of pairs) input.push(`${i} ${j}`);
    const [tool = '', ...lines] = runReference(input.join('\n')).trim().split('\n');
    const problems: string[] = [];
    versions.forEach((v, i) => {
      const theirs = lines[i] === 'ok';
      if (parsed[i]!.ok !== theirs)
        problems.push(`${JSON.stringify(v)}: ${tool} valid=${theirs}, ours=${parsed[i]!.ok}`);
    });
    pairs.forEach(([i, j], k) => {
      const a = parsed[i]!;
      const b = parsed[j]!;
      if (!a.ok || !b.ok) return;
      const ours = maven.compare(a.value, b.value);
      const theirs = lines[versions.length + k];
      if (String(ours) !== theirs)
        problems.push(`${versions[i]} vs ${versions[j]}: ${tool} ${theirs}, ours ${ours}`);
    });
    assert.deepEqual(problems.slice(0, 15), [], `${problems.length} disagreements with ${tool}`);
  });
});
