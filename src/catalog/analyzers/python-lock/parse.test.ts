import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { DEFAULT_MAX_ISSUES_PER_FILE } from '../../issue-list.js';
import { analyzeFiles, memoryFile } from '../../testkit.test.js';
import { pythonLock } from './analyzer.js';
import { parsePipfileLock } from './parse-pipfile.js';
import { parsePoetryLock } from './parse-poetry.js';
import { parseRequirements, pinnedRequirement } from './parse-requirements.js';

const pairs = (parsed: { records: { name: string; version: string }[] }) =>
  parsed.records.map((r) => `${r.name}@${r.version}`);
const codes = (parsed: { problems: { code: string; line?: number }[] }) =>
  parsed.problems.map((p) => [p.code, p.line]);

describe('requirements files', () => {
  it('takes exact pins only', () => {
    const table: Array<[string, string | undefined]> = [
      ['a==1.0', 'a@1.0'],
      ['A_b.c == 2.0.post1+local', 'A_b.c@2.0.post1+local'],
      ['x[y,z]==3', 'x@3'],
      ['x===legacy-1', 'x@legacy-1'],
      ['x==1 ; python_version < "3"', 'x@1'],
      ['x==1 --hash=sha256:00 --hash=sha256:11', 'x@1'],
      ['x==1 # pinned', 'x@1'],
      ['x==1#not-a-comment', undefined],
      ['# x==1', undefined],
      ['x>=1', undefined],
      ['x==1.*', undefined],
      ['x==1,<2', undefined],
      ['x~=1.0', undefined],
      ['x!=1', undefined],
      ['x<=1', undefined],
      ['x', undefined],
      ['-r other.txt', undefined],
      ['--requirement=other.txt', undefined],
      ['-e .', undefined],
      ['x @ https://example.org/x-1.whl', undefined],
      ['.x==1', undefined],
      ['x.==1', undefined],
      ['', undefined],
    ];
    for (const [line, expected] of table) {
      const got = pinnedRequirement(line);
      assert.equal(got && `${got.name}@${got.version}`, expected, line);
    }
  });

  it('joins continuation lines and numbers records by their first line; CRLF works', () => {
    const text = 'a==1 \\\r\n  --hash=sha256:00\r\n\r\nb\\\r\n==2\r\nc==3 \\';
    const parsed = parseRequirements(Buffer.from(text));
    assert.deepEqual(
      parsed.records.map((r) => [r.name, r.version, r.line]),
      [
        ['a', '1', 1],
        ['b', '2', 4],
        ['c', '3', 6],
      ],
    );
  });

  it('reports binary, over-long and non-UTF-8 lines, and reads the rest in bounded time', () => {
    const bytes = Buffer.concat([
      Buffer.from('a==1\n'),
      Buffer.from([0x62, 0x3d, 0x3d, 0x00, 0x0a]),
      Buffer.from(`c==${'1'.repeat(1024 * 1024)}\n`),
      Buffer.from([0x64, 0xe9, 0x3d, 0x3d, 0x31, 0x0a]),
      Buffer.from('e==5\n'),
    ]);
    const started = performance.now();
    const parsed = parseRequirements(bytes);
    assert.deepEqual(pairs(parsed), ['a@1', 'e@5']);
    assert.deepEqual(codes(parsed), [
      ['binary-content', 2],
      ['line-too-long', 3],
      ['invalid-utf8', 4],
    ]);
    assert.ok(performance.now() - started < 2000);
  });

  it('is linear: 100k pins', () => {
    const text = Array.from({ length: 100_000 }, (_, i) => `p${i}==1.${i} --hash=sha256:00`).join('\n');
    const started = performance.now();
    assert.equal(parseRequirements(Buffer.from(text)).records.length, 100_000);
    assert.ok(performance.now() - started < 5000);
  });
});

describe('Pipfile.lock', () => {
  it('reports wrong shapes and keeps every good entry', () => {
    const doc = {
      default: {
        good: { version: '==1.0' },
        range: { version: '>=1.0' },
        nover: { hashes: [] },
        num: { version: 1 },
        arr: ['==1'],
        'bad name': { version: '==1' },
        local: { path: './x', editable: true },
      },
      develop: 'nope',
    };
    const parsed = parsePipfileLock(Buffer.from(JSON.stringify(doc)));
    assert.deepEqual(pairs(parsed), ['good@1.0']);
    assert.deepEqual(
      parsed.problems.map((p) => p.code),
      [
        'invalid-field',
        'missing-field',
        'invalid-field',
        'malformed-record',
        'invalid-field',
        'invalid-field',
      ],
    );
  });

  it('turns truncated JSON, non-objects and deep nesting into one issue each', () => {
    const cases = [
      '{"default": {"a": {"version": "==1"',
      '[]',
      '"x"',
      '',
      `${'['.repeat(200_000)}${']'.repeat(200_000)}`,
    ];
    for (const text of cases) {
      const parsed = parsePipfileLock(Buffer.from(text));
      assert.deepEqual(
        [parsed.records, parsed.problems.map((p) => p.code)],
        [[], ['malformed-record']],
        text.slice(0, 20),
      );
    }
    const nul = parsePipfileLock(Buffer.from('{"default": {}}\u0000'));
    assert.deepEqual(
      nul.problems.map((p) => p.code),
      ['binary-content', 'malformed-record'],
    );
  });
});

describe('poetry.lock', () => {
  it('reports bad package tables and keeps the good ones', () => {
    const text = [
      '[[package]]\nname = "ok"\nversion = "1.0"\n',
      '[[package]]\nname = "noversion"\n',
      '[[package]]\nname = "bad name"\nversion = "1"\n',
      '[[package]]\nname = 7\nversion = "1"\n',
      '[metadata]\nlock-version = "2.0"\n',
    ].join('\n');
    const parsed = parsePoetryLock(Buffer.from(text));
    assert.deepEqual(pairs(parsed), ['ok@1.0']);
    assert.deepEqual(
      parsed.problems.map((p) => p.code),
      ['missing-field', 'invalid-field', 'missing-field'],
    );
    const shape = parsePoetryLock(Buffer.from('package = "x"\n'));
    assert.deepEqual(codes(shape), [['invalid-field', undefined]]);
    assert.deepEqual(codes(parsePoetryLock(Buffer.from('[metadata]\n'))), []);
  });

  it('falls back to a line scan for a truncated file, with the TOML error located', () => {
    const text =
      '[[package]]\nname = "a"\nversion = "1.0"\n\n[package.extras]\nx = ["y"]\n\n[[package]]\nname = "b"\nversion = "2.0"\nfiles = [\n  {file = "b.whl", hash = "sha256:0';
    const parsed = parsePoetryLock(Buffer.from(text));
    assert.deepEqual(
      parsed.records.map((r) => [r.name, r.version, r.line]),
      [
        ['a', '1.0', 1],
        ['b', '2.0', 8],
      ],
    );
    assert.equal(parsed.problems.length, 1);
    assert.equal(parsed.problems[0]!.code, 'malformed-record');
    assert.equal(typeof parsed.problems[0]!.line, 'number');
  });

  it('is linear enough: 5k package tables', () => {
    const text = Array.from(
      { length: 5_000 },
      (_, i) => `[[package]]\nname = "p${i}"\nversion = "1.${i}"\n`,
    ).join('\n');
    const started = performance.now();
    assert.equal(parsePoetryLock(Buffer.from(text)).records.length, 5_000);
    assert.ok(performance.now() - started < 10_000);
  });

  it('rejects hostile nesting and garbage without throwing', () => {
    const deep = `x = ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    for (const bytes of [
      Buffer.from(deep),
      randomBytes(64 * 1024),
      Buffer.from('[[package]]\nname = "a\n'),
    ]) {
      const parsed = parsePoetryLock(bytes);
      assert.deepEqual(parsed.records, []);
      assert.ok(parsed.problems.some((p) => p.code === 'malformed-record'));
    }
  });
});

describe('python-lock analyzer: issues', () => {
  it('caps the issues of a garbage requirements file and locates them', async () => {
    const bytes = Buffer.concat([Buffer.from('a==1\n'), randomBytes(512 * 1024)]);
    const result = await analyzeFiles(pythonLock, [memoryFile('app/requirements.txt', bytes)]);
    assert.equal(result.packages[0]?.name, 'a');
    assert.ok(result.issues.length <= DEFAULT_MAX_ISSUES_PER_FILE + 1);
    assert.ok(result.issues.every((i) => i.location?.path === 'app/requirements.txt'));
  });

  it('lists a release once per file, however often it is pinned', async () => {
    const result = await analyzeFiles(pythonLock, [
      memoryFile('requirements.txt', 'a==1\nA==1\nA_==1\na==2\n'),
    ]);
    assert.deepEqual(
      result.packages.map((p) => `${p.name}@${p.version}`),
      ['a@1', 'a@2'],
    );
  });
});
