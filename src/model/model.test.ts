import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IssueSchema, issueCodes, OsReleaseSchema, PackageSchema, packageId } from './index.js';

const location = {
  layerDiffId: 'sha256:aa',
  layerIndex: 2,
  path: 'var/lib/dpkg/status',
  evidence: 'primary',
};

describe('model', () => {
  it('packageId is stable and depends on type, name, version and path only', () => {
    const a = packageId('deb', 'openssl', '3.0.11-1', 'var/lib/dpkg/status');
    assert.equal(a, packageId('deb', 'openssl', '3.0.11-1', 'var/lib/dpkg/status'));
    assert.match(a, /^[0-9a-f]{16}$/);
    assert.notEqual(a, packageId('apk', 'openssl', '3.0.11-1', 'var/lib/dpkg/status'));
    assert.notEqual(a, packageId('deb', 'openssl', '3.0.11-2', 'var/lib/dpkg/status'));
    assert.notEqual(a, packageId('deb', 'openssl', '3.0.11-1', 'var/lib/dpkg/status.d/openssl'));
    assert.notEqual(
      packageId('deb', 'libc6', '2.36', 'p', 'amd64'),
      packageId('deb', 'libc6', '2.36', 'p', 'i386'),
    );
    assert.equal(packageId('deb', 'x', '1', 'p', undefined), packageId('deb', 'x', '1', 'p'));
    // The separator keeps shifted boundaries apart.
    assert.notEqual(packageId('deb', 'ab', 'c', 'p'), packageId('deb', 'a', 'bc', 'p'));
  });

  it('PackageSchema accepts a full package and rejects one without a location', () => {
    const pkg = {
      id: 'x',
      type: 'deb',
      name: 'openssl',
      version: '3.0.11-1~deb12u2',
      purl: 'pkg:deb/debian/openssl@3.0.11-1~deb12u2',
      arch: 'amd64',
      source: { name: 'openssl', version: '3.0.11-1~deb12u2' },
      licenses: [],
      locations: [location],
      introducedIn: { layerIndex: 2, layerDiffId: 'sha256:aa' },
      metadata: { kind: 'deb', multiArch: 'same', status: 'install ok installed' },
    };
    assert.ok(PackageSchema.safeParse(pkg).success);
    assert.equal(PackageSchema.safeParse({ ...pkg, locations: [] }).success, false);
    assert.equal(PackageSchema.safeParse({ ...pkg, type: 'debian' }).success, false);
    assert.equal(PackageSchema.safeParse({ ...pkg, metadata: { kind: 'zip' } }).success, false);
  });

  it('issue codes are a closed, kebab-case vocabulary', () => {
    for (const code of issueCodes) assert.match(code, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.equal(new Set(issueCodes).size, issueCodes.length);
    assert.ok(IssueSchema.safeParse({ code: 'invalid-utf8', message: 'm', location, line: 3 }).success);
    assert.equal(IssueSchema.safeParse({ code: 'something-else', message: 'm' }).success, false);
  });

  it('OsReleaseSchema requires a known family and a location', () => {
    const os = {
      family: 'debian',
      id: 'debian',
      version: '12.5',
      versionId: '12',
      name: 'Debian GNU/Linux',
      location,
    };
    assert.ok(OsReleaseSchema.safeParse(os).success);
    assert.equal(OsReleaseSchema.safeParse({ ...os, family: 'gentoo' }).success, false);
    assert.equal(OsReleaseSchema.safeParse({ ...os, location: undefined }).success, false);
  });
});
