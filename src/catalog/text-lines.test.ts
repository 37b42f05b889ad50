import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IssueList } from './issue-list.js';
import { splitLines } from './text-lines.js';

const lines = (bytes: Buffer, max?: number) =>
  [...splitLines(bytes, max)].map((l) => [l.number, l.text, l.problem]);

describe('splitLines', () => {
  it('splits LF and CRLF text, with or without a final newline', () => {
    assert.deepEqual(lines(Buffer.from('a\r\nb\n\nc')), [
      [1, 'a', undefined],
      [2, 'b', undefined],
      [3, '', undefined],
      [4, 'c', undefined],
    ]);
    assert.deepEqual(lines(Buffer.from('')), []);
  });

  it('flags invalid UTF-8, NUL bytes and over-long lines, per line', () => {
    const bytes = Buffer.concat([
      Buffer.from('ok\n'),
      Buffer.from([0x61, 0xff, 0x0a]),
      Buffer.from([0x62, 0x00, 0x63, 0x0a]),
      Buffer.from(`${'x'.repeat(20)}\nend`),
    ]);
    assert.deepEqual(lines(bytes, 10), [
      [1, 'ok', undefined],
      [2, 'a\ufffd', 'invalid-utf8'],
      [3, '', 'binary-content'],
      [4, '', 'line-too-long'],
      [5, 'end', undefined],
    ]);
  });

  it('measures the limit in UTF-8 bytes on clean text too', () => {
    assert.deepEqual(lines(Buffer.from('ééééé\n'), 9), [[1, '', 'line-too-long']]);
    assert.deepEqual(lines(Buffer.from('éééé\n'), 9), [[1, 'éééé', undefined]]);
  });
});

describe('IssueList', () => {
  it('keeps the first issues and summarises the rest', () => {
    const location = { layerDiffId: 'd', layerIndex: 0, path: 'p', evidence: 'primary' } as const;
    const list = new IssueList(location, 2);
    for (let i = 1; i <= 5; i++) list.add('malformed-record', `bad ${i}`, i);
    assert.equal(list.count, 5);
    assert.deepEqual(
      list.toArray().map((i) => [i.code, i.message, i.line]),
      [
        ['malformed-record', 'p: bad 1', 1],
        ['malformed-record', 'p: bad 2', 2],
        ['issues-truncated', 'p: 3 more issues not listed', undefined],
      ],
    );
  });
});
