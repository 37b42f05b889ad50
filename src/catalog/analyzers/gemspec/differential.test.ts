/**
 * Differential test against RubyGems itself (`ruby` is installed by scripts/install-test-deps.sh;
 * without it this test fails rather than skips): every gem RubyGems loads on this machine, and
 * specs RubyGems writes with awkward values, must read the same through our scanner as through
 * `Gem::Specification` (name, version, platform, licences).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseGemspec } from './parse.js';

/** Runs `script` with `args` in ARGV (data never goes into the Ruby source: `#{}` would interpolate). */
function ruby(script: string, ...args: string[]): Array<{ path: string; fields: string[] }> {
  const out = execFileSync('ruby', ['-e', script, '--', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return out
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const row: unknown = JSON.parse(line);
      assert.ok(Array.isArray(row) && row.every((field) => typeof field === 'string'), line);
      const [path = '', ...fields] = row.map(String);
      return { path, fields };
    });
}

function ours(path: string): string[] {
  const { record, problems } = parseGemspec(readFileSync(path));
  assert.deepEqual(problems, [], path);
  return [record.name ?? '', record.version ?? '', record.platform ?? 'ruby', ...record.licenses];
}

describe('gemspec parser agrees with RubyGems', () => {
  it('on every gem installed on this machine', () => {
    const gems = ruby(
      `require 'json'; Gem::Specification.each { |s| puts JSON.generate([s.loaded_from, s.name, s.version.to_s, s.platform.to_s, *s.licenses]) }`,
    );
    assert.ok(gems.length >= 20, `only ${gems.length} gems: is Debian's ruby installed?`);
    for (const gem of gems) assert.deepEqual(ours(gem.path), gem.fields, gem.path);
  });

  it('on specs RubyGems writes with awkward values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-gemspec-'));
    try {
      const cases = [
        ['nokogiri', '1.15.4', 'x86_64-linux', ['MIT']],
        ['jruby-launcher', '1.1.2', 'java', []],
        ['pre_release-gem', '2.0.0.pre.rc1', 'x64-mingw-ucrt', ['Apache-2.0', 'GPL-2.0-or-later']],
        ['odd', '0.1', 'universal-darwin-22', ['Nonstandard "quoted" #{x} \\\\ caf\u00e9 \u{1F600} \x01\t']],
      ];
      const script = `require 'json'
JSON.parse(ARGV[0]).each do |name, version, platform, licenses|
  spec = Gem::Specification.new do |s|
    s.name = name; s.version = version; s.platform = platform; s.licenses = licenses
    s.summary = "x"; s.authors = ["x"]; s.files = []
  end
  path = File.join(ARGV[1], spec.full_name + ".gemspec")
  File.write(path, spec.to_ruby_for_cache)
  s = Gem::Specification.load(path)
  puts JSON.generate([path, s.name, s.version.to_s, s.platform.to_s, *s.licenses])
end`;
      const written = ruby(script, JSON.stringify(cases), dir);
      assert.equal(written.length, cases.length);
      for (const gem of written) assert.deepEqual(ours(gem.path), gem.fields, readFileSync(gem.path, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
