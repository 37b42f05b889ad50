import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { DEFAULT_MAX_ISSUES_PER_FILE } from '../../issue-list.js';
import { analyzeFiles, memoryFile } from '../../testkit.test.js';
import { yarnLock } from './analyzer.js';
import { MAX_LOCK_BYTES } from './parse.js';

const LOCK = 'app/yarn.lock';
const run = (content: string | Buffer) => analyzeFiles(yarnLock, [memoryFile(LOCK, content)]);
const block = (name: string, version: string): string => `${name}@^${version}:\n  version "${version}"\n\n`;
const names = (result: Awaited<ReturnType<typeof run>>) => result.packages.map((p) => p.name);

describe('yarn-lock analyzer: hostile input (v1)', () => {
  it('a truncated file keeps the complete blocks and reports the cut one', async () => {
    const result = await run(`${block('a', '1.0.0')}b@^2:\n  resolved "x`);
    assert.deepEqual(names(result), ['a']);
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.line]),
      [['missing-field', 4]],
    );
  });

  it('skips a 10 MB line and binary garbage with capped issues', async () => {
    const long = `  resolved "${'x'.repeat(10 * 1024 * 1024)}"\n`;
    const started = performance.now();
    const result = await run(
      `${block('a', '1.0.0')}b@^2:\n  version "2.0.0"\n${long}\n${block('c', '3.0.0')}`,
    );
    assert.ok(performance.now() - started < 2000);
    assert.deepEqual(names(result), ['a', 'b', 'c']);
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.line]),
      [['line-too-long', 6]],
    );
    const garbage = Buffer.concat([
      Buffer.from(block('a', '1.0.0')),
      randomBytes(256 * 1024),
      Buffer.from(`\n\n${block('z', '1.0.0')}`),
    ]);
    const noisy = await run(garbage);
    assert.equal(names(noisy)[0], 'a');
    assert.equal(names(noisy).at(-1), 'z');
    assert.ok(noisy.issues.length <= DEFAULT_MAX_ISSUES_PER_FILE + 1);
  });

  it('keeps a block with invalid UTF-8 and says so; rejects unreadable names', async () => {
    const bytes = Buffer.concat([
      Buffer.from(block('a', '1.0.0')),
      Buffer.from('b@^1:\n  version "1.0.0"\n  x "\xff"\n', 'latin1'),
    ]);
    const result = await run(bytes);
    assert.deepEqual(names(result), ['a', 'b']);
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.line]),
      [['invalid-utf8', 6]],
    );
    const bad = await run('noversionatall:\n  version "1"\n\n"../x@1":\n  version "1"\nstray line\n');
    assert.deepEqual(
      bad.issues.map((i) => [i.code, i.line]),
      [
        ['invalid-field', 1],
        ['malformed-record', 6],
        ['invalid-field', 4],
      ],
    );
  });

  it('refuses an oversized file; 50k blocks in bounded time', async () => {
    const huge = await run(Buffer.alloc(MAX_LOCK_BYTES + 1, 0x23));
    assert.deepEqual(
      huge.issues.map((i) => i.code),
      ['too-many-records'],
    );
    const text = Array.from({ length: 50_000 }, (_, i) => block(`p${i}`, '1.0.0')).join('');
    const started = performance.now();
    assert.equal((await run(text)).packages.length, 50_000);
    assert.ok(performance.now() - started < 10_000);
  });
});

describe('yarn-lock analyzer: hostile input (berry)', () => {
  it('invalid YAML, wrong shapes and entries without a resolution are issues', async () => {
    const broken = await run('__metadata:\n  version: 8\n"a@npm:1": [unclosed\n');
    assert.deepEqual(
      broken.issues.map((i) => i.code),
      ['malformed-record'],
    );
    const shapes = await run(
      '__metadata:\n  version: 8\n"a@npm:^1":\n  version: 1.0.0\n"b@npm:^1": 7\n"c@npm:^1":\n  resolution: "c@npm:1.0.0"\n',
    );
    assert.deepEqual(names(shapes), ['c']);
    assert.deepEqual(
      shapes.issues.map((i) => [i.code, i.line]),
      [
        ['missing-field', 3],
        ['malformed-record', 5],
      ],
    );
  });

  it('an alias bomb is not expanded (flow values are not what berry writes)', async () => {
    const lines = ['__metadata:', '  version: 8', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const started = performance.now();
    const result = await run(lines.join('\n'));
    assert.ok(performance.now() - started < 5000);
    assert.deepEqual(result.packages, []);
    assert.ok(result.issues.length >= 1);
  });

  it('deep nesting is an issue, not a crash', async () => {
    const deep = `__metadata:\n  version: 8\nx: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    const result = await run(deep);
    assert.deepEqual([result.packages, result.issues.map((i) => i.code)], [[], ['malformed-record']]);
  });

  it('50k berry entries in bounded time', async () => {
    const body = Array.from(
      { length: 50_000 },
      (_, i) =>
        `"p${i}@npm:^1":\n  version: 1.0.${i}\n  resolution: "p${i}@npm:1.0.${i}"\n  languageName: node\n\n`,
    );
    const started = performance.now();
    const result = await run(`__metadata:\n  version: 8\n\n${body.join('')}`);
    assert.equal(result.packages.length, 50_000);
    assert.ok(performance.now() - started < 10_000, `${performance.now() - started} ms`);
  });
});
