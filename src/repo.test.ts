import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const root = new URL('..', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), 'utf8');

test('README opens with exactly two set-up commands, and CI runs the second verbatim', () => {
  const readme = read('README.md');
  const head = readme.slice(0, readme.indexOf('\n## '));
  const blocks = [...head.matchAll(/```sh\n([^`]*)```/g)].map((m) => m[1]!.trim());
  assert.equal(blocks.length, 2, 'two set-up commands before the first section');
  assert.ok(
    blocks.every((b) => !b.includes('\n')),
    'each set-up command is one line',
  );
  const ci = read('.ci/run').trim().split('\n');
  assert.equal(ci.at(-1), blocks[1], '.ci/run ends with the README test command');
});

test('package.json bin and exports point at built files', () => {
  const pkg = JSON.parse(read('package.json')) as {
    bin: Record<string, string>;
    exports: Record<string, { default: string }>;
  };
  assert.equal(pkg.bin.assay, 'bin/assay');
  assert.match(read('bin/assay'), /dist\/cli\/bin\.js/);
  assert.equal(pkg.exports['.']?.default, './dist/index.js');
});
