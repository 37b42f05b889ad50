import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalyzerFile } from '../../analyzer.js';
import { analyzeFiles, fixtureFiles, memoryFile, testdata } from '../../testkit.test.js';
import { npmPackageJson } from './analyzer.js';

/** The fixture tree stores `node_modules` as `nm` (the repository ignores node_modules/). */
function installedTree(): AnalyzerFile[] {
  return fixtureFiles(testdata(import.meta.url, 'app')).map((f) => ({
    path: `usr/src/app/${f.path
      .split('/')
      .map((s) => (s === 'nm' ? 'node_modules' : s))
      .join('/')}`,
    content: f.content,
  }));
}

describe('npm-package-json analyzer: a real node_modules tree', () => {
  it('reads the packages npm installed, nested ones included, and no app root', async () => {
    const files = installedTree().filter((f) => npmPackageJson.wants(f.path, 0));
    assert.equal(files.length, 7);
    const result = await analyzeFiles(npmPackageJson, files, 2);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.map((p) => [p.name, p.version, p.licenses, p.purl, p.locations[0]!.path]),
      [
        [
          '@types/node',
          '20.19.43',
          ['MIT'],
          'pkg:npm/%40types/node@20.19.43',
          'usr/src/app/node_modules/@types/node/package.json',
        ],
        [
          'ms',
          '2.0.0',
          ['MIT'],
          'pkg:npm/ms@2.0.0',
          'usr/src/app/node_modules/debug/node_modules/ms/package.json',
        ],
        ['debug', '2.6.9', ['MIT'], 'pkg:npm/debug@2.6.9', 'usr/src/app/node_modules/debug/package.json'],
        [
          'is-number',
          '7.0.0',
          ['MIT'],
          'pkg:npm/is-number@7.0.0',
          'usr/src/app/node_modules/is-number/package.json',
        ],
        ['ms', '2.1.3', ['MIT'], 'pkg:npm/ms@2.1.3', 'usr/src/app/node_modules/ms/package.json'],
        // npm's own copy: the legacy `licenses: [{type}]` form.
        [
          'qrcode-terminal',
          '0.12.0',
          ['Apache 2.0'],
          'pkg:npm/qrcode-terminal@0.12.0',
          'usr/src/app/node_modules/qrcode-terminal/package.json',
        ],
        [
          'undici-types',
          '6.21.0',
          ['MIT'],
          'pkg:npm/undici-types@6.21.0',
          'usr/src/app/node_modules/undici-types/package.json',
        ],
      ],
    );
    const ms = result.packages[1]!;
    assert.equal(ms.type, 'npm');
    assert.deepEqual(ms.introducedIn, { layerIndex: 2, layerDiffId: ms.locations[0]!.layerDiffId });
    assert.equal(ms.locations[0]!.evidence, 'primary');
  });

  it('wants package.json directly under node_modules/<name> or node_modules/@scope/<name> only', () => {
    const wanted = [
      'node_modules/ms/package.json',
      'usr/lib/node_modules/npm/package.json',
      'app/node_modules/@types/node/package.json',
      'app/node_modules/debug/node_modules/ms/package.json',
      'app/node_modules/.pnpm/ms@2.1.3/node_modules/ms/package.json',
      'app/node_modules/.pnpm/@types+node@20.1.0/node_modules/@types/node/package.json',
    ];
    for (const path of wanted) assert.ok(npmPackageJson.wants(path, 0), path);
    const unwanted = [
      'package.json',
      'app/package.json',
      'node_modules/package.json',
      'node_modules/@types/package.json',
      'node_modules/ms/lib/package.json',
      'node_modules/@types/node/ts5.6/package.json',
      'node_modules/.bin/package.json',
      'node_modules/.package-lock.json',
      'node_modules/@/x/package.json',
      'node_modules/ms/package.json.bak',
      'node_modules/ms/xpackage.json',
      'my_node_modules/ms/package.json',
      'node_modules/ms/package.json/x',
    ];
    for (const path of unwanted) assert.equal(npmPackageJson.wants(path, 0), false, path);
  });
});

describe('npm-package-json analyzer: fields', () => {
  const at = (name: string): string => `node_modules/${name}/package.json`;

  it('reads every licence form, skips private packages', async () => {
    const cases: Array<[string, unknown]> = [
      ['a', { name: 'a', version: '1.0.0', license: 'MIT OR Apache-2.0' }],
      ['b', { name: 'b', version: '1.0.0', license: { type: 'BSD', url: 'x' } }],
      ['c', { name: 'c', version: '1.0.0', licenses: [{ type: 'MIT' }, { type: 'GPL-2.0' }, 'ISC', 3] }],
      ['d', { name: 'd', version: '1.0.0', license: 42 }],
      ['e', { name: 'e', version: '1.0.0', private: true }],
      ['alias', { name: '@scope/real', version: '2.0.0-rc.1+b' }],
    ];
    const files = cases.map(([dir, doc]) => memoryFile(at(dir), JSON.stringify(doc)));
    const result = await analyzeFiles(npmPackageJson, files);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.map((p) => [p.name, p.licenses, p.purl]),
      [
        ['a', ['MIT OR Apache-2.0'], 'pkg:npm/a@1.0.0'],
        ['b', ['BSD'], 'pkg:npm/b@1.0.0'],
        ['c', ['MIT', 'GPL-2.0', 'ISC'], 'pkg:npm/c@1.0.0'],
        ['d', [], 'pkg:npm/d@1.0.0'],
        ['@scope/real', [], 'pkg:npm/%40scope/real@2.0.0-rc.1%2Bb'],
      ],
    );
  });

  it('keeps the case of legacy upper-case names', async () => {
    const file = memoryFile(at('JSONStream'), '{"name":"JSONStream","version":"1.3.5"}');
    const result = await analyzeFiles(npmPackageJson, [file]);
    assert.equal(result.packages[0]!.purl, 'pkg:npm/JSONStream@1.3.5');
  });
});
