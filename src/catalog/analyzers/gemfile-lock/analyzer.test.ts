import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DEFAULT_MAX_ISSUES_PER_FILE } from '../../issue-list.js';
import { analyzeFiles, memoryFile, testdata } from '../../testkit.test.js';
import { gemfileLock, MAX_LOCKFILE_BYTES } from './analyzer.js';

const LOCK = 'srv/app/Gemfile.lock';
const fixture = (name: string): Buffer => readFileSync(testdata(import.meta.url, name, 'Gemfile.lock'));
const lock = (specs: string): string =>
  `GEM\n  remote: https://rubygems.org/\n  specs:\n${specs}\nPLATFORMS\n  ruby\n`;

describe('gemfile-lock analyzer: real lockfiles', () => {
  it('reads the GEM specs of a real lockfile, not the dependency lines', async () => {
    const result = await analyzeFiles(gemfileLock, [memoryFile(LOCK, fixture('steep'))], 3);
    assert.deepEqual(result.issues, []);
    assert.equal(result.packages.length, 19);
    const first = result.packages[0]!;
    assert.deepEqual(
      [first.type, first.name, first.version, first.purl, first.licenses, first.arch],
      ['gem', 'activesupport', '6.1.4.1', 'pkg:gem/activesupport@6.1.4.1', [], undefined],
    );
    assert.deepEqual(first.locations, [
      { layerDiffId: first.introducedIn.layerDiffId, layerIndex: 3, path: LOCK, evidence: 'primary' },
    ]);
    assert.equal(result.packages.find((p) => p.name === 'language_server-protocol')?.version, '3.16.0.3');
    assert.ok(!result.packages.some((p) => p.name === 'steep' && p.version !== '0.47.0'));
  });

  it('reads PATH specs too (the application itself), with two platforms listed', async () => {
    const result = await analyzeFiles(gemfileLock, [memoryFile(LOCK, fixture('typeprof'))]);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.slice(0, 3).map((p) => `${p.name}@${p.version}`),
      ['typeprof@0.21.2', 'coverage-helpers@1.0.0', 'docile@1.4.0'],
    );
    assert.equal(result.packages.length, 11);
  });

  it('splits platforms off versions, reads GIT sources and ignores CHECKSUMS', async () => {
    const result = await analyzeFiles(gemfileLock, [memoryFile(LOCK, fixture('platforms'))]);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.map((p) => [p.purl, p.arch]),
      [
        ['pkg:gem/activesupport@7.0.3', undefined],
        ['pkg:gem/activerecord@7.0.3', undefined],
        ['pkg:gem/concurrent-ruby@1.2.2', undefined],
        ['pkg:gem/i18n@1.14.1', undefined],
        ['pkg:gem/nokogiri@1.15.4?platform=aarch64-linux', 'aarch64-linux'],
        ['pkg:gem/nokogiri@1.15.4?platform=x86_64-linux', 'x86_64-linux'],
        ['pkg:gem/racc@1.7.1', undefined],
        ['pkg:gem/racc@1.7.1?platform=java', 'java'],
      ],
    );
    assert.equal(new Set(result.packages.map((p) => p.id)).size, 8);
  });

  it('wants lockfiles, not those shipped inside installed gems', () => {
    const wanted = [
      'Gemfile.lock',
      'srv/app/Gemfile.lock',
      'usr/src/app/gems.locked',
      'rails/gems/app/Gemfile.lock',
    ];
    for (const path of wanted) assert.ok(gemfileLock.wants(path, 0), path);
    const unwanted = [
      'srv/app/Gemfile',
      'srv/app/Gemfile.lock.bak',
      'srv/app/xGemfile.lock',
      'usr/lib/ruby/gems/3.1.0/gems/rbs-2.1.0/steep/Gemfile.lock',
      'usr/local/bundle/gems/typeprof-0.21.2/Gemfile.lock',
      'app/vendor/bundle/ruby/3.2.0/bundler/gems/rails-3b4cf9f0ed7b/Gemfile.lock',
      'usr/local/bundle/bundler/gems/rails-e1f2a3b4c5d6/Gemfile.lock',
    ];
    for (const path of unwanted) assert.equal(gemfileLock.wants(path, 0), false, path);
  });
});

describe('gemfile-lock analyzer: hostile input', () => {
  it('reports malformed spec lines and duplicates, and keeps the rest', async () => {
    const text = lock(
      [
        '    ok (1.0)',
        '    noversion',
        '    bad (1.0-)',
        '   three (1)',
        '\tx (1)',
        '    ok (1.0)',
        '    ok2 (2)',
      ].join('\n'),
    );
    const result = await analyzeFiles(gemfileLock, [memoryFile(LOCK, text)]);
    assert.deepEqual(
      result.packages.map((p) => `${p.name}@${p.version}`),
      ['ok@1.0', 'ok2@2'],
    );
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.line]),
      [
        ['malformed-record', 5],
        ['malformed-record', 6],
        ['malformed-record', 8],
        ['duplicate-package', 9],
      ],
    );
  });

  it('skips a 10 MB line and binary garbage with capped issues, and reads the rest', async () => {
    const bytes = Buffer.concat([
      Buffer.from(lock(`    a (1)\n    ${'x'.repeat(10 * 1024 * 1024)} (1)\n`)),
      randomBytes(512 * 1024),
      Buffer.from(`\n${lock('    b (2)')}`),
    ]);
    const started = performance.now();
    const result = await analyzeFiles(gemfileLock, [memoryFile(LOCK, bytes)]);
    assert.ok(performance.now() - started < 3000, 'bounded time');
    assert.equal(result.packages[0]?.name, 'a');
    assert.ok(result.issues.length <= DEFAULT_MAX_ISSUES_PER_FILE + 1);
    assert.equal(result.issues[0]?.code, 'line-too-long');
  });

  it('keeps gems in a lockfile with invalid UTF-8, and says so', async () => {
    const bytes = Buffer.from(lock('    caf\xe9 (1)\n    b (2)'), 'latin1');
    const result = await analyzeFiles(gemfileLock, [memoryFile(LOCK, bytes)]);
    assert.deepEqual(
      result.packages.map((p) => p.name),
      ['caf\ufffd', 'b'],
    );
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.line]),
      [['invalid-utf8', 4]],
    );
  });

  it('reads nothing from an empty, truncated or too large file', async () => {
    const truncated = memoryFile('a/Gemfile.lock', 'GEM\n  remote: https://rubygems.org/\n  spe');
    const big = memoryFile('b/Gemfile.lock', 'x');
    const tooBig = { path: 'b/Gemfile.lock', content: { ...big.content, size: MAX_LOCKFILE_BYTES + 1 } };
    const result = await analyzeFiles(gemfileLock, [memoryFile(LOCK, ''), truncated, tooBig]);
    assert.deepEqual(result.packages, []);
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.location?.path]),
      [['file-unreadable', 'b/Gemfile.lock']],
    );
  });

  it('is linear: 100k specs in bounded time', async () => {
    const specs = Array.from({ length: 100_000 }, (_, i) => `    g${i} (1.${i})\n      dep (>= 0)`).join(
      '\n',
    );
    const started = performance.now();
    const result = await analyzeFiles(gemfileLock, [memoryFile(LOCK, lock(specs))]);
    assert.equal(result.packages.length, 100_000);
    assert.ok(performance.now() - started < 15_000, `${performance.now() - started} ms`);
  });
});
