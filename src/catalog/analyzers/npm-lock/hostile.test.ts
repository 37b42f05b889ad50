import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFiles, memoryFile } from '../../testkit.test.js';
import { npmLock } from './analyzer.js';
import { MAX_V1_DEPTH } from './parse.js';

const LOCK = 'app/package-lock.json';
const run = (content: string | Buffer) => analyzeFiles(npmLock, [memoryFile(LOCK, content)]);
const codes = async (content: string | Buffer) => (await run(content)).issues.map((i) => [i.code, i.line]);

describe('npm-lock analyzer: hostile input', () => {
  it('truncated JSON is one located issue', async () => {
    assert.deepEqual(await codes('{\n"lockfileVersion": 3,\n"packages": {\n"node_modules/a": {"ver'), [
      ['malformed-record', 4],
    ]);
  });

  it('wrong shapes are issues, good entries around them are kept', async () => {
    assert.deepEqual(await codes('"just a string"'), [['malformed-record', undefined]]);
    assert.deepEqual(await codes('{"packages": []}'), [['invalid-field', undefined]]);
    assert.deepEqual(await codes('{"dependencies": 5}'), [['invalid-field', undefined]]);
    const result = await run(
      JSON.stringify({
        packages: {
          'node_modules/a': 'x',
          'node_modules/b': { version: 7 },
          'node_modules/c': { version: '1.0.0' },
          'node_modules/d': { name: '../../etc', version: '1.0.0' },
          'node_modules/e': { version: 'a b' },
        },
      }),
    );
    assert.deepEqual(
      result.packages.map((p) => p.name),
      ['c'],
    );
    assert.deepEqual(
      result.issues.map((i) => i.code),
      ['malformed-record', 'missing-field', 'invalid-field', 'invalid-field'],
    );
  });

  it('v1 nesting deeper than the cap is reported, not recursed into', async () => {
    let deps: Record<string, unknown> = { leaf: { version: '1.0.0' } };
    for (let i = 0; i < MAX_V1_DEPTH + 50; i++)
      deps = { [`p${i}`]: { version: '1.0.0', dependencies: deps } };
    const result = await run(JSON.stringify({ lockfileVersion: 1, dependencies: deps }));
    assert.equal(result.packages.length, MAX_V1_DEPTH);
    assert.deepEqual(
      result.issues.map((i) => i.code),
      ['too-many-records'],
    );
  });

  it('invalid UTF-8 is reported, the lock still read', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"packages":{"node_modules/a":{"version":"1.0.0","description":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}}}'),
    ]);
    const result = await run(bytes);
    assert.deepEqual(
      result.packages.map((p) => p.name),
      ['a'],
    );
    assert.deepEqual(
      result.issues.map((i) => i.code),
      ['invalid-utf8'],
    );
  });

  it('a 50k-entry lock in bounded time, and a giant line does not matter to JSON', async () => {
    const packages: Record<string, unknown> = {};
    for (let i = 0; i < 50_000; i++) packages[`node_modules/p${i}`] = { version: `1.0.${i}`, license: 'MIT' };
    packages['node_modules/big'] = { version: '1.0.0', description: 'x'.repeat(5 * 1024 * 1024) };
    const started = performance.now();
    const result = await run(JSON.stringify({ lockfileVersion: 3, packages }));
    assert.equal(result.packages.length, 50_001);
    assert.ok(performance.now() - started < 10_000, `${performance.now() - started} ms`);
  });
});
