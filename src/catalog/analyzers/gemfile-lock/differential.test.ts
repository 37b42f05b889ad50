/**
 * Differential test against Bundler's own `Bundler::LockfileParser` (Debian's `ruby` ships
 * Bundler; it is installed by scripts/install-test-deps.sh, and without it this test fails rather
 * than skips): the fixtures must yield the same name, version and platform triples.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { testdata } from '../../testkit.test.js';
import { parseGemfileLock } from './parse.js';

const SCRIPT = `l = Bundler::LockfileParser.new(File.read(ARGV[0]))
l.specs.each { |s| puts [s.name, s.version.to_s, s.platform.to_s].join(" ") }`;

function bundler(lockfile: string): string[] {
  // LockfileParser wants a Gemfile to locate the app; an empty one in a scratch home is enough.
  const home = mkdtempSync(join(tmpdir(), 'assay-bundler-'));
  try {
    writeFileSync(join(home, 'Gemfile'), '');
    const env = { ...process.env, HOME: home, BUNDLE_GEMFILE: join(home, 'Gemfile') };
    const out = execFileSync('ruby', ['-rbundler', '-e', SCRIPT, '--', lockfile], { encoding: 'utf8', env });
    return out
      .split('\n')
      .filter((line) => line !== '')
      .sort();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

describe('gemfile-lock parser agrees with Bundler', () => {
  for (const name of ['steep', 'typeprof', 'platforms']) {
    it(`on testdata/${name}/Gemfile.lock`, () => {
      const path = testdata(import.meta.url, name, 'Gemfile.lock');
      const { gems, problems } = parseGemfileLock(readFileSync(path));
      assert.deepEqual(problems, []);
      const ours = gems.map((g) => `${g.name} ${g.version} ${g.platform ?? 'ruby'}`).sort();
      assert.deepEqual(ours, bundler(path));
    });
  }
});
