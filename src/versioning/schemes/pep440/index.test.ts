import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadGroupedCorpus } from '../../testing/corpus.js';
import { describeIndexedDifferential } from '../../testing/differential.js';
import { describeOrderProperties } from '../../testing/properties.js';
import { spawnReference } from '../../testing/reference.js';
import { pep440 } from './index.js';

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

// Real versions grouped by package (testdata/versions.txt) plus adversarial strings (one group).
const corpus = loadGroupedCorpus(new URL('./testdata/', import.meta.url), { seed: 440 });

describeOrderProperties(pep440, corpus);

// Debian's interpreter carries python3-packaging; another python3 on PATH may carry a different packaging.
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
describeIndexedDifferential(
  'pep440 differential against python3-packaging',
  pep440,
  corpus,
  spawnReference(
    python,
    [fileURLToPath(new URL('./testdata/reference.py', import.meta.url))],
    'python3-packaging',
  ),
);
