import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { analyzeFiles, memoryFile, testdata } from '../../testkit.test.js';
import { npmLock } from './analyzer.js';

const LOCK = 'usr/src/app/package-lock.json';
const EXPECTED = [
  '@types/node@20.19.43',
  'debug@2.6.9',
  'ms@2.0.0',
  'is-number@7.0.0',
  'ms@2.1.3',
  'undici-types@6.21.0',
];

async function analyzeFixture(name: string, path = LOCK) {
  const bytes = readFileSync(testdata(import.meta.url, name));
  return analyzeFiles(npmLock, [memoryFile(path, bytes)], 3);
}

describe('npm-lock analyzer: real lock files from npm 11', () => {
  for (const version of [1, 2, 3]) {
    it(`reads lockfileVersion ${version}: nested ms, no project root, no workspace link`, async () => {
      const result = await analyzeFixture(`v${version}.package-lock.json`);
      assert.deepEqual(result.issues, []);
      const got = result.packages.map((p) => `${p.name}@${p.version}`);
      // v1 nests by tree (debug's ms under debug); v2/v3 list install paths in sorted order.
      assert.deepEqual([...got].sort(), [...EXPECTED].sort());
      if (version > 1) assert.deepEqual(got, EXPECTED);
      const node = result.packages.find((p) => p.name === '@types/node')!;
      assert.equal(node.purl, 'pkg:npm/%40types/node@20.19.43');
      assert.deepEqual(node.licenses, version === 1 ? [] : ['MIT']);
      assert.deepEqual(node.locations, [
        { layerDiffId: node.introducedIn.layerDiffId, layerIndex: 3, path: LOCK, evidence: 'primary' },
      ]);
      assert.equal(node.introducedIn.layerIndex, 3);
    });
  }

  it('reads npm-shrinkwrap.json the same way', async () => {
    const result = await analyzeFixture('v3.package-lock.json', 'usr/lib/node_modules/x/npm-shrinkwrap.json');
    assert.equal(result.packages.length, EXPECTED.length);
  });

  it('wants package-lock.json and npm-shrinkwrap.json only', () => {
    for (const path of ['package-lock.json', 'app/package-lock.json', 'a/b/npm-shrinkwrap.json']) {
      assert.ok(npmLock.wants(path, 0), path);
    }
    const unwanted = [
      'node_modules/.package-lock.json',
      'app/package-lock.json.bak',
      'app/my-package-lock.json',
      'app/package.json',
      'app/yarn.lock',
      'package-lock.json/x',
    ];
    for (const path of unwanted) assert.equal(npmLock.wants(path, 0), false, path);
  });
});

describe('npm-lock analyzer: entries', () => {
  const lock = (doc: unknown) => analyzeFiles(npmLock, [memoryFile(LOCK, JSON.stringify(doc))]);

  it('v2/v3: aliases by name, skips links, workspaces, git/file versions, dedupes', async () => {
    const result = await lock({
      lockfileVersion: 3,
      packages: {
        '': { name: 'app', version: '1.0.0' },
        'node_modules/sw': { name: 'string-width', version: '4.2.3', license: 'MIT' },
        'node_modules/lib': { resolved: 'packages/lib', link: true },
        'packages/lib': { name: 'lib', version: '0.1.0' },
        'node_modules/g': { version: 'git+ssh://git@github.com/a/g.git#abc' },
        'node_modules/a/node_modules/@s/b': { version: '1.0.0' },
        'node_modules/c/node_modules/@s/b': { version: '1.0.0' },
      },
    });
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.map((p) => [p.name, p.version, p.licenses]),
      [
        ['string-width', '4.2.3', ['MIT']],
        ['@s/b', '1.0.0', []],
      ],
    );
  });

  it('v1: nested dependencies, npm: aliases, file: and git versions skipped', async () => {
    const result = await lock({
      lockfileVersion: 1,
      dependencies: {
        a: {
          version: '1.0.0',
          dependencies: { b: { version: '2.0.0', dependencies: { c: { version: '3.0.0' } } } },
        },
        sw: { version: 'npm:string-width@4.2.3' },
        local: { version: 'file:packages/local' },
        g: { version: 'github:a/g#abc' },
      },
    });
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.map((p) => `${p.name}@${p.version}`),
      ['a@1.0.0', 'b@2.0.0', 'c@3.0.0', 'string-width@4.2.3'],
    );
  });
});
