import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadGroupedCorpus } from '../../testing/corpus.js';
import { describeIndexedDifferential } from '../../testing/differential.js';
import { describeOrderProperties } from '../../testing/properties.js';
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

// Real versions grouped by package (testdata/versions.txt) plus adversarial strings (one group).
const corpus = loadGroupedCorpus(new URL('./testdata/', import.meta.url), { seed: 3 });

describeOrderProperties(maven, corpus);

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

describeIndexedDifferential('maven differential against ComparableVersion', maven, corpus, runReference);
