import assert from 'node:assert/strict';
import { test } from 'node:test';
import { feedLines } from './lines.js';

async function collect(chunks: string[], max = 8) {
  const out = [];
  async function* source() {
    for (const c of chunks) yield Buffer.from(c);
  }
  for await (const line of feedLines(source(), max)) out.push(line);
  return out;
}

test('lines across chunks, CRLF, no final newline', async () => {
  const expected = [
    { number: 1, text: 'ab' },
    { number: 2, text: 'cde' },
    { number: 3, text: '' },
    { number: 4, text: 'f' },
  ];
  assert.deepEqual(await collect(['ab\r\ncde\n\nf']), expected);
  assert.deepEqual(await collect(['a', 'b\r', '\nc', 'de\n', '\nf']), expected);
});

test('a line over the limit is flagged, not buffered; the next line is intact', async () => {
  assert.deepEqual(await collect(['123456', '789', '0\nok\n123456789']), [
    { number: 1, text: '', tooLong: true },
    { number: 2, text: 'ok' },
    { number: 3, text: '', tooLong: true },
  ]);
  assert.deepEqual(await collect(['12345678\n']), [{ number: 1, text: '12345678' }]);
});
