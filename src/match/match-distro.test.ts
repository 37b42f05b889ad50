import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { OsRelease } from '../model/os.js';
import type { Package } from '../model/package.js';
import { matchImage } from './match-image.js';
import { LAYERS, os, type PkgSpec, pkg } from './testing/fixtures.js';
import { loadYamlDb } from './testing/yaml-db.js';

const here = import.meta.dirname;
const db = loadYamlDb(join(here, 'testdata/debian.yaml'), join(here, 'testdata/ubuntu-alpine-rpm.yaml'));
const bookworm = os('debian', 'debian', '12', 'bookworm');

function run(o: OsRelease | undefined, ...specs: PkgSpec[]) {
  const packages: Package[] = specs.map(pkg);
  return matchImage({ os: o, packages, layers: LAYERS }, db);
}

/** [id, package, installed, fixed, status] per finding, in output order. */
const rows = (o: OsRelease | undefined, ...specs: PkgSpec[]) =>
  run(o, ...specs).findings.map((f) => [f.id, f.package.name, f.installedVersion, f.fixedVersion, f.status]);

const libssl = (version: string): PkgSpec => ({
  type: 'deb',
  name: 'libssl3',
  version,
  source: { name: 'openssl', version },
});

test('Debian: matched by source package; a backported fix is respected', () => {
  assert.deepEqual(rows(bookworm, libssl('3.0.11-1~deb12u3')), []);
  assert.deepEqual(rows(bookworm, libssl('3.0.11-1~deb12u2')), [
    ['CVE-2024-0002', 'libssl3', '3.0.11-1~deb12u2', '3.0.11-1~deb12u3', 'fixed'],
  ]);
  assert.deepEqual(rows(bookworm, libssl('3.0.11-1~deb12u1')), [
    ['CVE-2024-0002', 'libssl3', '3.0.11-1~deb12u1', '3.0.11-1~deb12u3', 'fixed'],
    ['CVE-2023-5678', 'libssl3', '3.0.11-1~deb12u1', '3.0.11-1~deb12u2', 'fixed'],
  ]);
});

test('Debian: a DSA merges with its CVE; the tracker entry is the data source', () => {
  const other = run(bookworm, libssl('3.0.11-1~deb12u1')).findings.find((x) => x.id === 'CVE-2024-0002');
  assert.ok(other && !('cwes' in other), 'no CWE field when no record names one');
  const [f] = run(bookworm, libssl('3.0.11-1~deb12u1')).findings.filter((x) => x.id === 'CVE-2023-5678');
  assert.ok(f);
  assert.deepEqual(f.aliases, ['DSA-5532-1']);
  assert.deepEqual(f.dataSource, { feed: 'debian-tracker', id: 'CVE-2023-5678' });
  assert.equal(f.package.sourceName, 'openssl');
  assert.equal(f.vendorSeverity, 'low');
  assert.equal(f.title, 'openssl: Generating excessively long X9.42 DH keys may be very slow');
  assert.deepEqual(f.references, ['https://www.debian.org/security/2023/dsa-5532']);
  assert.deepEqual(f.cwes, ['CWE-754']);
  // NVD's primary score wins over the CNA's higher one.
  assert.deepEqual(f.cvss, {
    version: '3.1',
    vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L',
    score: 5.3,
    source: 'nvd',
    sourceName: 'nvd@nist.gov',
  });
  assert.equal(f.severity, 'medium');
  assert.deepEqual(f.epss, { score: 0.00123, percentile: 0.4567, date: '2024-06-01' });
  assert.equal(f.kev, undefined);
});

test("Debian: the vendor's not_affected suppresses another feed's match; the DSA's other CVE stays", () => {
  const ids = run(bookworm, libssl('3.0.11-1~deb12u2')).findings.map((f) => [f.id, f.aliases]);
  assert.deepEqual(ids, [['CVE-2024-0002', ['DSA-5600-1']]]);
});

test('Debian: unfixed, will-not-fix and end-of-life statuses; withdrawn skipped; bad bound reported', () => {
  const out = run(bookworm, {
    type: 'deb',
    name: 'libc6',
    version: '2.36-9+deb12u4',
    source: { name: 'glibc', version: '2.36-9+deb12u4' },
  });
  assert.deepEqual(
    out.findings.map((f) => [f.id, f.status, f.fixedVersion, f.severity, f.vendorSeverity]),
    [
      ['CVE-2010-4756', 'will_not_fix', undefined, 'unknown', 'unimportant'],
      ['CVE-2024-1000', 'affected', undefined, 'unknown', 'not yet assigned'],
      ['CVE-2024-1001', 'end_of_life', undefined, 'unknown', undefined],
    ],
  );
  // CVE-2024-1000 has only a v2 score: N/A, never promoted to a v3 score.
  assert.equal(out.findings[1]?.cvss, undefined);
  assert.deepEqual(
    out.issues.map((i) => [i.code, i.location, /CVE-2099-0002/.test(i.message)]),
    [['invalid-version', undefined, true]],
  );
});

test('Debian: binNMU binaries and differently numbered binaries compare their source version', () => {
  const zlib = (bin: string, src: string): PkgSpec => ({
    type: 'deb',
    name: 'zlib1g',
    version: bin,
    source: { name: 'zlib', version: src },
  });
  assert.deepEqual(rows(bookworm, zlib('1:1.2.13.dfsg-1+b1', '1:1.2.13.dfsg-1')), [
    ['CVE-2023-45853', 'zlib1g', '1:1.2.13.dfsg-1+b1', '1:1.2.13.dfsg-2', 'fixed'],
  ]);
  assert.deepEqual(rows(bookworm, zlib('1:1.2.13.dfsg-2+b1', '1:1.2.13.dfsg-2')), []);
  // cpp 4:12.2.0-3 is built by gcc-defaults 1.203: its own version would wrongly look fixed.
  const cpp: PkgSpec = {
    type: 'deb',
    name: 'cpp',
    version: '4:12.2.0-3',
    source: { name: 'gcc-defaults', version: '1.203' },
  };
  assert.deepEqual(rows(bookworm, cpp), [['CVE-2099-0001', 'cpp', '4:12.2.0-3', '1.204', 'fixed']]);
});

test('Debian: CVSS v3.1 preferred over v3.0 within one source; package provenance filled in', () => {
  const [f] = run(bookworm, {
    type: 'deb',
    name: 'zlib1g',
    version: '1:1.2.13.dfsg-1',
    source: { name: 'zlib', version: '1:1.2.13.dfsg-1' },
  }).findings;
  assert.equal(f?.cvss?.version, '3.1');
  assert.equal(f?.cvss?.score, 9.8);
  assert.equal(f?.severity, 'critical');
  assert.deepEqual(f?.package.path, 'var/lib/dpkg/status');
  assert.equal(f?.package.createdBy, '/bin/sh -c #(nop) ADD file:base in /');
  assert.equal(f?.fromBaseImage, true);
});

test('Debian: codename-only releases (testing) and distroless resolve to the numbered namespace', () => {
  const trixieless = os('debian', 'debian', '', 'bookworm');
  assert.equal(rows(trixieless, libssl('3.0.11-1~deb12u2')).length, 1);
  assert.equal(rows(os('distroless', 'debian', '12'), libssl('3.0.11-1~deb12u2')).length, 1);
});

test('an installed version its scheme cannot parse is a located issue, never a guess', () => {
  const out = run(bookworm, {
    type: 'deb',
    name: 'libc6',
    version: 'junk!',
    source: { name: 'glibc', version: 'junk!' },
  });
  assert.deepEqual(out.findings, []);
  assert.equal(out.issues.length, 1);
  assert.equal(out.issues[0]?.code, 'invalid-version');
  assert.equal(out.issues[0]?.location?.path, 'var/lib/dpkg/status');
});

test('unsupported OS: a release without data, an unknown distro, or no OS at all', () => {
  const trixie = run(os('debian', 'debian', '13', 'trixie'), libssl('3.0.11-1~deb12u1'), {
    type: 'npm',
    name: 'x',
    version: '1.0.0',
  });
  assert.deepEqual(trixie.findings, []);
  assert.equal(
    trixie.unsupportedOs,
    'no vulnerability data for Debian 13 (Debian:13) in the DB: run `assay db update --source debian-tracker`',
  );
  assert.deepEqual(
    trixie.issues.map((i) => [i.code, i.location?.path]),
    [
      ['no-feed', 'etc/os-release'],
      ['no-feed', 'app/x'],
    ],
  );
  const amazon = run(os('amazon', 'amzn', '2'), {
    type: 'rpm',
    name: 'openssl-libs',
    version: '1:1.0.2k-24.amzn2',
  });
  assert.match(amazon.unsupportedOs ?? '', /no vulnerability feed for rpm packages/);
  const none = run(undefined, libssl('3.0.11-1~deb12u1'));
  assert.match(none.unsupportedOs ?? '', /no operating system was detected/);
  // A stray rpm database on a supported Debian image: reported, the image stays supported.
  const stray = run(bookworm, libssl('3.0.11-1~deb12u1'), { type: 'rpm', name: 'bash', version: '5.1-2' });
  assert.equal(stray.unsupportedOs, undefined);
  assert.equal(stray.findings.length, 2);
  assert.deepEqual(
    stray.issues.map((i) => [i.code, i.location?.path]),
    [['no-feed', 'var/lib/rpm/rpmdb.sqlite']],
  );
  // No OS packages: nothing is unsupported.
  assert.equal(
    run(os('debian', 'debian', '13'), { type: 'npm', name: 'x', version: '1.0.0' }).unsupportedOs,
    undefined,
  );
});

test('Ubuntu: the release namespaces, Pro only when nothing else exists', () => {
  const ssl = (v: string): PkgSpec => ({
    type: 'deb',
    name: 'libssl3',
    version: v,
    source: { name: 'openssl', version: v },
  });
  assert.deepEqual(rows(os('ubuntu', 'ubuntu', '22.04'), ssl('3.0.2-0ubuntu1.14')), [
    ['CVE-2024-2511', 'libssl3', '3.0.2-0ubuntu1.14', '3.0.2-0ubuntu1.15', 'fixed'],
  ]);
  assert.deepEqual(
    rows(os('ubuntu', 'ubuntu', '24.10'), ssl('3.3.1-2ubuntu1')).map((r) => r[3]),
    ['3.3.1-2ubuntu2'],
  );
  assert.deepEqual(
    rows(os('ubuntu', 'ubuntu', '16.04'), ssl('1.0.2g-1ubuntu4.20')).map((r) => r[3]),
    ['1.0.2g-1ubuntu4.20+esm12'],
  );
  assert.match(
    run(os('ubuntu', 'ubuntu', '20.04'), ssl('1.1.1f-1ubuntu2')).unsupportedOs ?? '',
    /Ubuntu:20\.04/,
  );
});

test('Alpine: matched by origin in the release branch', () => {
  const crypto: PkgSpec = {
    type: 'apk',
    name: 'libcrypto3',
    version: '3.1.4-r4',
    source: { name: 'openssl', version: '3.1.4-r4' },
  };
  assert.deepEqual(rows(os('alpine', 'alpine', '3.19.1'), crypto), [
    ['CVE-2024-0727', 'libcrypto3', '3.1.4-r4', '3.1.4-r5', 'fixed'],
  ]);
  assert.deepEqual(rows(os('alpine', 'alpine', '3.19.1'), { ...crypto, version: '3.1.4-r5' }), []);
  assert.match(run(os('alpine', 'alpine', '3.20.0'), crypto).unsupportedOs ?? '', /Alpine:v3\.20/);
});

test('rpm: epochs count, whether in the version or only in the epoch field', () => {
  const rocky = os('rocky', 'rocky', '9.3');
  assert.deepEqual(rows(rocky, { type: 'rpm', name: 'openssl-libs', version: '1:3.0.7-24.el9' }), [
    ['CVE-2023-5678', 'openssl-libs', '1:3.0.7-24.el9', '1:3.0.7-25.el9_3', 'fixed'],
  ]);
  // Without its epoch 3.0.7-24.el9 would sort below 1:3.0.7-20.el9 and look affected.
  assert.deepEqual(rows(rocky, { type: 'rpm', name: 'openssl', version: '3.0.7-24.el9', epoch: 1 }), []);
  assert.deepEqual(rows(rocky, { type: 'rpm', name: 'openssl', version: '3.0.7-24.el9' }).length, 1);
});

test('rpm: Red Hat enterprise_linux streams only; SUSE service packs; openSUSE Leap', () => {
  const ssl = { type: 'rpm', name: 'openssl-libs', version: '1:3.0.7-18.el9_2' } as const;
  assert.deepEqual(
    rows(os('rhel', 'rhel', '9.2'), ssl).map((r) => r[3]),
    ['1:3.0.7-25.el9_3'],
  );
  assert.deepEqual(
    rows(os('centos', 'centos', '9'), ssl).map((r) => r[3]),
    ['1:3.0.7-25.el9_3'],
  );
  const libopenssl = { type: 'rpm', name: 'libopenssl3', version: '3.0.8-150500.5.19.1' } as const;
  assert.deepEqual(
    rows(os('sles', 'sles', '15.5'), libopenssl).map((r) => r[3]),
    ['3.0.8-150500.5.20.1'],
  );
  assert.deepEqual(
    rows(os('opensuse', 'opensuse-leap', '15.5'), libopenssl).map((r) => r[3]),
    ['3.0.8-150500.5.20.1'],
  );
});
