import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadGroupedCorpus } from '../../testing/corpus.js';
import { describeOrderProperties } from '../../testing/properties.js';
import { nuget } from './index.js';

// No NuGet tool runs here: these tables are the rules and examples of NuGet's documentation
// (https://learn.microsoft.com/en-us/nuget/concepts/package-versioning) and of NuGet.Versioning.
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

// Real versions grouped by package (testdata/versions.txt) plus adversarial strings (one group).
describeOrderProperties(nuget, loadGroupedCorpus(new URL('./testdata/', import.meta.url), { seed: 11 }));
