import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { DEFAULT_MAX_ISSUES_PER_FILE } from '../../issue-list.js';
import { analyzeFiles, memoryFile } from '../../testkit.test.js';
import { pnpmLock } from './analyzer.js';
import { MAX_LOCK_BYTES } from './parse.js';

const LOCK = 'app/pnpm-lock.yaml';
const run = (content: string | Buffer) => analyzeFiles(pnpmLock, [memoryFile(LOCK, content)]);
const codes = async (content: string | Buffer) => (await run(content)).issues.map((i) => i.code);

describe('pnpm-lock analyzer: hostile input', () => {
  it('truncated, garbage and wrong-shape files are issues', async () => {
    const cut = await run("lockfileVersion: '9.0'\npackages:\n  ms@2.1.3:\n    resolution: {integrity: sha");
    assert.deepEqual(
      cut.packages.map((p) => p.name),
      ['ms'],
    );
    const garbage = await codes(randomBytes(64 * 1024));
    assert.ok(garbage.length >= 1 && garbage.length <= DEFAULT_MAX_ISSUES_PER_FILE + 1);
    assert.deepEqual(await codes('- a\n- b\n'), ['malformed-record', 'malformed-record']);
    assert.deepEqual(await codes("lockfileVersion: '9.0'\npackages: [1, 2]\n"), ['invalid-field']);
    assert.deepEqual(await codes("lockfileVersion: '9.0'\npackages: {}\n"), []);
    assert.deepEqual(await codes(''), []);
    const long = await run(`packages:\n  a@1.0.0:\n    x: ${'y'.repeat(10 * 1024 * 1024)}\n  b@1.0.0:\n`);
    assert.deepEqual(
      long.packages.map((p) => p.name),
      ['a', 'b'],
    );
    assert.deepEqual(
      long.issues.map((i) => [i.code, i.line]),
      [['line-too-long', 3]],
    );
  });

  it('bad ids are reported, good ones kept', async () => {
    const result = await run(
      "lockfileVersion: '9.0'\npackages:\n  nover: {}\n  bad name@1.0.0: {}\n  ok@1.0.0: {}\n",
    );
    assert.deepEqual(
      result.packages.map((p) => p.name),
      ['ok'],
    );
    assert.deepEqual(
      result.issues.map((i) => i.code),
      ['invalid-field', 'invalid-field'],
    );
  });

  it('invalid UTF-8 elsewhere in the file does not lose packages', async () => {
    const bytes = Buffer.concat([
      Buffer.from("lockfileVersion: '9.0'\npackages:\n  ok@1.0.0:\n    description: '"),
      Buffer.from([0xc3, 0x28]),
      Buffer.from("'\n"),
    ]);
    assert.deepEqual(
      (await run(bytes)).packages.map((p) => p.name),
      ['ok'],
    );
  });

  it('refuses an oversized file, flow-style aliases and deep nesting', async () => {
    assert.deepEqual(await codes(Buffer.alloc(MAX_LOCK_BYTES + 1, 0x20)), ['too-many-records']);
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    lines.push('packages: *a11');
    const started = performance.now();
    const bomb = await run(lines.join('\n'));
    assert.deepEqual([bomb.packages, bomb.issues.map((i) => i.code)], [[], ['invalid-field']]);
    assert.ok(performance.now() - started < 5000);
    const deep = await run(`packages: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    assert.deepEqual(deep.packages, []);
  });

  it('50k packages in bounded time', async () => {
    const body = Array.from(
      { length: 50_000 },
      (_, i) => `  p${i}@1.0.${i}:\n    resolution: {integrity: sha512-x}\n`,
    );
    const started = performance.now();
    const result = await run(`lockfileVersion: '9.0'\npackages:\n${body.join('')}`);
    assert.equal(result.packages.length, 50_000);
    assert.ok(performance.now() - started < 15_000, `${performance.now() - started} ms`);
  });
});
