import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFiles, memoryFile } from '../../testkit.test.js';
import { npmPackageJson } from './analyzer.js';
import { MAX_PACKAGE_JSON_BYTES } from './parse.js';

const at = (name: string): string => `node_modules/${name}/package.json`;
const good = memoryFile(at('ok'), '{"name":"ok","version":"1.0.0"}');

async function issuesOf(content: string | Buffer): Promise<Array<[string, number | undefined]>> {
  const result = await analyzeFiles(npmPackageJson, [memoryFile(at('bad'), content), good]);
  assert.deepEqual(
    result.packages.map((p) => p.name),
    ['ok'],
  );
  return result.issues.map((i) => [i.code, i.line]);
}

describe('npm-package-json analyzer: hostile input', () => {
  it('reports truncated JSON with its line and keeps the other files', async () => {
    assert.deepEqual(await issuesOf('{\n  "name": "bad",\n  "version": "1.'), [['malformed-record', 3]]);
  });

  it('reports wrong shapes', async () => {
    assert.deepEqual(await issuesOf('[1,2]'), [['malformed-record', undefined]]);
    assert.deepEqual(await issuesOf('null'), [['malformed-record', undefined]]);
    assert.deepEqual(await issuesOf('{"name":7,"version":"1"}'), [['missing-field', undefined]]);
    assert.deepEqual(await issuesOf('{"name":"x","version":{"a":1}}'), [['missing-field', undefined]]);
    assert.deepEqual(await issuesOf('{"name":"../../etc","version":"1"}'), [['invalid-field', undefined]]);
    assert.deepEqual(await issuesOf('{"name":"x","version":"1 .0\\n"}'), [['invalid-field', undefined]]);
  });

  it('reads invalid UTF-8 with replacement characters and says so', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"name":"latin","version":"1.0.0","description":"Jos'),
      Buffer.from([0xe9]),
      Buffer.from('"}'),
    ]);
    const result = await analyzeFiles(npmPackageJson, [memoryFile(at('latin'), bytes)]);
    assert.equal(result.packages[0]?.name, 'latin');
    assert.deepEqual(
      result.issues.map((i) => i.code),
      ['invalid-utf8'],
    );
  });

  it('refuses an oversized file without parsing it, and binary garbage', async () => {
    const huge = Buffer.alloc(MAX_PACKAGE_JSON_BYTES + 1, 0x20);
    assert.deepEqual(await issuesOf(huge), [['too-many-records', undefined]]);
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const codes = (await issuesOf(garbage)).map(([code]) => code);
    assert.deepEqual(codes, ['invalid-utf8', 'malformed-record']);
  });

  it('survives deep nesting in bounded time', async () => {
    const depth = 500_000;
    const deep = `{"name":"deep","version":"1.0.0","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const started = performance.now();
    const result = await analyzeFiles(npmPackageJson, [memoryFile(at('deep'), deep)]);
    assert.ok(performance.now() - started < 5000);
    // Either parsed or reported: never a throw.
    assert.ok(result.packages.length + result.issues.length >= 1);
  });

  it('an unreadable file is an issue', async () => {
    const gone = {
      path: at('gone'),
      content: {
        size: 1,
        read: async () => {
          throw new Error('spill file deleted');
        },
        stream: () => {
          throw new Error('x');
        },
      },
    };
    const result = await analyzeFiles(npmPackageJson, [gone, good]);
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.location?.path]),
      [['file-unreadable', at('gone')]],
    );
  });
});
