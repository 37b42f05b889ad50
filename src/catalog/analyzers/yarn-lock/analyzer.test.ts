import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { analyzeFiles, memoryFile, testdata } from '../../testkit.test.js';
import { yarnLock } from './analyzer.js';
import { parseYarnLock } from './parse.js';

const LOCK = 'srv/app/yarn.lock';
const EXPECTED = [
  '@types/node@20.19.43',
  'debug@2.6.9',
  'is-number@7.0.0',
  'ms@2.0.0',
  'ms@2.1.3',
  'undici-types@6.21.0',
];

async function analyzeFixture(name: string) {
  return analyzeFiles(yarnLock, [memoryFile(LOCK, readFileSync(testdata(import.meta.url, name)))], 1);
}

describe('yarn-lock analyzer: real lock files', () => {
  it('reads a yarn 1.22 lock file', async () => {
    const result = await analyzeFixture('v1.yarn.lock');
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.map((p) => `${p.name}@${p.version}`),
      EXPECTED,
    );
    const node = result.packages[0]!;
    assert.equal(node.purl, 'pkg:npm/%40types/node@20.19.43');
    assert.deepEqual(node.licenses, []);
    assert.deepEqual(node.locations, [
      { layerDiffId: node.introducedIn.layerDiffId, layerIndex: 1, path: LOCK, evidence: 'primary' },
    ]);
  });

  it('reads a yarn 4 (berry, __metadata version 10) lock file without its workspaces', async () => {
    assert.equal(
      parseYarnLock(readFileSync(testdata(import.meta.url, 'berry-v10.yarn.lock'))).format,
      'berry',
    );
    const result = await analyzeFixture('berry-v10.yarn.lock');
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.map((p) => `${p.name}@${p.version}`),
      EXPECTED,
    );
  });

  it('wants yarn.lock files only', () => {
    for (const path of ['yarn.lock', 'app/yarn.lock', 'a/b/c/yarn.lock'])
      assert.ok(yarnLock.wants(path, 0), path);
    for (const path of [
      'app/myyarn.lock',
      'app/yarn.lock.bak',
      'app/.yarnrc.yml',
      'app/yarn.lock/x',
      'pnpm-lock.yaml',
    ]) {
      assert.equal(yarnLock.wants(path, 0), false, path);
    }
  });
});

describe('yarn-lock analyzer: descriptors', () => {
  it('v1: aliases, multi-descriptor headers, non-registry sources skipped, duplicates merged', async () => {
    const text = [
      '# yarn lockfile v1',
      '',
      '"string-width-cjs@npm:string-width@^4.2.0", string-width@^4.1.0:',
      '  version "4.2.3"',
      '  dependencies:',
      '    version "9.9.9"',
      '',
      'local@file:./local:',
      '  version "0.1.0"',
      '',
      '"g@github:a/g#abc":',
      '  version "1.0.0"',
      '',
      '"tar@https://example.com/tar-1.0.0.tgz":',
      '  version "1.0.0"',
      '',
      'string-width@^4.2.3:',
      '  version "4.2.3"',
      '',
    ].join('\n');
    const result = await analyzeFiles(yarnLock, [memoryFile(LOCK, text)]);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.map((p) => `${p.name}@${p.version}`),
      ['string-width@4.2.3'],
    );
  });

  it('berry: aliases by resolution; patch, workspace, git entries skipped', async () => {
    const text = [
      '__metadata:',
      '  version: 8',
      '',
      '"string-width-cjs@npm:string-width@^4.2.0":',
      '  version: 4.2.3',
      '  resolution: "string-width@npm:4.2.3"',
      '',
      '"resolve@patch:resolve@npm%3A^1.22.0#~builtin<compat/resolve>":',
      '  version: 1.22.8',
      '  resolution: "resolve@patch:resolve@npm%3A1.22.8#~builtin<compat/resolve>::version=1.22.8&hash=c3c19d"',
      '',
      '"app@workspace:.":',
      '  version: 0.0.0-use.local',
      '  resolution: "app@workspace:."',
      '',
      '"g@https://github.com/a/g.git#commit=abc":',
      '  version: 1.0.0',
      '  resolution: "g@https://github.com/a/g.git#commit=abc"',
      '',
    ].join('\n');
    const result = await analyzeFiles(yarnLock, [memoryFile(LOCK, text)]);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.map((p) => `${p.name}@${p.version}`),
      ['string-width@4.2.3'],
    );
  });
});
