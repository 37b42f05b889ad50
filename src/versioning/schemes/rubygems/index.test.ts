import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadGroupedCorpus } from '../../testing/corpus.js';
import { describeIndexedDifferential } from '../../testing/differential.js';
import { describeOrderProperties } from '../../testing/properties.js';
import { spawnReference } from '../../testing/reference.js';
import { rubygems } from './index.js';

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

// Real versions grouped by package (testdata/versions.txt) plus adversarial strings (one group).
const corpus = loadGroupedCorpus(new URL('./testdata/', import.meta.url), { seed: 29 });

describeOrderProperties(rubygems, corpus);

describeIndexedDifferential(
  'rubygems differential against Gem::Version',
  rubygems,
  corpus,
  spawnReference('ruby', [fileURLToPath(new URL('./testdata/reference.rb', import.meta.url))], 'ruby'),
);
