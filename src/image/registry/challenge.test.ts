import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findBearer, hasBasic, parseChallenges } from './challenge.js';
import { parseRetryAfter, retryDelayMs, shouldRetryStatus } from './retry.js';

describe('parseChallenges', () => {
  test('Docker Hub style Bearer with a comma inside the quoted scope', () => {
    const header =
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"';
    assert.deepEqual(parseChallenges(header), [
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:samalba/my-app:pull,push',
        },
      },
    ]);
  });

  test('several challenges in one header, any case, spaces around "=", tokens unquoted', () => {
    const parsed = parseChallenges(
      'Basic realm="Registry Realm", BEARER Realm = https://a/t , Service=svc,error=insufficient_scope',
    );
    assert.deepEqual(parsed, [
      { scheme: 'basic', params: { realm: 'Registry Realm' } },
      { scheme: 'bearer', params: { realm: 'https://a/t', service: 'svc', error: 'insufficient_scope' } },
    ]);
    assert.equal(findBearer(parsed)?.realm, 'https://a/t');
    assert.ok(hasBasic(parsed));
  });

  test('repeated header lines (as an array) and escaped quotes', () => {
    const parsed = parseChallenges(['Negotiate', 'Bearer realm="https://x/\\"t\\"",scope="a b"']);
    assert.deepEqual(parsed[0], { scheme: 'negotiate', params: {} });
    assert.deepEqual(parsed[1]?.params, { realm: 'https://x/"t"', scope: 'a b' });
  });

  test('token68 and garbage do not break the parse', () => {
    assert.deepEqual(parseChallenges('Basic dXNlcjpwYXNz=='), [
      { scheme: 'basic', params: { '': 'dXNlcjpwYXNz==' } },
    ]);
    assert.deepEqual(parseChallenges(''), []);
    assert.deepEqual(parseChallenges(undefined), []);
    assert.equal(findBearer(parseChallenges('Bearer service="no realm"')), undefined);
    assert.equal(
      parseChallenges('"unterminated, Bearer realm="r"').find((c) => c.scheme === 'bearer')?.params.realm,
      'r',
    );
  });
});

describe('retry policy', () => {
  test('retries 429 and transient 5xx only', () => {
    assert.deepEqual(
      [400, 401, 403, 404, 429, 500, 501, 502, 503, 504, 505].filter(shouldRetryStatus),
      [429, 500, 502, 503, 504],
    );
  });

  test('Retry-After as seconds or HTTP date', () => {
    const now = Date.parse('2024-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('3', now), 3000);
    assert.equal(parseRetryAfter('Mon, 01 Jan 2024 00:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter('Sun, 31 Dec 2023 00:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
  });

  test('delays are capped and jittered within [ceiling/2, ceiling]', () => {
    const opts = { backoffMs: 100, maxRetryAfterMs: 1000 };
    assert.equal(retryDelayMs('3600', 0, opts), 1000);
    for (let attempt = 0; attempt < 8; attempt++) {
      const ceiling = Math.min(100 * 2 ** attempt, 1000);
      const d = retryDelayMs(undefined, attempt, opts);
      assert.ok(d >= ceiling / 2 && d <= ceiling, `attempt ${attempt}: ${d}`);
    }
  });
});
