import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { DEFAULT_MAX_ISSUES_PER_FILE } from '../../issue-list.js';
import { analyzeFiles, memoryFile } from '../../testkit.test.js';
import { dpkgStatus } from './analyzer.js';

const STATUS = 'var/lib/dpkg/status';
const ok = (name: string): string => `Package: ${name}\nStatus: install ok installed\nVersion: 1.0-1\n`;

describe('dpkg-status analyzer: hostile input', () => {
  it('skips a 10 MB line with an issue and parses the rest', async () => {
    const long = `Description: ${'x'.repeat(10 * 1024 * 1024)}\n`;
    const bytes = Buffer.from(`${ok('before')}${long}\n${ok('after')}`);
    const started = performance.now();
    const result = await analyzeFiles(dpkgStatus, [memoryFile(STATUS, bytes)]);
    assert.ok(performance.now() - started < 2000, 'bounded time');
    assert.deepEqual(
      result.packages.map((p) => p.name),
      ['before', 'after'],
    );
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.line]),
      [['line-too-long', 4]],
    );
  });

  it('survives binary garbage between stanzas, with a capped number of issues', async () => {
    const garbage = randomBytes(1024 * 1024);
    const bytes = Buffer.concat([Buffer.from(`${ok('first')}\n`), garbage, Buffer.from(`\n\n${ok('last')}`)]);
    const result = await analyzeFiles(dpkgStatus, [memoryFile(STATUS, bytes)]);
    const names = result.packages.map((p) => p.name);
    assert.equal(names[0], 'first');
    assert.equal(names.at(-1), 'last');
    assert.ok(result.issues.length <= DEFAULT_MAX_ISSUES_PER_FILE + 1);
    assert.equal(result.issues.at(-1)?.code, 'issues-truncated');
  });

  it('keeps a package whose fields are not valid UTF-8, and says so', async () => {
    const latin1 = Buffer.from(`${ok('x')}Maintainer: Jos\xe9 <j@example.org>\n`, 'latin1');
    const result = await analyzeFiles(dpkgStatus, [memoryFile(STATUS, latin1)]);
    assert.equal(result.packages[0]?.name, 'x');
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.line, i.location?.path]),
      [['invalid-utf8', 4, STATUS]],
    );
  });

  it('reports stray lines', async () => {
    const bytes = Buffer.from(` leading continuation\n${ok('a')}no colon here\n`);
    const result = await analyzeFiles(dpkgStatus, [memoryFile(STATUS, bytes)]);
    assert.deepEqual(
      result.packages.map((p) => p.name),
      ['a'],
    );
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.line]),
      [
        ['malformed-record', 1],
        ['malformed-record', 5],
      ],
    );
  });

  it('is linear: 50k stanzas in bounded time', async () => {
    // The bound is loose (shared CI machines); a quadratic pass over 50k stanzas would take minutes.
    const text = Array.from({ length: 50_000 }, (_, i) => `${ok(`p${i}`)}Description: d\n long text\n`).join(
      '\n',
    );
    const started = performance.now();
    const result = await analyzeFiles(dpkgStatus, [memoryFile(STATUS, text)]);
    assert.equal(result.packages.length, 50_000);
    assert.ok(performance.now() - started < 15_000, `${performance.now() - started} ms`);
  });

  it('an unreadable file is an issue, not a failure of the group', async () => {
    const gone = {
      path: 'var/lib/dpkg/status.d/a',
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
    const result = await analyzeFiles(dpkgStatus, [gone, memoryFile('var/lib/dpkg/status.d/b', ok('b'))]);
    assert.deepEqual(
      result.packages.map((p) => p.name),
      ['b'],
    );
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.location?.path]),
      [['file-unreadable', 'var/lib/dpkg/status.d/a']],
    );
  });

  it('an empty or whitespace-only database has no packages and no issues', async () => {
    for (const text of ['', '\n\n   \n']) {
      const result = await analyzeFiles(dpkgStatus, [memoryFile(STATUS, text)]);
      assert.deepEqual([result.packages, result.issues], [[], []]);
    }
  });
});
