import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseOsvRecord } from './import.js';
import { toAdvisory } from './record.js';
import { fixture } from './testkit.test.js';

function mapFixture(rel: string) {
  const parsed = parseOsvRecord(readFileSync(fixture(rel), 'utf8'));
  assert.ok(parsed.ok, 'fixture parses');
  const issues: string[] = [];
  return { advisory: toAdvisory(parsed.record, (m) => issues.push(m)), issues };
}

describe('OSV record mapping: distributions', () => {
  it('maps a Debian DSA: source package, release suffix kept, upstream CVEs as aliases, no CVSS', () => {
    const { advisory, issues } = mapFixture('distros/debian/DSA-5417-1.json');
    assert.deepEqual(issues, []);
    const { details, ...rest } = advisory;
    assert.match(details ?? '', /fixed in\nversion 1\.1\.1n-0\+deb11u5/);
    assert.deepEqual(rest, {
      feed: 'osv',
      id: 'DSA-5417-1',
      aliases: ['CVE-2023-0464', 'CVE-2023-0465', 'CVE-2023-0466', 'CVE-2023-2650'],
      summary: 'openssl - security update',
      published: '2023-05-30T00:00:00Z',
      modified: '2025-01-10T08:18:24.468530Z',
      references: [{ type: 'ADVISORY', url: 'https://www.debian.org/security/2023/dsa-5417' }],
      cvss: [],
      affected: [
        {
          ecosystem: 'Debian:11',
          package: 'openssl',
          purl: 'pkg:deb/debian/openssl?arch=source',
          status: 'fixed',
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.1.1n-0+deb11u5' }] }],
          versions: ['1.1.1n-0+deb11u3', '1.1.1n-0+deb11u4'],
          fixed: '1.1.1n-0+deb11u5',
        },
      ],
    });
  });

  it('reads Debian urgency per package and keeps an unfixed entry as affected', () => {
    const { advisory } = mapFixture('distros/debian/DEBIAN-CVE-2023-2650.json');
    assert.deepEqual(
      advisory.affected.map((a) => [a.ecosystem, a.package, a.status, a.fixed, a.vendorSeverity]),
      [
        ['Debian:11', 'openssl', 'fixed', '1.1.1n-0+deb11u5', 'not yet assigned'],
        ['Debian:12', 'openssl', 'fixed', '3.0.9-1', 'not yet assigned'],
        ['Debian:12', 'openssl1.0', 'affected', undefined, 'unimportant'],
      ],
    );
    assert.deepEqual(advisory.aliases, ['CVE-2023-2650']);
  });

  it('scores an Ubuntu CVE record as a distro vector and reads its priority', () => {
    const { advisory, issues } = mapFixture('distros/ubuntu/UBUNTU-CVE-2023-2650.json');
    assert.deepEqual(issues, []);
    assert.deepEqual(advisory.cvss, [
      {
        vulnId: 'UBUNTU-CVE-2023-2650',
        source: 'distro',
        sourceName: 'UBUNTU',
        version: '3.1',
        vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
        baseScore: 7.5,
      },
    ]);
    assert.equal(advisory.vendorSeverity, 'medium');
    assert.deepEqual(advisory.related, ['USN-6188-1']);
    assert.deepEqual(
      advisory.affected.map((a) => [a.ecosystem, a.package, a.fixed, a.vendorSeverity]),
      [['Ubuntu:22.04:LTS', 'openssl', '3.0.2-0ubuntu1.10', 'medium']],
    );
  });

  it('keeps rpm epochs and binary package names (Rocky, AlmaLinux, Red Hat)', () => {
    const rocky = mapFixture('distros/rocky/RLSA-2023-3722.json').advisory;
    assert.deepEqual(
      rocky.affected.map((a) => [a.ecosystem, a.package, a.fixed]),
      [
        ['Rocky Linux:9', 'openssl', '1:3.0.7-16.el9_2'],
        ['Rocky Linux:9', 'openssl-libs', '1:3.0.7-16.el9_2'],
      ],
    );
    const alma = mapFixture('distros/almalinux/ALSA-2023-3722.json').advisory;
    // AlmaLinux names the CVE in `related`, which OSV defines as a distinct vulnerability.
    assert.deepEqual([alma.aliases, alma.related], [[], ['CVE-2023-2650']]);
    assert.deepEqual(
      alma.affected.map((a) => a.package),
      ['openssl', 'openssl-devel'],
    );
    const rh = mapFixture('distros/redhat/RHSA-2023-3722.json').advisory;
    assert.deepEqual(
      rh.affected.map((a) => a.ecosystem),
      ['Red Hat:enterprise_linux:9::baseos', 'Red Hat:enterprise_linux:9::appstream'],
    );
    assert.deepEqual(
      rh.cvss.map((c) => [c.source, c.sourceName, c.baseScore]),
      [['distro', 'RHSA', 5.9]],
    );
  });

  it('maps a Chainguard/Wolfi record to both apk namespaces', () => {
    const { advisory } = mapFixture('distros/wolfi/CGA-2x9v-h3xq-mqvx.json');
    assert.deepEqual(
      advisory.affected.map((a) => [a.ecosystem, a.package, a.status, a.fixed, a.purl]),
      [
        ['Chainguard', 'crane', 'fixed', '0.19.1-r6', 'pkg:apk/chainguard/crane?arch=x86_64'],
        ['Wolfi', 'crane', 'fixed', '0.19.1-r6', 'pkg:apk/wolfi/crane?arch=x86_64'],
      ],
    );
    assert.deepEqual(advisory.aliases, ['CVE-2024-24790', 'GHSA-49gw-vxvf-fc2g']);
  });
});

describe('OSV record mapping: partial problems', () => {
  it('drops only the bad parts: unscorable vector, unparsable range, unknown ecosystem, GIT range', () => {
    const { advisory, issues } = mapFixture('sad/partly-bad.json');
    assert.deepEqual(issues, [
      'unscorable CVSS_V3 vector "CVSS:3.1/AV:N/AC:L/PR:N/UI:N"',
      'PyPI Demo_Package: range dropped: fixed "2019-09-12" is not a pep440 version',
      'unknown ecosystem "Hex" (package demo): entry skipped',
    ]);
    assert.deepEqual(advisory.cvss, []);
    assert.deepEqual(advisory.affected, [
      {
        ecosystem: 'PyPI',
        package: 'demo-package',
        status: 'fixed',
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.0' }, { fixed: '2.0.3' }] }],
        versions: [],
        fixed: '2.0.3',
      },
    ]);
  });

  it('shows the highest fix of the last fixed range, not the last event written', () => {
    const parsed = parseOsvRecord(
      JSON.stringify({
        id: 'GHSA-aaaa-bbbb-cccc',
        modified: '2024-01-01T00:00:00Z',
        affected: [
          {
            package: { ecosystem: 'npm', name: 'demo' },
            ranges: [
              {
                type: 'SEMVER',
                events: [
                  { introduced: '0' },
                  { fixed: '1.10.0' },
                  { introduced: '2.0.0' },
                  { fixed: '1.9.0' },
                ],
              },
              { type: 'ECOSYSTEM', events: [{ introduced: '3.0.0' }, { last_affected: '3.1.0' }] },
            ],
          },
        ],
      }),
    );
    assert.ok(parsed.ok);
    const advisory = toAdvisory(parsed.record, () => assert.fail('no issue expected'));
    assert.equal(advisory.affected[0]?.fixed, '1.10.0');
    assert.equal(advisory.affected[0]?.status, 'fixed');
  });

  it('writes no affected entries for a withdrawn record but keeps it searchable', () => {
    const parsed = parseOsvRecord(
      JSON.stringify({
        id: 'GO-2099-0001',
        modified: '2024-01-02T00:00:00Z',
        withdrawn: '2024-01-02T00:00:00Z',
        affected: [
          {
            package: { ecosystem: 'Go', name: 'example.com/m' },
            ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }],
          },
        ],
      }),
    );
    assert.ok(parsed.ok);
    const advisory = toAdvisory(parsed.record, () => undefined);
    assert.deepEqual([advisory.withdrawn, advisory.affected], ['2024-01-02T00:00:00Z', []]);
  });

  it('rejects an event with two keys by dropping that range', () => {
    const parsed = parseOsvRecord(
      JSON.stringify({
        id: 'GHSA-dddd-eeee-ffff',
        modified: '2024-01-01T00:00:00Z',
        affected: [
          {
            package: { ecosystem: 'npm', name: 'x' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0', fixed: '1.0.0' }] }],
            versions: ['0.9.0'],
          },
        ],
      }),
    );
    assert.ok(parsed.ok);
    const issues: string[] = [];
    const advisory = toAdvisory(parsed.record, (m) => issues.push(m));
    assert.equal(issues.length, 1);
    assert.match(issues[0] ?? '', /needs exactly one key/);
    assert.deepEqual(
      advisory.affected.map((a) => [a.status, a.ranges, a.versions]),
      [['affected', [], ['0.9.0']]],
    );
  });
});
