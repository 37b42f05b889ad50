#!/usr/bin/env node
// Runs every co-located `*.test.ts` under src/ (and the web UI's end-to-end tests in web/e2e/) with Node's built-in test runner (through tsx),
// so CI prints the runner's own summary. Node 20's `--test` takes no globs, hence this list.
// Usage: npm test [-- path-filter …]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function findTests(dir, out = []) {
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (d.name === 'node_modules' || d.name === 'testdata' || d.name.startsWith('.')) continue;
    const p = join(dir, d.name);
    if (d.isDirectory()) findTests(p, out);
    else if (d.name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

const filters = process.argv.slice(2);
const files = [...findTests(join(root, 'src')), ...findTests(join(root, 'web', 'e2e'))]
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
const args = [
  '--import',
  'tsx',
  '--test',
  '--test-timeout=600000',
  `--test-concurrency=${process.env.ASSAY_TEST_CONCURRENCY ?? 2}`,
];
if (!process.stdout.isTTY) args.push('--test-reporter=spec');
const r = spawnSync(process.execPath, [...args, ...files], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
