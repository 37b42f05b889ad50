import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAssayError } from '../model/errors.js';
import {
  clearParseCaches,
  compareVersions,
  InvalidVersionError,
  isValidVersion,
  type SchemeId,
  schemes,
} from './index.js';

test('compareVersions and isValidVersion answer for every scheme id', () => {
  assert.equal(compareVersions('deb', '1:1.0', '2.0'), 1);
  assert.equal(compareVersions('rpm', '1.0~rc1-1', '1.0-1'), -1);
  assert.equal(compareVersions('apk', '1.0_rc1-r0', '1.0-r0'), -1);
  assert.equal(compareVersions('semver', '1.0.0-rc.1', '1.0.0'), -1);
  assert.equal(compareVersions('go', 'v1.2.3+incompatible', '1.2.3'), 0);
  assert.equal(compareVersions('cargo', '1.19.0', '1.5.0'), 1);
  assert.equal(isValidVersion('deb', 'abc'), false);
  assert.equal(isValidVersion('semver', 'v1.2.3'), true);
});

test('invalid input throws a typed error naming scheme and input', () => {
  assert.throws(
    () => compareVersions('semver', '1.0.0', '1.0'),
    (e: unknown) =>
      e instanceof InvalidVersionError &&
      e.scheme === 'semver' &&
      e.input === '1.0' &&
      isAssayError(e, 'invalid-version'),
  );
  // Plain JavaScript callers can pass anything; that is a usage error, not a guess.
  const unknownScheme = 'nope' as SchemeId;
  assert.throws(
    () => compareVersions(unknownScheme, '1', '2'),
    (e: unknown) => isAssayError(e, 'usage'),
  );
  assert.throws(() => Reflect.apply(compareVersions, undefined, ['deb', 1, '1']), InvalidVersionError);
});

test('each version string is parsed once per scheme, then served from the cache', () => {
  clearParseCaches();
  const original = schemes.deb.parse;
  let calls = 0;
  schemes.deb.parse = (input) => {
    calls++;
    return original(input);
  };
  try {
    for (let i = 0; i < 100; i++) compareVersions('deb', '1.0-1', `1.0-${i % 10}`);
    assert.equal(calls, 10);
  } finally {
    schemes.deb.parse = original;
    clearParseCaches();
  }
});
