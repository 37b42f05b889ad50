import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFiles, fixtureFiles, memoryFile, testdata } from '../../testkit.test.js';
import { composer, MAX_COMPOSER_FILE_BYTES } from './analyzer.js';

const INSTALLED = 'app/vendor/composer/installed.json';
const rows = (result: Awaited<ReturnType<typeof analyzeFiles>>): string[][] =>
  result.packages.map((p) => [p.locations[0]!.path, p.name, p.version, p.purl, p.licenses.join(' ')]);

describe('composer analyzer: documented formats', () => {
  it('reads Composer 2 and Composer 1 installed.json and composer.lock with packages-dev', async () => {
    const files = fixtureFiles(testdata(import.meta.url)).filter((f) => composer.wants(f.path, 0));
    assert.equal(files.length, 3);
    const result = await analyzeFiles(composer, files, 1);
    assert.deepEqual(result.issues, []);
    const v1 = 'composer1/app/vendor/composer/installed.json';
    const v2 = 'composer2/var/www/html/vendor/composer/installed.json';
    const lock = 'lock/srv/shop/composer.lock';
    assert.deepEqual(rows(result), [
      [v1, 'processwire/processwire', '3.0.184', 'pkg:composer/processwire/processwire@3.0.184', 'MPL-2.0'],
      [v1, 'shopware/platform', 'v6.4.20.2', 'pkg:composer/shopware/platform@v6.4.20.2', 'MIT'],
      [v2, 'processwire/processwire', '3.0.210', 'pkg:composer/processwire/processwire@3.0.210', 'MPL-2.0'],
      [v2, 'shopware/core', 'v6.5.7.3', 'pkg:composer/shopware/core@v6.5.7.3', 'MIT'],
      [lock, 'shopware/core', 'v6.5.7.4', 'pkg:composer/shopware/core@v6.5.7.4', 'MIT'],
      [lock, 'phpunit/phpunit', '9.6.13', 'pkg:composer/phpunit/phpunit@9.6.13', 'BSD-3-Clause'],
    ]);
    const pkg = result.packages[0]!;
    assert.equal(pkg.type, 'composer');
    assert.deepEqual(pkg.locations, [
      { layerDiffId: pkg.introducedIn.layerDiffId, layerIndex: 1, path: v1, evidence: 'primary' },
    ]);
  });

  it('lowercases the purl, keeps the name and dev versions, reads a string license', async () => {
    const text = JSON.stringify({
      packages: [{ name: 'Acme/Some-Lib', version: 'dev-main', license: 'proprietary' }],
    });
    const result = await analyzeFiles(composer, [memoryFile(INSTALLED, text)]);
    assert.deepEqual(rows(result), [
      [INSTALLED, 'Acme/Some-Lib', 'dev-main', 'pkg:composer/acme/some-lib@dev-main', 'proprietary'],
    ]);
  });

  it('wants installed.json and lockfiles outside vendor directories', () => {
    const wanted = [
      'var/www/html/vendor/composer/installed.json',
      'vendor/composer/installed.json',
      'app/lib/composer/installed.json',
      'composer.lock',
      'srv/app/composer.lock',
    ];
    for (const path of wanted) assert.ok(composer.wants(path, 0), path);
    const unwanted = [
      'app/vendor/composer/installed.php',
      'app/vendor/composer/installed.json.bak',
      'app/vendor/mycomposer/installed.json',
      'app/installed.json',
      'app/vendor/acme/lib/composer.lock',
      'app/composer.json',
      'app/xcomposer.lock',
    ];
    for (const path of unwanted) assert.equal(composer.wants(path, 0), false, path);
  });
});

describe('composer analyzer: hostile input', () => {
  it('reports entries with a wrong shape and duplicates, and keeps the rest', async () => {
    const text = JSON.stringify({
      packages: [
        { name: 'a/ok', version: '1.0.0', license: ['MIT'] },
        'not an object',
        { name: 'b/noversion' },
        { version: '1' },
        { name: 'novendor', version: '1' },
        { name: 'c/badlicense', version: '2', license: { spdx: 'MIT' } },
        { name: 'A/OK', version: '1.0.1' },
      ],
      'packages-dev': 'nope',
    });
    const result = await analyzeFiles(composer, [memoryFile('srv/composer.lock', text)]);
    assert.deepEqual(
      result.packages.map((p) => `${p.name}@${p.version}`),
      ['a/ok@1.0.0', 'c/badlicense@2'],
    );
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.message.replace(/^[^:]*: /, '').split(';')[0]]),
      [
        ['malformed-record', 'packages[1] is not an object'],
        ['missing-field', 'packages[2]: no b/noversion: version'],
        ['missing-field', 'packages[3]: no name'],
        ['invalid-field', 'packages[4]: name "novendor" is not vendor/package'],
        ['invalid-field', 'packages[5]: license is not a string or a list of strings'],
        ['duplicate-package', 'packages[6]: A/OK listed again (first at packages[0])'],
      ],
    );
  });

  it('says what is wrong with truncated JSON, wrong shapes and empty files', async () => {
    const cases: Array<[string, string, string]> = [
      ['a/vendor/composer/installed.json', '{"packages": [{"name": "a/b", "vers', 'malformed-record'],
      ['b/vendor/composer/installed.json', '', 'malformed-record'],
      ['c/vendor/composer/installed.json', '{"packages": {"a/b": "1"}}', 'malformed-record'],
      ['d/composer.lock', '[{"name": "a/b", "version": "1"}]', 'malformed-record'],
      ['e/composer.lock', 'null', 'malformed-record'],
    ];
    for (const [path, text, code] of cases) {
      const result = await analyzeFiles(composer, [memoryFile(path, text)]);
      assert.deepEqual(result.packages, [], path);
      assert.deepEqual(
        result.issues.map((i) => [i.code, i.location?.path]),
        [[code, path]],
      );
    }
  });

  it('keeps packages from a file with invalid UTF-8, and survives deep nesting', async () => {
    const latin1 = Buffer.from(
      '{"packages": [{"name": "a/b", "version": "1", "description": "Jos\xe9"}]}',
      'latin1',
    );
    const deep = `{"packages": [{"name": "c/d", "version": "2", "extra": ${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`;
    const result = await analyzeFiles(composer, [
      memoryFile(INSTALLED, latin1),
      memoryFile(`x/${INSTALLED}`, deep),
    ]);
    assert.deepEqual(
      result.packages.map((p) => p.name),
      ['a/b', 'c/d'],
    );
    assert.deepEqual(
      result.issues.map((i) => i.code),
      ['invalid-utf8'],
    );
  });

  it('caps issues, and does not read a file above the size limit', async () => {
    const many = JSON.stringify({ packages: Array.from({ length: 1000 }, () => 7) });
    const big = memoryFile('big/composer.lock', '{}');
    const tooBig = { path: big.path, content: { ...big.content, size: MAX_COMPOSER_FILE_BYTES + 1 } };
    const result = await analyzeFiles(composer, [memoryFile(INSTALLED, many), tooBig]);
    assert.equal(result.issues.length, 27);
    assert.equal(result.issues[25]?.code, 'issues-truncated');
    assert.deepEqual(result.issues[26]?.code, 'file-unreadable');
  });
});
