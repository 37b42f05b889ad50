import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFiles, fixtureFiles, memoryFile, testdata } from '../../testkit.test.js';
import { osRelease } from './analyzer.js';

type Expected = [
  dir: string,
  family: string,
  id: string,
  versionId: string,
  version: string,
  codename?: string,
];

// Real release files (this machine's Debian 12, and the files the distros' images ship).
const FIXTURES: Expected[] = [
  ['debian-12', 'debian', 'debian', '12', '12.11', 'bookworm'],
  ['debian-sid', 'debian', 'debian', '', '', 'trixie'],
  ['distroless-debian-12', 'distroless', 'debian', '12', '12', 'bookworm'],
  ['ubuntu-22.04', 'ubuntu', 'ubuntu', '22.04', '22.04.4 LTS', 'jammy'],
  ['ubuntu-12.04', 'ubuntu', 'ubuntu', '12.04', '12.04', 'precise'],
  ['alpine-3.19', 'alpine', 'alpine', '3.19.1', '3.19.1'],
  ['alpine-3.4-release-only', 'alpine', 'alpine', '3.4.6', '3.4.6'],
  ['wolfi', 'wolfi', 'wolfi', '20230201', '20230201'],
  ['chainguard', 'chainguard', 'chainguard', '20230214', '20230214'],
  ['ubi-9', 'rhel', 'rhel', '9.3', '9.3', 'Plow'],
  ['centos-6', 'centos', 'centos', '6', '6.10', 'Final'],
  ['centos-7', 'centos', 'centos', '7', '7', 'Core'],
  ['centos-stream-9', 'centos', 'centos', '9', '9'],
  ['rocky-9', 'rocky', 'rocky', '9.3', '9.3', 'Blue Onyx'],
  ['almalinux-8', 'almalinux', 'almalinux', '8.9', '8.9', 'Midnight Oncilla'],
  ['oraclelinux-9', 'oracle', 'ol', '9.3', '9.3'],
  ['amazonlinux-2', 'amazon', 'amzn', '2', '2'],
  ['amazonlinux-2023', 'amazon', 'amzn', '2023', '2023'],
  ['fedora-39', 'fedora', 'fedora', '39', '39'],
  ['sles-15.5', 'sles', 'sles', '15.5', '15-SP5'],
  ['opensuse-leap-15.5', 'opensuse', 'opensuse-leap', '15.5', '15.5'],
  ['photon-5', 'photon', 'photon', '5.0', '5.0'],
  ['azurelinux-3', 'azurelinux', 'azurelinux', '3.0', '3.0.20240727'],
  ['mariner-2', 'mariner', 'mariner', '2.0', '2.0.20240123'],
];

describe('os-release analyzer', () => {
  for (const [dir, family, id, versionId, version, codename] of FIXTURES) {
    it(`identifies ${dir}`, async () => {
      const result = await analyzeFiles(osRelease, fixtureFiles(testdata(import.meta.url, dir)), 3);
      assert.deepEqual(result.issues, []);
      const os = result.os;
      assert.ok(os, 'an OS');
      assert.deepEqual(
        { family: os.family, id: os.id, versionId: os.versionId, version: os.version, codename: os.codename },
        { family, id, versionId, version, codename },
      );
      assert.equal(os.location.layerIndex, 3);
    });
  }

  it('prefers /etc/os-release over /usr/lib/os-release and never mixes them', async () => {
    const files = [
      memoryFile('usr/lib/os-release', 'ID=debian\nVERSION_ID=12\nVERSION_CODENAME=bookworm\n'),
      memoryFile('etc/os-release', 'ID=alpine\nVERSION_ID=3.19.1\n'),
    ];
    const { os } = await analyzeFiles(osRelease, files);
    assert.equal(os?.id, 'alpine');
    assert.equal(os?.codename, undefined);
    assert.deepEqual([os?.location.path, os?.location.evidence], ['etc/os-release', 'primary']);
  });

  it('does not mistake Ubuntu for Debian by its debian_version', async () => {
    const files = fixtureFiles(testdata(import.meta.url, 'ubuntu-12.04'));
    const { os } = await analyzeFiles(osRelease, files);
    assert.deepEqual(
      [os?.family, os?.location.path, os?.location.evidence],
      ['ubuntu', 'etc/lsb-release', 'supporting'],
    );
  });

  it('reports malformed lines and keeps the rest', async () => {
    const text =
      'ID=debian\nthis is not an assignment\nNAME="unterminated\nVERSION_ID="12" trailing\n\xff=1\n';
    const { os, issues } = await analyzeFiles(osRelease, [
      memoryFile('etc/os-release', Buffer.from(text, 'latin1')),
    ]);
    assert.equal(os?.versionId, '12');
    assert.deepEqual(
      issues.map((i) => [i.code, i.line]),
      [
        ['malformed-record', 2],
        ['malformed-record', 3],
        ['malformed-record', 4],
        ['invalid-utf8', 5],
        ['malformed-record', 5],
      ],
    );
    assert.ok(issues.every((i) => i.location?.path === 'etc/os-release'));
  });

  it('says so when no file identifies the OS', async () => {
    const files = [memoryFile('etc/os-release', '# empty\n'), memoryFile('etc/debian_version', 'garbage\n')];
    const result = await analyzeFiles(osRelease, files);
    assert.equal(result.os, undefined);
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.location?.path]),
      [['unknown-os', 'etc/os-release']],
    );
  });

  it('ignores an implausibly large release file, with an issue', async () => {
    const big = memoryFile('etc/alpine-release', Buffer.alloc(1024 * 1024, 0x41));
    const result = await analyzeFiles(osRelease, [big, memoryFile('etc/debian_version', '11.9\n')]);
    assert.equal(result.os?.versionId, '11');
    assert.deepEqual(
      result.issues.map((i) => i.code),
      ['invalid-field'],
    );
  });

  it('wants exactly the release files', () => {
    const wanted = [
      'etc/os-release',
      'usr/lib/os-release',
      'etc/lsb-release',
      'etc/redhat-release',
      'etc/alpine-release',
      'etc/debian_version',
    ];
    for (const path of wanted) assert.ok(osRelease.wants(path, 0), path);
    for (const path of [
      'etc/os-release.d/x',
      'usr/etc/os-release',
      'etc/centos-release',
      'os-release',
      'etc/debian_version.bak',
    ]) {
      assert.equal(osRelease.wants(path, 0), false, path);
    }
  });
});
