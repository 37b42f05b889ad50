import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OsRelease } from '../model/os.js';
import { distroQualifier, osPackagePurl } from './os-purl.js';
import { encodePurlComponent, formatPurl } from './purl.js';

function os(id: string, versionId: string, extra: Partial<OsRelease> = {}): OsRelease {
  const location = {
    layerDiffId: 'sha256:x',
    layerIndex: 0,
    path: 'etc/os-release',
    evidence: 'primary',
  } as const;
  return { family: 'other', id, version: versionId, versionId, name: id, location, ...extra };
}

describe('formatPurl (purl spec "How to build")', () => {
  const cases: Array<[string, Parameters<typeof formatPurl>[0], string]> = [
    [
      'spec deb example',
      {
        type: 'deb',
        namespace: 'debian',
        name: 'curl',
        version: '7.50.3-1',
        qualifiers: { arch: 'i386', distro: 'jessie' },
      },
      'pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie',
    ],
    [
      'epoch colon stays unencoded',
      { type: 'deb', namespace: 'debian', name: 'attr', version: '1:2.4.48-6' },
      'pkg:deb/debian/attr@1:2.4.48-6',
    ],
    [
      'plus and tilde in a Debian version',
      { type: 'deb', namespace: 'debian', name: 'openssl', version: '3.0.11-1~deb12u2+b1' },
      'pkg:deb/debian/openssl@3.0.11-1~deb12u2%2Bb1',
    ],
    [
      'deb/apk names and namespaces lowercased',
      { type: 'APK', namespace: 'Alpine', name: 'BusyBox', version: '1.36.1-r15' },
      'pkg:apk/alpine/busybox@1.36.1-r15',
    ],
    [
      'rpm names keep their case',
      { type: 'rpm', namespace: 'Fedora', name: 'NetworkManager', version: '1.44.2-1.fc39' },
      'pkg:rpm/fedora/NetworkManager@1.44.2-1.fc39',
    ],
    [
      'npm scope is a namespace segment, @ encoded',
      { type: 'npm', namespace: '@babel', name: 'core', version: '7.24.0' },
      'pkg:npm/%40babel/core@7.24.0',
    ],
    [
      'pypi names PEP 503-normalised',
      { type: 'pypi', name: 'Django_Rest.framework', version: '3.15.1' },
      'pkg:pypi/django-rest-framework@3.15.1',
    ],
    ['space is %20, never +', { type: 'generic', name: 'a b', version: '1 2' }, 'pkg:generic/a%20b@1%202'],
    [
      'separators inside components are encoded',
      { type: 'generic', name: 'a@b?c#d', version: 'v/1' },
      'pkg:generic/a%40b%3Fc%23d@v%2F1',
    ],
    [
      'inner slash of a name is encoded, outer ones stripped',
      { type: 'generic', name: '/a/b/', version: '1' },
      'pkg:generic/a%2Fb@1',
    ],
    [
      'non-ASCII is UTF-8 percent-encoded',
      { type: 'generic', name: 'café', version: '1' },
      'pkg:generic/caf%C3%A9@1',
    ],
    [
      'qualifiers: keys lowercased, empty dropped, sorted',
      {
        type: 'rpm',
        namespace: 'redhat',
        name: 'openssl',
        version: '3.0.7-27.el9',
        qualifiers: { epoch: '1', Arch: 'x86_64', distro: 'rhel-9.3', empty: '', none: undefined },
      },
      'pkg:rpm/redhat/openssl@3.0.7-27.el9?arch=x86_64&distro=rhel-9.3&epoch=1',
    ],
    [
      'qualifier values are encoded, colon kept',
      {
        type: 'generic',
        name: 'x',
        qualifiers: { checksum: 'sha256:ab', download_url: 'https://e.x/a b&c' },
      },
      'pkg:generic/x?checksum=sha256:ab&download_url=https:%2F%2Fe.x%2Fa%20b%26c',
    ],
    [
      'subpath: empty, . and .. segments dropped',
      {
        type: 'golang',
        namespace: 'github.com/gorilla',
        name: 'context',
        version: '234fd47',
        subpath: '/./api/../v2//',
      },
      'pkg:golang/github.com/gorilla/context@234fd47#api/v2',
    ],
    ['no version', { type: 'deb', namespace: 'debian', name: 'curl' }, 'pkg:deb/debian/curl'],
  ];
  for (const [name, parts, expected] of cases) {
    it(name, () => assert.equal(formatPurl(parts), expected));
  }

  it('rejects an empty name and bad types or qualifier keys', () => {
    assert.throws(() => formatPurl({ type: 'deb', name: '//' }), /empty name/);
    assert.throws(() => formatPurl({ type: 'd eb', name: 'x' }), /invalid type/);
    assert.throws(() => formatPurl({ type: 'deb', name: 'x', qualifiers: { '1x': 'y' } }), /qualifier key/);
  });

  it('encodes a lone surrogate as U+FFFD instead of throwing', () => {
    assert.equal(encodePurlComponent('a\uD800b'), 'a%EF%BF%BDb');
  });

  it('leaves exactly A-Z a-z 0-9 . - _ ~ : unencoded', () => {
    for (let code = 0x20; code < 0x7f; code++) {
      const c = String.fromCharCode(code);
      const plain = /[A-Za-z0-9.\-_~:]/.test(c);
      assert.equal(encodePurlComponent(c) === c, plain, `character ${JSON.stringify(c)}`);
    }
  });
});

describe('osPackagePurl', () => {
  it('builds the documented Debian, Alpine and Red Hat forms', () => {
    const debian = os('debian', '12', { family: 'debian' });
    assert.equal(
      osPackagePurl({ type: 'deb', name: 'openssl', version: '3.0.11-1~deb12u2', arch: 'amd64' }, debian),
      'pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12',
    );
    const alpine = os('alpine', '3.19.1', { family: 'alpine' });
    assert.equal(
      osPackagePurl({ type: 'apk', name: 'busybox', version: '1.36.1-r15', arch: 'x86_64' }, alpine),
      'pkg:apk/alpine/busybox@1.36.1-r15?arch=x86_64&distro=alpine-3.19.1',
    );
    const rhel = os('rhel', '9.3', { family: 'rhel' });
    assert.equal(
      osPackagePurl(
        { type: 'rpm', name: 'openssl', version: '1:3.0.7-27.el9', arch: 'x86_64', epoch: 1 },
        rhel,
      ),
      'pkg:rpm/redhat/openssl@3.0.7-27.el9?arch=x86_64&distro=rhel-9.3&epoch=1',
    );
  });

  it('maps os-release IDs to purl vendors and falls back without an OS', () => {
    const pkg = { type: 'rpm' as const, name: 'bash', version: '5.2.15-2.amzn2023' };
    assert.equal(
      osPackagePurl(pkg, os('amzn', '2023')),
      'pkg:rpm/amazon/bash@5.2.15-2.amzn2023?distro=amzn-2023',
    );
    assert.equal(osPackagePurl(pkg, os('ol', '9.3')), 'pkg:rpm/oracle/bash@5.2.15-2.amzn2023?distro=ol-9.3');
    assert.equal(osPackagePurl(pkg, undefined), 'pkg:rpm/bash@5.2.15-2.amzn2023');
    assert.equal(osPackagePurl({ ...pkg, type: 'deb' }, undefined), 'pkg:deb/debian/bash@5.2.15-2.amzn2023');
    assert.equal(
      osPackagePurl({ ...pkg, type: 'apk' }, os('wolfi', '20230201')),
      'pkg:apk/wolfi/bash@5.2.15-2.amzn2023?distro=wolfi-20230201',
    );
  });

  it('uses the codename when there is no version id', () => {
    assert.equal(distroQualifier(os('debian', '', { codename: 'trixie' })), 'debian-trixie');
    assert.equal(distroQualifier(os('arch', '')), 'arch');
    assert.equal(distroQualifier(undefined), undefined);
  });
});
