import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CvssRecord } from '../vulndb/types.js';
import { chooseCvssV3, chooseCvssV4 } from './cvss-choice.js';
import { parsePurlBase } from './purl-parts.js';

const r = (
  vulnId: string,
  source: CvssRecord['source'],
  version: CvssRecord['version'],
  baseScore: number,
): CvssRecord => ({
  vulnId,
  source,
  version,
  vector: `v${version}-${baseScore}`,
  baseScore,
});

test('CVSS choice: source order first, then v3.1 over v3.0, then the finding id, then the higher score', () => {
  const table: Array<[CvssRecord[], [string, number] | undefined]> = [
    [[r('CVE-1', 'nvd', '2.0', 10)], undefined],
    [
      [r('CVE-1', 'cna', '3.1', 9), r('CVE-1', 'nvd', '3.0', 5)],
      ['nvd', 5],
    ],
    [
      [r('CVE-1', 'distro', '3.1', 9), r('CVE-1', 'advisory', '3.1', 4), r('CVE-1', 'adp', '3.1', 6)],
      ['adp', 6],
    ],
    [
      [r('CVE-1', 'distro', '3.1', 9), r('GHSA-x', 'advisory', '3.1', 4)],
      ['advisory', 4],
    ],
    [
      [r('CVE-1', 'cna', '3.0', 9), r('CVE-1', 'cna', '3.1', 3)],
      ['cna', 3],
    ],
    [
      [r('GHSA-x', 'advisory', '3.1', 9), r('CVE-1', 'advisory', '3.1', 3)],
      ['advisory', 3],
    ],
    [
      [r('GHSA-x', 'advisory', '3.1', 5), r('PYSEC-y', 'advisory', '3.1', 7)],
      ['advisory', 7],
    ],
  ];
  for (const [records, expected] of table) {
    const got = chooseCvssV3(records, 'CVE-1');
    assert.deepEqual(got && [got.source, got.score], expected, JSON.stringify(records));
    // Order of the DB rows never changes the choice.
    const reversed = chooseCvssV3([...records].reverse(), 'CVE-1');
    assert.deepEqual(reversed, got);
  }
  assert.equal(chooseCvssV4([r('CVE-1', 'nvd', '3.1', 9)], 'CVE-1'), undefined);
  assert.equal(chooseCvssV4([r('CVE-1', 'cna', '4.0', 9.3)], 'CVE-1')?.score, 9.3);
});

test('purl base: percent-decoding, namespaces, versions, qualifiers and subpaths', () => {
  assert.deepEqual(parsePurlBase('pkg:npm/%40babel/traverse@7.22.0?x=1#sub'), {
    type: 'npm',
    namespace: '@babel',
    name: 'traverse',
    version: '7.22.0',
  });
  assert.deepEqual(parsePurlBase('pkg:maven/org.slf4j/slf4j-api'), {
    type: 'maven',
    namespace: 'org.slf4j',
    name: 'slf4j-api',
    version: undefined,
  });
  assert.equal(parsePurlBase('pkg:oci/app@sha256%3Aabc')?.version, 'sha256:abc');
  assert.equal(parsePurlBase('npm/lodash'), undefined);
  assert.equal(parsePurlBase('pkg:npm/%E0%A4%A'), undefined);
});
