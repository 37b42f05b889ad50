import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { analyzeFiles, fixtureFiles, memoryFile, testdata } from '../../testkit.test.js';
import { dpkgStatus } from './analyzer.js';

const STATUS = 'var/lib/dpkg/status';

function stanza(name: string, version: string | undefined, extra = ''): string {
  const versionLine = version === undefined ? '' : `Version: ${version}\n`;
  return `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\n${versionLine}${extra}`;
}

describe('dpkg-status analyzer: real databases', () => {
  it('reads a Debian 12 status file (50 stanzas from a real system)', async () => {
    const bytes = readFileSync(testdata(import.meta.url, 'status'));
    const result = await analyzeFiles(dpkgStatus, [memoryFile(STATUS, bytes)], 4);
    assert.deepEqual(result.issues, []);
    assert.equal(result.packages.length, 50);
    const byName = new Map(result.packages.map((p) => [p.name, p]));
    const bsdutils = byName.get('bsdutils')!;
    assert.equal(bsdutils.version, '1:2.38.1-5+deb12u3');
    assert.deepEqual(bsdutils.source, { name: 'util-linux', version: '2.38.1-5+deb12u3' });
    assert.equal(bsdutils.purl, 'pkg:deb/debian/bsdutils@1:2.38.1-5%2Bdeb12u3?arch=amd64');
    assert.deepEqual(byName.get('zlib1g')!.source, { name: 'zlib', version: '1:1.2.13.dfsg-1' });
    assert.equal(byName.get('tzdata')!.arch, 'all');
    assert.deepEqual(byName.get('coreutils')!.source, {
      name: 'coreutils',
      version: byName.get('coreutils')!.version,
    });
    const libc = byName.get('libc6')!;
    assert.deepEqual(libc.metadata, {
      kind: 'deb',
      multiArch: 'same',
      status: 'install ok installed',
      maintainer: 'GNU Libc Maintainers <debian-glibc@lists.debian.org>',
      installedSize: libc.metadata?.kind === 'deb' ? libc.metadata.installedSize : -1,
    });
    assert.deepEqual(libc.locations, [
      { layerDiffId: libc.introducedIn.layerDiffId, layerIndex: 4, path: STATUS, evidence: 'primary' },
    ]);
    assert.deepEqual(libc.licenses, []);
  });

  it('reads a distroless status.d group, one package per file, md5sums not wanted', async () => {
    const files = fixtureFiles(testdata(import.meta.url, 'distroless')).filter((f) =>
      dpkgStatus.wants(f.path, 0),
    );
    assert.equal(files.length, 6);
    const result = await analyzeFiles(dpkgStatus, files);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.map((p) => [p.name, p.locations[0]!.path]),
      ['base-files', 'libc6', 'libssl3', 'netbase', 'tzdata', 'zlib1g'].map((n) => [
        n,
        `var/lib/dpkg/status.d/${n}`,
      ]),
    );
    // libc6 there is a control file without Status: still a package.
    assert.deepEqual(result.packages.find((p) => p.name === 'libc6')!.source?.name, 'glibc');
  });

  it('wants the database and status.d entries only', () => {
    for (const path of [STATUS, 'var/lib/dpkg/status.d/libc6', 'var/lib/dpkg/status.d/base']) {
      assert.ok(dpkgStatus.wants(path, 0), path);
    }
    const unwanted = [
      'var/lib/dpkg/status-old',
      'var/lib/dpkg/status.d/libc6.md5sums',
      'var/lib/dpkg/status.d/',
      'var/lib/dpkg/status.d/sub/x',
      'var/lib/dpkg/available',
      'usr/var/lib/dpkg/status',
    ];
    for (const path of unwanted) assert.equal(dpkgStatus.wants(path, 0), false, path);
    assert.equal(dpkgStatus.groupOf(STATUS), undefined);
    assert.equal(
      dpkgStatus.groupOf('var/lib/dpkg/status.d/a'),
      dpkgStatus.groupOf('var/lib/dpkg/status.d/b'),
    );
  });
});

describe('dpkg-status analyzer: states and fields', () => {
  it('reports packages whose files are on disk, deliberately', async () => {
    const states = [
      ['a', 'install ok installed'],
      ['b', 'install ok half-configured'],
      ['c', 'install ok unpacked'],
      ['d', 'install ok triggers-pending'],
      ['e', 'deinstall ok installed'],
      ['f', 'install reinstreq half-installed'],
      ['g', 'deinstall ok config-files'],
      ['h', 'purge ok not-installed'],
      ['i', 'install ok exploded'],
    ];
    const text = states.map(([n, s]) => `Package: ${n}\nStatus: ${s}\nVersion: 1.0\n`).join('\n');
    const result = await analyzeFiles(dpkgStatus, [memoryFile(STATUS, text)]);
    assert.deepEqual(
      result.packages.map((p) => p.name),
      ['a', 'b', 'c', 'd', 'e', 'f'],
    );
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.line]),
      [['invalid-field', 33]],
    );
  });

  it('parses Source with and without a version, continuation lines and CRLF', async () => {
    const text = [
      stanza('libssl3', '3.0.11-1~deb12u2', 'Source: openssl\nDescription: x\n more\n .\n'),
      stanza('libpython3.11', '3.11.2-6', 'Source: python3.11 (3.11.2-6+b1)\n'),
    ]
      .join('\n')
      .replaceAll('\n', '\r\n');
    const result = await analyzeFiles(dpkgStatus, [memoryFile(STATUS, text)]);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.map((p) => p.source),
      [
        { name: 'openssl', version: '3.0.11-1~deb12u2' },
        { name: 'python3.11', version: '3.11.2-6+b1' },
      ],
    );
  });

  it('reports missing fields and duplicates, and keeps the rest', async () => {
    const text = [
      stanza('ok1', '1'),
      stanza('noversion', undefined),
      'Status: install ok installed\nVersion: 1\n',
      'Package: nostatus\nVersion: 1\n',
      stanza('ok1', '2'),
      stanza('ok2', '1'),
    ].join('\n');
    const result = await analyzeFiles(dpkgStatus, [memoryFile(STATUS, text)]);
    assert.deepEqual(
      result.packages.map((p) => `${p.name}@${p.version}`),
      ['ok1@1', 'ok2@1'],
    );
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.line]),
      [
        ['missing-field', 6],
        ['missing-field', 10],
        ['missing-field', 13],
        ['duplicate-package', 16],
      ],
    );
  });
});
