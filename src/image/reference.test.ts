import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAssayError } from '../model/errors.js';
import { familiarName, formatReference, parseReference } from './reference.js';

const D = `sha256:${'0123456789abcdef'.repeat(4)}`;

// Expected values follow `docker pull`'s normalisation (distribution/reference ParseNormalizedNamed).
const cases: [string, string][] = [
  ['alpine', 'docker.io/library/alpine:latest'],
  ['alpine:3.19', 'docker.io/library/alpine:3.19'],
  ['library/alpine', 'docker.io/library/alpine:latest'],
  ['bitnami/redis:7', 'docker.io/bitnami/redis:7'],
  ['docker.io/alpine', 'docker.io/library/alpine:latest'],
  ['index.docker.io/library/alpine:3', 'docker.io/library/alpine:3'],
  ['ghcr.io/org/app:v1.2.3', 'ghcr.io/org/app:v1.2.3'],
  ['localhost/app', 'localhost/app:latest'],
  ['localhost:5000/app:dev', 'localhost:5000/app:dev'],
  ['127.0.0.1:5000/team/app', '127.0.0.1:5000/team/app:latest'],
  [`alpine@${D}`, `docker.io/library/alpine@${D}`],
  [`alpine:3.19@${D}`, `docker.io/library/alpine:3.19@${D}`],
  ['registry.example.com:8443/a/b/c:1', 'registry.example.com:8443/a/b/c:1'],
  ['my_org/my-app__x', 'docker.io/my_org/my-app__x:latest'],
  ['[::1]:5000/app', '[::1]:5000/app:latest'],
];

for (const [input, expected] of cases) {
  test(`normalises ${input}`, () => {
    assert.equal(formatReference(parseReference(input)), expected);
  });
}

const invalid: [string, RegExp][] = [
  ['', /empty/],
  ['Alpine', /lowercase/],
  ['alpine:', /bad tag/],
  ['alpine:-x', /bad tag/],
  [`alpine@sha256:1234`, /bad digest/],
  ['alpine@md5:abcd', /bad digest/],
  ['a//b', /bad path component/],
  ['alpine/', /bad path component/],
  ['-alpine', /bad path component/],
  [`${'a'.repeat(300)}`, /longer than 255/],
  ['example.com/UPPER', /lowercase/],
];

for (const [input, why] of invalid) {
  test(`rejects ${JSON.stringify(input.slice(0, 40))}`, () => {
    assert.throws(
      () => parseReference(input),
      (e: unknown) => isAssayError(e, 'invalid-reference') && why.test(e.message),
    );
  });
}

test('an uppercase first component is a registry host (Docker treats it so)', () => {
  assert.equal(parseReference('Registry.Example/app').registry, 'Registry.Example');
});

test('familiar names drop docker.io/library', () => {
  assert.equal(familiarName(parseReference('alpine:3')), 'alpine');
  assert.equal(familiarName(parseReference('bitnami/redis')), 'bitnami/redis');
  assert.equal(familiarName(parseReference('ghcr.io/a/b')), 'ghcr.io/a/b');
});
