import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { analyzeFiles, fixtureFiles, memoryFile, testdata } from '../../testkit.test.js';
import { gemspec, MAX_GEMSPEC_BYTES } from './analyzer.js';

const SPEC = 'usr/local/bundle/specifications/x-1.0.gemspec';

describe('gemspec analyzer: real specifications', () => {
  it('reads the gems RubyGems and Debian installed on this machine', async () => {
    const files = fixtureFiles(testdata(import.meta.url)).filter((f) => gemspec.wants(f.path, 0));
    assert.equal(files.length, 7);
    const result = await analyzeFiles(gemspec, files, 2);
    assert.deepEqual(result.issues, []);
    const rows = result.packages.map((p) => [p.name, p.version, p.purl, p.licenses.join(' ')]);
    assert.deepEqual(rows, [
      ['abbrev', '0.1.0', 'pkg:gem/abbrev@0.1.0', 'Ruby BSD-2-Clause'],
      ['bundler', '2.3.7', 'pkg:gem/bundler@2.3.7', 'MIT'],
      ['digest', '3.1.0', 'pkg:gem/digest@3.1.0', 'Ruby BSD-2-Clause'],
      ['minitest', '5.15.0', 'pkg:gem/minitest@5.15.0', 'MIT'],
      ['rexml', '3.2.5', 'pkg:gem/rexml@3.2.5', 'BSD-2-Clause'],
      ['nokogiri', '1.15.4', 'pkg:gem/nokogiri@1.15.4?platform=x86_64-linux', 'MIT'],
      ['rake', '13.0.6', 'pkg:gem/rake@13.0.6', 'MIT'],
    ]);
    const noko = result.packages[5]!;
    assert.equal(noko.arch, 'x86_64-linux');
    assert.equal(noko.type, 'gem');
    assert.deepEqual(noko.locations, [
      {
        layerDiffId: noko.introducedIn.layerDiffId,
        layerIndex: 2,
        path: 'usr/local/bundle/specifications/nokogiri-1.15.4-x86_64-linux.gemspec',
        evidence: 'primary',
      },
    ]);
    assert.equal(noko.introducedIn.layerIndex, 2);
    assert.equal(result.packages[0]!.arch, undefined);
  });

  it('wants installed specifications only', () => {
    const wanted = [
      'usr/lib/ruby/gems/3.1.0/specifications/rexml-3.2.5.gemspec',
      'usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec',
      'var/lib/gems/3.1.0/specifications/rails-7.1.2.gemspec',
      'usr/share/rubygems-integration/all/specifications/rake-13.0.6.gemspec',
      'usr/local/bundle/specifications/nokogiri-1.15.4-x86_64-linux.gemspec',
      'root/.gem/ruby/3.1.0/specifications/a-1.gemspec',
      'specifications/a-1.gemspec',
    ];
    for (const path of wanted) assert.ok(gemspec.wants(path, 0), path);
    const unwanted = [
      'app/myapp.gemspec',
      'usr/local/bundle/gems/rails-7.1.2/rails.gemspec',
      'usr/local/bundle/specifications/.gemspec',
      'usr/local/bundle/specifications/sub/a-1.gemspec',
      'usr/local/bundle/specifications/a-1.gemspec.bak',
      'usr/local/bundle/myspecifications/a-1.gemspec',
      'usr/local/bundle/specifications/default/x/a-1.gemspec',
      'usr/local/bundle/default/a-1.gemspec',
    ];
    for (const path of unwanted) assert.equal(gemspec.wants(path, 0), false, path);
  });
});

describe('gemspec analyzer: older and hand-written forms', () => {
  it('reads %q strings, a single license, Gem::Version.new, Gem::Platform::RUBY and escapes', async () => {
    const text = [
      'Gem::Specification.new do |spec|',
      '  spec.name = %q{json_pure}',
      "  spec.version = Gem::Version.new('2.6.1')",
      '  spec.license = "Ruby"',
      '  spec.platform = Gem::Platform::RUBY',
      '  spec.summary = "a \\"quoted\\" \\u00E9"',
      'end',
    ].join('\n');
    const result = await analyzeFiles(gemspec, [memoryFile(SPEC, text)]);
    assert.deepEqual(
      result.packages.map((p) => [p.name, p.version, p.licenses, p.purl]),
      [['json_pure', '2.6.1', ['Ruby'], 'pkg:gem/json_pure@2.6.1']],
    );
    assert.deepEqual(result.issues, []);
  });

  it('falls back on the stub line, and keeps the first assignment', async () => {
    const text =
      '# -*- encoding: utf-8 -*-\n# stub: racc 1.6.0 java lib\0ext\n\ns.name = "racc"\ns.name = "other"\n';
    const result = await analyzeFiles(gemspec, [memoryFile(SPEC, text)]);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.map((p) => p.purl),
      ['pkg:gem/racc@1.6.0?platform=java'],
    );
  });

  it('reports a spec without a name or version, and a licence list it cannot read', async () => {
    const files = [
      memoryFile('specifications/a.gemspec', 's.version = "1"\n'),
      memoryFile('specifications/b.gemspec', 's.name = "b"\n'),
      memoryFile(
        'specifications/c.gemspec',
        's.name = "c"\ns.version = VERSION\ns.version = "2"\ns.licenses = [LIC]\n',
      ),
    ];
    const result = await analyzeFiles(gemspec, files);
    assert.deepEqual(
      result.packages.map((p) => [p.name, p.version, p.licenses]),
      [['c', '2', []]],
    );
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.location?.path, i.line]),
      [
        ['missing-field', 'specifications/a.gemspec', 1],
        ['missing-field', 'specifications/b.gemspec', 1],
        ['invalid-field', 'specifications/c.gemspec', 2],
        ['invalid-field', 'specifications/c.gemspec', 4],
      ],
    );
  });
});

describe('gemspec analyzer: hostile input', () => {
  it('keeps a gem whose summary is not UTF-8, and says so', async () => {
    const bytes = Buffer.from('s.name = "x"\ns.version = "1"\ns.summary = "Jos\xe9"\n', 'latin1');
    const result = await analyzeFiles(gemspec, [memoryFile(SPEC, bytes)]);
    assert.equal(result.packages[0]?.name, 'x');
    assert.deepEqual(
      result.issues.map((i) => i.code),
      ['invalid-utf8'],
    );
  });

  it('survives garbage, unterminated strings and a 3 MB line in bounded time', async () => {
    const bytes = Buffer.concat([
      randomBytes(256 * 1024),
      Buffer.from(`\ns.name = "${'a'.repeat(3_000_000)}\ns.version = ['1'\ns.licenses = ["MIT".freeze, `),
    ]);
    const started = performance.now();
    const result = await analyzeFiles(gemspec, [memoryFile(SPEC, bytes)]);
    assert.ok(performance.now() - started < 2000, 'bounded time');
    assert.deepEqual(result.packages, []);
    assert.ok(result.issues.some((i) => i.code === 'missing-field'));
  });

  it('scans long literal arrays and escapes in linear time', async () => {
    const many = `s.name = "a\\"b"\ns.version = "1"\ns.licenses = [${'"MIT".freeze, '.repeat(200_000)}"x"]\n`;
    const started = performance.now();
    const result = await analyzeFiles(gemspec, [memoryFile(SPEC, many)]);
    assert.ok(performance.now() - started < 2000, `${performance.now() - started} ms`);
    assert.equal(result.packages[0]?.name, 'a"b');
    assert.equal(result.packages[0]?.licenses.length, 200_001);
  });

  it('does not read a file above the size limit', async () => {
    const big = memoryFile(SPEC, 'x');
    const file = { path: SPEC, content: { ...big.content, size: MAX_GEMSPEC_BYTES + 1 } };
    const result = await analyzeFiles(gemspec, [
      file,
      memoryFile('specifications/y-1.gemspec', 's.name="y"\ns.version="1"'),
    ]);
    assert.deepEqual(
      result.packages.map((p) => p.name),
      ['y'],
    );
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.location?.path]),
      [['file-unreadable', SPEC]],
    );
  });

  it('an unreadable file is an issue', async () => {
    const gone = {
      path: SPEC,
      content: {
        size: 1,
        read: async () => Promise.reject(new Error('gone')),
        stream: () => {
          throw new Error('x');
        },
      },
    };
    const result = await analyzeFiles(gemspec, [gone]);
    assert.deepEqual(
      result.issues.map((i) => i.code),
      ['file-unreadable'],
    );
  });
});
