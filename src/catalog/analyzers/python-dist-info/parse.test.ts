import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DEFAULT_MAX_ISSUES_PER_FILE } from '../../issue-list.js';
import { analyzeFiles, memoryFile, testdata } from '../../testkit.test.js';
import { pythonDistInfo } from './analyzer.js';
import { headerEnd, MAX_HEADER_BYTES, parseCoreMetadata } from './parse.js';

const PATH = 'usr/lib/python3/dist-packages/x-1.0.dist-info/METADATA';
const run = (content: string | Buffer) => analyzeFiles(pythonDistInfo, [memoryFile(PATH, content)]);
const codes = (issues: { code: string; line?: number }[]) => issues.map((i) => [i.code, i.line]);

describe('python core metadata: header and body', () => {
  it('stops at the first empty line: the real blinker description body is never parsed', () => {
    const path = 'image/usr/local/lib/python3.11/site-packages/blinker-1.9.0.dist-info/METADATA';
    const bytes = readFileSync(testdata(import.meta.url, ...path.split('/')));
    const end = headerEnd(bytes);
    assert.ok(end < bytes.length && bytes.subarray(end).toString().includes('# Blinker'));
    const parsed = parseCoreMetadata(bytes);
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.metadata.fields.get('name'), 'blinker');
  });

  it('a whitespace-only line continues a field (the real libcst licence text); License falls back', () => {
    const path = 'image/usr/local/lib/python3.11/site-packages/libcst-1.0.1.dist-info/METADATA';
    const parsed = parseCoreMetadata(readFileSync(testdata(import.meta.url, ...path.split('/'))));
    assert.deepEqual(parsed.problems, []);
    assert.match(parsed.metadata.fields.get('license') ?? '', /^All contributions.*\n\nSome Python files/s);
    assert.deepEqual(parsed.metadata.licenseClassifiers, ['License :: OSI Approved :: MIT License']);
  });

  it('reads CRLF files, case-insensitive names, and a body that looks like fields', async () => {
    const text =
      'metadata-version: 2.1\r\nNAME: Foo_Bar.baz\r\nversion: 2.0rc1\r\n\r\nVersion: 9\r\nName: evil\r\n';
    const result = await run(text);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.map((p) => [p.name, p.version, p.purl]),
      [['Foo_Bar.baz', '2.0rc1', 'pkg:pypi/foo-bar-baz@2.0rc1']],
    );
  });

  it('picks License-Expression, then License, then classifiers; UNKNOWN is no licence', async () => {
    const base = 'Name: a\nVersion: 1\n';
    const cases: Array<[string, string[]]> = [
      ['License-Expression: MIT OR Apache-2.0\nLicense: BSD\n', ['MIT OR Apache-2.0']],
      ['License: UNKNOWN\nClassifier: License :: OSI Approved :: BSD License\n', ['BSD License']],
      [
        'License: \nClassifier: License :: OSI Approved\nClassifier: License :: Public Domain\n',
        ['Public Domain'],
      ],
      ['Classifier: Topic :: License :: X\n', []],
      ['', []],
    ];
    for (const [fields, licenses] of cases) {
      const result = await run(`${base}${fields}`);
      assert.deepEqual(result.packages[0]?.licenses, licenses, fields);
    }
  });
});

describe('python core metadata: bad input', () => {
  it('reports missing or invalid Name and Version without a package', async () => {
    const cases: Array<[string, string]> = [
      ['Version: 1\n', 'missing-field'],
      ['Name: a\n', 'missing-field'],
      ['Name: a b\nVersion: 1\n', 'invalid-field'],
      ['Name: -a\nVersion: 1\n', 'invalid-field'],
      ['Name: a\nVersion: 1 2\n', 'invalid-field'],
      ['', 'missing-field'],
      ['\nName: a\nVersion: 1\n', 'missing-field'],
    ];
    for (const [text, code] of cases) {
      const result = await run(text);
      assert.deepEqual(result.packages, [], text);
      assert.deepEqual(
        result.issues.map((i) => i.code),
        [code],
        text,
      );
    }
  });

  it('keeps a package whose header has invalid UTF-8 and stray lines, and says where', async () => {
    const bytes = Buffer.concat([
      Buffer.from('Name: ok\nAuthor: Jos'),
      Buffer.from([0xe9]),
      Buffer.from('\nno colon here\nVersion: 1\nName: ok2\n'),
    ]);
    const result = await run(bytes);
    assert.deepEqual(
      result.packages.map((p) => p.name),
      ['ok2'],
    );
    assert.deepEqual(codes(result.issues), [
      ['invalid-utf8', 2],
      ['malformed-record', 3],
      ['malformed-record', 5],
    ]);
  });

  it('skips an over-long line, caps a 10 MB header, ignores a 10 MB body, in bounded time', async () => {
    const started = performance.now();
    const long = await run(`Name: a\nSummary: ${'x'.repeat(512 * 1024)}\nVersion: 1\n`);
    assert.deepEqual(long.packages[0]?.version, '1');
    assert.deepEqual(codes(long.issues), [['line-too-long', 2]]);
    const giant = await run(`Name: a\nSummary: ${'x'.repeat(10 * 1024 * 1024)}\nVersion: 1\n`);
    assert.deepEqual(codes(giant.issues), [
      ['malformed-record', undefined],
      ['line-too-long', 2],
      ['missing-field', undefined],
    ]);
    const body = await run(`Name: a\nVersion: 1\n\n${'\u0000garbage'.repeat(1024 * 1024)}`);
    assert.deepEqual([body.packages.length, body.issues], [1, []]);
    const lines = `Name: a\nVersion: 1\n${'Classifier: License :: A\n'.repeat(60_000)}`;
    const capped = parseCoreMetadata(Buffer.from(lines));
    assert.ok(Buffer.byteLength(lines) > MAX_HEADER_BYTES);
    assert.equal(capped.problems[0]?.code, 'malformed-record');
    assert.deepEqual(capped.metadata.licenseClassifiers.length < 60_000, true);
    assert.ok(performance.now() - started < 5000);
  });

  it('survives binary garbage with a capped number of issues', async () => {
    const bytes = Buffer.concat([
      Buffer.from('Name: a\nVersion: 1\n'),
      randomBytes(256 * 1024).map((b) => b | 1),
    ]);
    const result = await run(bytes);
    assert.ok(result.issues.length <= DEFAULT_MAX_ISSUES_PER_FILE + 1);
  });

  it('an unreadable file is an issue', async () => {
    const gone = {
      path: PATH,
      content: {
        size: 1,
        read: async () => Promise.reject(new Error('spill file deleted')),
        stream: () => {
          throw new Error('x');
        },
      },
    };
    const result = await analyzeFiles(pythonDistInfo, [gone]);
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.location?.path]),
      [['file-unreadable', PATH]],
    );
  });
});
