import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readKeyValue, unquote } from './yaml-lines.js';

describe('yaml-lines: the block subset of lock-file YAML', () => {
  it('reads plain, single- and double-quoted keys', () => {
    const cases: Array<[string, ReturnType<typeof readKeyValue>]> = [
      ['packages:', { indent: 0, key: 'packages', value: '' }],
      ["lockfileVersion: '9.0'", { indent: 0, key: 'lockfileVersion', value: "'9.0'" }],
      ['  /ms@2.1.3:', { indent: 2, key: '/ms@2.1.3', value: '' }],
      ["  '@types/node@20.19.43':", { indent: 2, key: '@types/node@20.19.43', value: '' }],
      ["  'it''s@1.0.0': {}", { indent: 2, key: "it's@1.0.0", value: '{}' }],
      ['"a@npm:^1, a@npm:^1.2":', { indent: 0, key: 'a@npm:^1, a@npm:^1.2', value: '' }],
      ['  resolution: "debug@npm:2.6.9"', { indent: 2, key: 'resolution', value: '"debug@npm:2.6.9"' }],
      ['  url: https://x.org/a:b', { indent: 2, key: 'url', value: 'https://x.org/a:b' }],
      ['- item', undefined],
      ['"unterminated:', undefined],
      ["'quoted' no colon", undefined],
      [':', undefined],
      ['no colon here', undefined],
    ];
    for (const [text, expected] of cases) assert.deepEqual(readKeyValue(text), expected, text);
  });

  it('unquotes scalars', () => {
    assert.equal(unquote('"a\\"b"'), 'a"b');
    assert.equal(unquote("'a''b'"), "a'b");
    assert.equal(unquote('plain'), 'plain');
    assert.equal(unquote('"broken'), undefined);
    assert.equal(unquote("'"), undefined);
  });
});
