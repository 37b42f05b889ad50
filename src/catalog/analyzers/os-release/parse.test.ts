import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseKeyValueFile, unquote } from './parse.js';

describe('os-release syntax', () => {
  it('unquotes shell words as the spec describes', () => {
    assert.deepEqual(unquote('"Debian GNU/Linux 12 (bookworm)"'), { text: 'Debian GNU/Linux 12 (bookworm)' });
    assert.deepEqual(unquote("'single $quoted'"), { text: 'single $quoted' });
    assert.deepEqual(unquote('"a \\"b\\" \\$c \\\\ \\n"'), { text: 'a "b" $c \\ \\n' });
    assert.deepEqual(unquote('bare\\ word'), { text: 'bare word' });
    assert.deepEqual(unquote('fedora'), { text: 'fedora' });
    assert.deepEqual(unquote('""'), { text: '' });
    assert.equal(unquote('"open').error, 'unterminated double quote');
    assert.equal(unquote("'open").error, 'unterminated single quote');
    assert.deepEqual(unquote('"x" # comment'), { text: 'x' });
  });

  it('skips comments and blank lines, and lets a later assignment win', () => {
    const parsed = parseKeyValueFile(Buffer.from('# c\n\n  ID=one\r\nID=two\n'));
    assert.deepEqual([...parsed.fields], [['ID', 'two']]);
    assert.deepEqual(parsed.problems, []);
  });

  it('is linear on hostile input', () => {
    const line = `VERSION="${' ('.repeat(100_000)}"\n`;
    const started = performance.now();
    const parsed = parseKeyValueFile(Buffer.from(line.repeat(5)));
    assert.equal(parsed.fields.size, 1);
    assert.ok(performance.now() - started < 2000);
  });
});
