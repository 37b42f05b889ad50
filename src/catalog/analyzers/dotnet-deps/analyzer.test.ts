import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFiles, fixtureFiles, memoryFile, testdata } from '../../testkit.test.js';
import { dotnetDeps, MAX_DOTNET_FILE_BYTES } from './analyzer.js';

const DEPS = 'app/MyApi.deps.json';
const LOCK = 'src/MyApi/packages.lock.json';

describe('dotnet-deps analyzer: documented formats', () => {
  it('reads package libraries of a deps.json and resolved versions of a packages.lock.json', async () => {
    const files = fixtureFiles(testdata(import.meta.url)).filter((f) => dotnetDeps.wants(f.path, 0));
    assert.equal(files.length, 2);
    const result = await analyzeFiles(dotnetDeps, files, 5);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.map((p) => [p.locations[0]!.path, p.purl]),
      [
        [
          'app/MyApi/MyApi.deps.json',
          'pkg:nuget/Microsoft.Extensions.DependencyInjection.Abstractions@8.0.0',
        ],
        ['app/MyApi/MyApi.deps.json', 'pkg:nuget/Microsoft.Extensions.Logging.Abstractions@8.0.0'],
        ['app/MyApi/MyApi.deps.json', 'pkg:nuget/Newtonsoft.Json@12.0.3'],
        [LOCK, 'pkg:nuget/Microsoft.Extensions.Logging.Abstractions@8.0.0'],
        [LOCK, 'pkg:nuget/Newtonsoft.Json@13.0.1'],
        [LOCK, 'pkg:nuget/Microsoft.Extensions.DependencyInjection.Abstractions@8.0.0'],
      ],
    );
    const pkg = result.packages[2]!;
    assert.deepEqual(
      [pkg.type, pkg.name, pkg.version, pkg.licenses, pkg.introducedIn.layerIndex],
      ['nuget', 'Newtonsoft.Json', '12.0.3', [], 5],
    );
    assert.deepEqual(pkg.locations[0]?.evidence, 'primary');
  });

  it('merges a package listed under several target frameworks', async () => {
    const entry = { type: 'Direct', requested: '[13.0.1, )', resolved: '13.0.1' };
    const text = JSON.stringify({
      version: 1,
      dependencies: {
        'net8.0': { 'Newtonsoft.Json': entry },
        'net6.0': {
          'Newtonsoft.Json': entry,
          'System.Text.Json': { type: 'CentralTransitive', resolved: '8.0.0' },
        },
        'net6.0/linux-x64': { 'newtonsoft.json': entry },
      },
    });
    const result = await analyzeFiles(dotnetDeps, [memoryFile(LOCK, text)]);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.map((p) => p.purl),
      ['pkg:nuget/Newtonsoft.Json@13.0.1', 'pkg:nuget/System.Text.Json@8.0.0'],
    );
  });

  it('wants deps.json and packages.lock.json files', () => {
    const wanted = [
      DEPS,
      'app/MyApi/bin/Release/net8.0/publish/MyApi.deps.json',
      'x.deps.json',
      LOCK,
      'packages.lock.json',
    ];
    for (const path of wanted) assert.ok(dotnetDeps.wants(path, 0), path);
    const unwanted = [
      'app/.deps.json',
      'app/MyApi.runtimeconfig.json',
      'app/MyApi.deps.json.bak',
      'app/deps.json',
      'src/packages.lock.json.old',
      'src/xpackages.lock.json',
      'src/package-lock.json',
    ];
    for (const path of unwanted) assert.equal(dotnetDeps.wants(path, 0), false, path);
  });
});

describe('dotnet-deps analyzer: hostile input', () => {
  it('reports libraries and dependencies of the wrong shape, and keeps the rest', async () => {
    const deps = JSON.stringify({
      libraries: {
        'Good/1.0.0': { type: 'package' },
        'NoType/1.0.0': {},
        Bad: { type: 'package' },
        'Too/Many/Slashes': { type: 'package' },
        'good/1.0.0': { type: 'package' },
        'Runtime/8.0.0': { type: 'runtimepack' },
        'Str/1': 'package',
      },
    });
    const lock = JSON.stringify({
      version: 1,
      dependencies: {
        'net8.0': { A: { type: 'Direct', resolved: '1.0.0' }, B: { type: 'Transitive' }, C: 3 },
        'net6.0': [],
      },
    });
    const result = await analyzeFiles(dotnetDeps, [memoryFile(DEPS, deps), memoryFile(LOCK, lock)]);
    assert.deepEqual(
      result.packages.map((p) => p.purl),
      ['pkg:nuget/Good@1.0.0', 'pkg:nuget/A@1.0.0'],
    );
    assert.deepEqual(
      result.issues.map((i) => [
        i.code,
        i.location?.path,
        i.message.replace(/^[^:]*: /, '').split(/[;:]/)[0],
      ]),
      [
        ['malformed-record', DEPS, 'libraries["NoType/1.0.0"] is not an object with a type'],
        ['invalid-field', DEPS, 'libraries["Bad"]'],
        ['invalid-field', DEPS, 'libraries["Too/Many/Slashes"]'],
        ['malformed-record', DEPS, 'libraries["Str/1"] is not an object with a type'],
        ['duplicate-package', DEPS, 'libraries["good/1.0.0"]'],
        ['missing-field', LOCK, 'dependencies["net8.0"]["B"]'],
        ['malformed-record', LOCK, 'dependencies["net8.0"]["C"] is not an object'],
        ['malformed-record', LOCK, 'dependencies["net6.0"] is not an object'],
      ],
    );
  });

  it('says what is wrong with truncated JSON, wrong shapes and empty files', async () => {
    const cases: Array<[string, string]> = [
      [DEPS, '{"libraries": {"A/1": {"type": "pack'],
      [DEPS, ''],
      [DEPS, '{"libraries": []}'],
      [LOCK, '{"version": 1}'],
      [LOCK, '[1, 2]'],
    ];
    for (const [path, text] of cases) {
      const result = await analyzeFiles(dotnetDeps, [memoryFile(path, text)]);
      assert.deepEqual(result.packages, [], text);
      assert.deepEqual(
        result.issues.map((i) => [i.code, i.location?.path]),
        [['malformed-record', path]],
        text,
      );
    }
  });

  it('keeps packages from a file with invalid UTF-8, survives deep nesting, and skips oversized files', async () => {
    const latin1 = Buffer.from('{"libraries": {"A/1.0.0": {"type": "package", "x": "Jos\xe9"}}}', 'latin1');
    const deep = `{"targets": ${'['.repeat(100_000)}${']'.repeat(100_000)}, "libraries": {"B/2.0.0": {"type": "package"}}}`;
    const big = memoryFile('big/packages.lock.json', '{}');
    const tooBig = { path: big.path, content: { ...big.content, size: MAX_DOTNET_FILE_BYTES + 1 } };
    const files = [memoryFile(DEPS, latin1), memoryFile('b/B.deps.json', deep), tooBig];
    const result = await analyzeFiles(dotnetDeps, files);
    assert.deepEqual(
      result.packages.map((p) => p.purl),
      ['pkg:nuget/A@1.0.0', 'pkg:nuget/B@2.0.0'],
    );
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.location?.path]),
      [
        ['invalid-utf8', DEPS],
        ['file-unreadable', 'big/packages.lock.json'],
      ],
    );
  });

  it('caps the issues of one file', async () => {
    const libraries = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`L${i}/1`, null]));
    const result = await analyzeFiles(dotnetDeps, [memoryFile(DEPS, JSON.stringify({ libraries }))]);
    assert.equal(result.issues.length, 26);
    assert.equal(result.issues.at(-1)?.code, 'issues-truncated');
  });
});
