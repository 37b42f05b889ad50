import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { analyzeFiles, memoryFile, testdata } from '../../testkit.test.js';
import { pnpmLock } from './analyzer.js';
import { splitPackageId } from './parse.js';

const LOCK = 'app/pnpm-lock.yaml';
const EXPECTED = [
  '@types/node@20.19.43',
  'debug@2.6.9',
  'is-number@7.0.0',
  'ms@2.0.0',
  'ms@2.1.3',
  'undici-types@6.21.0',
];

describe('pnpm-lock analyzer: real lock files from pnpm 7, 8 and 9', () => {
  for (const [fixture, tool] of [
    ['v5.pnpm-lock.yaml', 'pnpm 7 (5.4)'],
    ['v6.pnpm-lock.yaml', 'pnpm 8 (6.0)'],
    ['v9.pnpm-lock.yaml', 'pnpm 9 (9.0)'],
  ] as const) {
    it(`reads ${tool}`, async () => {
      const bytes = readFileSync(testdata(import.meta.url, fixture));
      const result = await analyzeFiles(pnpmLock, [memoryFile(LOCK, bytes)], 5);
      assert.deepEqual(result.issues, []);
      assert.deepEqual(
        result.packages.map((p) => `${p.name}@${p.version}`),
        EXPECTED,
      );
      const node = result.packages[0]!;
      assert.equal(node.purl, 'pkg:npm/%40types/node@20.19.43');
      assert.deepEqual(node.locations, [
        { layerDiffId: node.introducedIn.layerDiffId, layerIndex: 5, path: LOCK, evidence: 'primary' },
      ]);
    });
  }

  it('wants pnpm-lock.yaml only', () => {
    for (const path of ['pnpm-lock.yaml', 'srv/app/pnpm-lock.yaml']) assert.ok(pnpmLock.wants(path, 0), path);
    for (const path of [
      'app/pnpm-lock.yml',
      'app/xpnpm-lock.yaml',
      'app/pnpm-workspace.yaml',
      'app/pnpm-lock.yaml.orig',
    ]) {
      assert.equal(pnpmLock.wants(path, 0), false, path);
    }
  });
});

describe('pnpm-lock analyzer: package ids', () => {
  it('splits every lock file generation, peers dropped', () => {
    const cases: Array<[string, boolean, ReturnType<typeof splitPackageId>]> = [
      ['/ms/2.1.3', true, { name: 'ms', version: '2.1.3' }],
      ['/@types/node/20.1.0', true, { name: '@types/node', version: '20.1.0' }],
      ['/react-dom/18.2.0_react@18.2.0', true, { name: 'react-dom', version: '18.2.0' }],
      ['/@s/a/1.0.0_@types+node@20.1.0', true, { name: '@s/a', version: '1.0.0' }],
      ['github.com/a/b/0123abc', true, 'non-registry'],
      ['registry.example.com/a/1.0.0', true, 'non-registry'],
      ['file:packages/x', true, 'non-registry'],
      ['/ms@2.1.3', false, { name: 'ms', version: '2.1.3' }],
      ['/@s/n@1.0.0-rc.1(react@18.2.0)(@types/node@20.1.0)', false, { name: '@s/n', version: '1.0.0-rc.1' }],
      ['@s/n@1.0.0', false, { name: '@s/n', version: '1.0.0' }],
      ['x@file:packages/x', false, 'non-registry'],
      ['x@https://codeload.github.com/a/x/tar.gz/abc', false, 'non-registry'],
      ['github.com/a/b/abc', false, 'non-registry'],
      ['/noversion', false, undefined],
      ['/noslash', true, undefined],
    ];
    for (const [key, slashStyle, expected] of cases)
      assert.deepEqual(splitPackageId(key, slashStyle), expected, key);
  });

  it('reports one package per name@version across peer variants', async () => {
    const text = [
      "lockfileVersion: '6.0'",
      'packages:',
      '  /a@1.0.0(react@17.0.0):',
      '    resolution: {integrity: sha512-x}',
      '  /a@1.0.0(react@18.0.0):',
      '    resolution: {integrity: sha512-x}',
      '  /JSONStream@1.3.5:',
      '    resolution: {integrity: sha512-y}',
    ].join('\n');
    const result = await analyzeFiles(pnpmLock, [memoryFile(LOCK, text)]);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.map((p) => p.purl),
      ['pkg:npm/a@1.0.0', 'pkg:npm/JSONStream@1.3.5'],
    );
  });
});
