import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAssayError } from '../model/errors.js';
import { formatPlatform, normalizePlatform, parsePlatform, selectPlatform } from './platform.js';

const d = (digest: string, os: string, architecture: string, variant?: string) => ({
  digest,
  platform: { os, architecture, ...(variant ? { variant } : {}) },
});

test('parses and normalises platform strings', () => {
  assert.deepEqual(parsePlatform('linux/amd64'), { os: 'linux', architecture: 'amd64' });
  assert.deepEqual(parsePlatform('linux/arm/v6'), { os: 'linux', architecture: 'arm', variant: 'v6' });
  assert.deepEqual(parsePlatform('linux/aarch64'), { os: 'linux', architecture: 'arm64' });
  assert.deepEqual(parsePlatform('linux/arm64/v8'), { os: 'linux', architecture: 'arm64' });
  assert.deepEqual(normalizePlatform({ os: 'Linux', architecture: 'x86_64' }), {
    os: 'linux',
    architecture: 'amd64',
  });
  assert.equal(formatPlatform({ os: 'linux', architecture: 'arm', variant: 'v7' }), 'linux/arm/v7');
  for (const bad of ['linux', 'linux/', '/amd64', 'a/b/c/d', 'linux/arm/']) {
    assert.throws(
      () => parsePlatform(bad),
      (e: unknown) => isAssayError(e, 'usage'),
      bad,
    );
  }
});

test('selects the matching manifest from an index', () => {
  const index = [
    d('sha256:a', 'linux', 'amd64'),
    d('sha256:b', 'linux', 'arm', 'v6'),
    d('sha256:c', 'linux', 'arm', 'v7'),
    d('sha256:d', 'linux', 'arm64', 'v8'),
    d('sha256:e', 'unknown', 'unknown'),
  ];
  assert.equal(selectPlatform(index, { os: 'linux', architecture: 'amd64' }, 'x').digest, 'sha256:a');
  assert.equal(selectPlatform(index, parsePlatform('linux/arm/v6'), 'x').digest, 'sha256:b');
  assert.equal(
    selectPlatform(index, parsePlatform('linux/arm'), 'x').digest,
    'sha256:c',
    'arm defaults to v7',
  );
  assert.equal(
    selectPlatform(index, parsePlatform('linux/arm64'), 'x').digest,
    'sha256:d',
    'arm64 = arm64/v8',
  );
});

test('a missing platform names what the index offers, without attestations', () => {
  const index = [
    d('sha256:a', 'linux', 'amd64'),
    d('sha256:b', 'linux', 's390x'),
    d('sha256:e', 'unknown', 'unknown'),
  ];
  assert.throws(
    () => selectPlatform(index, parsePlatform('linux/riscv64'), 'registry:app:1'),
    (e: unknown) =>
      isAssayError(e, 'platform-not-found') &&
      e.message.includes('registry:app:1') &&
      e.message.includes('available: linux/amd64, linux/s390x') &&
      !e.message.includes('unknown') &&
      e.message.includes('--platform'),
  );
});

test('lists of hundreds of platforms are summarised', () => {
  const index = Array.from({ length: 300 }, (_, i) => d(`sha256:${i}`, 'linux', `arch${i}`));
  assert.throws(() => selectPlatform(index, parsePlatform('linux/amd64'), 'x'), /\(300 in all\)/);
});
