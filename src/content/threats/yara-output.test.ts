import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCompileError, parseMatchLine, parseMeta, parseScanError, yaraHit } from './yara-output.js';

describe('parseMeta', () => {
  test('octal escapes are bytes of UTF-8 text, as yara 4.2 prints them', () => {
    assert.deepEqual(
      { ...parseMeta('d="\\303\\234n\\303\\257code \\342\\234\\223 it\\\'s \\001\\t"') },
      { d: "Ünïcode ✓ it's \x01\t" },
    );
  });
  test('a __proto__ key is just a key', () => {
    const meta = parseMeta('__proto__="x",constructor="y"');
    assert.deepEqual(Object.entries(meta ?? {}), [
      ['__proto__', 'x'],
      ['constructor', 'y'],
    ]);
  });
  test('strings with escapes, YARA 4.2 integers, booleans', () => {
    assert.deepEqual(
      { ...parseMeta('severity="low",description="has \\"quotes\\", a ] and\\n\\x41",n =5,ok=true') },
      { severity: 'low', description: 'has "quotes", a ] and\nA', n: '5', ok: 'true' },
    );
    assert.deepEqual({ ...parseMeta('') }, {});
    assert.deepEqual({ ...parseMeta('a="1",a="2"') }, { a: '1' });
  });
  for (const bad of ['a="unterminated', '="x"', 'a="x"b="y"', 'a="bad \\q escape"']) {
    test(`rejects ${JSON.stringify(bad)}`, () => assert.equal(parseMeta(bad), undefined));
  }
});

describe('parseMatchLine', () => {
  const prefix = '/spool dir/assay-yara-x/batch-0/';
  test('a match under a prefix holding spaces', () => {
    const m = parseMatchLine(
      `evil_rule [category="miner",description="x ] /spool dir/"] ${prefix}12`,
      prefix,
    );
    assert.equal(m?.file, '12');
    assert.equal(m?.match.rule, 'evil_rule');
    assert.deepEqual({ ...m?.match.meta }, { category: 'miner', description: 'x ] /spool dir/' });
    assert.deepEqual({ ...parseMatchLine(`plain [] ${prefix}0`, prefix)?.match.meta }, {});
  });
  test('anything else is not a match', () => {
    assert.equal(parseMatchLine('plain [] /elsewhere/0', prefix), undefined);
    assert.equal(parseMatchLine(`bad name [] ${prefix}0`, prefix), undefined);
    assert.equal(parseMatchLine(`r [a="x] ${prefix}0`, prefix), undefined);
  });
});

test('parseScanError', () => {
  assert.deepEqual(parseScanError('error scanning /s/b/3: scanning timed out', '/s/b/'), {
    file: '3',
    reason: 'scanning timed out',
  });
  assert.equal(parseScanError('error scanning /other/3: x', '/s/b/'), undefined);
});

test('parseCompileError: syntax and rule errors name file and line', () => {
  assert.deepEqual(parseCompileError('error: /r/a.yar(3): syntax error, unexpected identifier\n'), {
    file: '/r/a.yar',
    line: 3,
    message: 'syntax error, unexpected identifier',
  });
  assert.deepEqual(parseCompileError('error: rule "bad" in /r/b (1).yar(4): undefined string "$b"\n'), {
    file: '/r/b (1).yar',
    line: 4,
    message: 'rule "bad": undefined string "$b"',
  });
  assert.deepEqual(parseCompileError('something odd'), { message: 'something odd' });
});

test('yaraHit maps meta, with defaults', () => {
  assert.deepEqual(
    yaraHit({ rule: 'r1', meta: { severity: 'Medium', category: 'miner', description: 'XMRig' } }),
    {
      kind: 'threat',
      id: 'yara:r1',
      engine: 'yara',
      severity: 'medium',
      category: 'miner',
      title: 'XMRig',
      evidence: 'YARA rule r1',
    },
  );
  const plain = yaraHit({ rule: 'r2', meta: { severity: 'urgent' } });
  assert.equal(plain.severity, 'high');
  assert.equal(plain.category, 'yara');
  assert.equal(plain.title, 'r2');
});
