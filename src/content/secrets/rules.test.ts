import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkRegexSafety } from './regex-safety.js';
import { builtinRules, MAX_MATCH_LENGTH } from './rules.js';
import { badChecksum, githubToken, jwt } from './testing/tokens.js';
import { crc32, hasValidGithubChecksum, isSignedJwt, toBase62 } from './verify.js';

describe('built-in rules', () => {
  it('have unique kebab-case ids, lower-case keywords and global regexes', () => {
    assert.equal(new Set(builtinRules.map((r) => r.id)).size, builtinRules.length);
    for (const rule of builtinRules) {
      assert.match(rule.id, /^[a-z0-9-]+$/);
      assert.ok(rule.keywords.length > 0, rule.id);
      for (const k of rule.keywords) assert.equal(k, k.toLowerCase(), rule.id);
      assert.ok(rule.regex.global, rule.id);
    }
  });

  it('pass the linear-time check with a bounded match length', () => {
    for (const rule of builtinRules) {
      const check = checkRegexSafety(rule.regex.source, rule.regex.flags);
      assert.ok(check.ok, `${rule.id}: ${check.ok ? '' : check.reason}`);
      assert.ok(check.maxLength < MAX_MATCH_LENGTH, rule.id);
    }
  });
});

describe('checkRegexSafety', () => {
  const rejected: [string, RegExp][] = [
    ['(a+)+', /nested quantifier/],
    ['(.*)*', /nested quantifier/],
    ['(?:x{1,9}){1,9}', /nested quantifier/],
    ['(a|a)*', /repeated alternation/],
    ['(?:ab|ac){1,8}', /repeated alternation/],
    ['(a)\\1', /back-references/],
    ['key=[a-z]+', /unbounded repetition '\+'/],
    ['key=.{3,}', /unbounded repetition/],
    ['[a-z]{9000}[a-z]{9000}', /more than the limit/],
    ['(unclosed', /does not compile/],
  ];
  for (const [source, reason] of rejected) {
    it(`rejects ${source}`, () => {
      const check = checkRegexSafety(source);
      assert.equal(check.ok, false);
      assert.match(check.ok ? '' : check.reason, reason);
    });
  }

  it('accepts bounded, unnested patterns and reports their longest match', () => {
    assert.deepEqual(checkRegexSafety('acme_(?:live|test)_[a-z0-9]{32}(?![a-z])'), {
      ok: true,
      maxLength: 42,
    });
    assert.deepEqual(checkRegexSafety('(?:ab|cd){1,4}\\b[\\]x]?'), { ok: true, maxLength: 9 });
  });
});

describe('verifiers', () => {
  it('computes the zlib CRC-32', () => {
    assert.equal(crc32('123456789'), 0xcbf43926);
    assert.equal(toBase62(61, 2), '0z');
  });

  it('accepts GitHub tokens with a valid checksum only', () => {
    for (const kind of ['p', 'o', 'u', 's', 'r'] as const) {
      const token = githubToken(kind);
      assert.ok(hasValidGithubChecksum(token));
      assert.ok(!hasValidGithubChecksum(badChecksum(token)));
    }
  });

  it('accepts signed JWTs only', () => {
    assert.ok(isSignedJwt(jwt('RS256')));
    assert.ok(!isSignedJwt(jwt('none')));
    assert.ok(!isSignedJwt(jwt('NONE')));
    assert.ok(!isSignedJwt(`${Buffer.from('[1]').toString('base64url')}.e30.c2ln`));
  });
});
