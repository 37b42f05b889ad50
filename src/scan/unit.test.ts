/** Table tests of the small pure pieces: purl parsing, distro qualifiers, error → status, failed-image identity. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AssayError } from '../model/errors.js';
import { PackageSchema } from '../model/package.js';
import { failedImageRef } from './image-ref.js';
import { parsePurl } from './purl-parse.js';
import { osHintFromDistro } from './sbom-os.js';
import { componentToPackage } from './sbom-package.js';
import { statusOfError } from './status.js';

test('parsePurl reads what real SBOMs carry', () => {
  const cases: [string, unknown][] = [
    [
      'pkg:deb/debian/login@4.13%2Bdfsg1-1?arch=amd64&distro=debian-12.5&epoch=1',
      {
        type: 'deb',
        namespace: 'debian',
        name: 'login',
        version: '4.13+dfsg1-1',
        qualifiers: { arch: 'amd64', distro: 'debian-12.5', epoch: '1' },
      },
    ],
    [
      'pkg:npm/%40babel/traverse@7.22.5',
      { type: 'npm', namespace: '@babel', name: 'traverse', version: '7.22.5', qualifiers: {} },
    ],
    [
      'pkg:golang/github.com/docker/docker@v24.0.7%2Bincompatible#api',
      {
        type: 'golang',
        namespace: 'github.com/docker',
        name: 'docker',
        version: 'v24.0.7+incompatible',
        qualifiers: {},
        subpath: 'api',
      },
    ],
    [
      'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar',
      {
        type: 'maven',
        namespace: 'org.apache.logging.log4j',
        name: 'log4j-core',
        version: '2.14.1',
        qualifiers: { type: 'jar' },
      },
    ],
    ['pkg://PyPI/requests@2.31.0', { type: 'pypi', name: 'requests', version: '2.31.0', qualifiers: {} }],
    ['pkg:gem/rails', { type: 'gem', name: 'rails', qualifiers: {} }],
  ];
  for (const [text, want] of cases) {
    const r = parsePurl(text);
    assert.ok(r.ok, text);
    assert.deepEqual(r.purl, want, text);
  }
  for (const bad of [
    'deb/debian/x@1',
    'pkg:',
    'pkg:npm',
    'pkg:npm/@1.0',
    'pkg:npm/x@1%ZZ',
    'pkg:npm/%E0%A4%A@1',
  ])
    assert.equal(parsePurl(bad).ok, false, bad);
});

test('distro= qualifiers: id-version, a bare version with the vendor namespace, or a codename', () => {
  assert.deepEqual(osHintFromDistro('debian-12', 'debian'), { name: 'debian', version: '12' });
  assert.deepEqual(osHintFromDistro('alpine-3.19.1', 'alpine'), { name: 'alpine', version: '3.19.1' });
  assert.deepEqual(osHintFromDistro('3.19.1', 'alpine'), { name: 'alpine', version: '3.19.1' });
  assert.deepEqual(osHintFromDistro('rhel-9.3', 'redhat'), { name: 'rhel', version: '9.3' });
  assert.deepEqual(osHintFromDistro('opensuse-leap-15.5', 'opensuse'), {
    name: 'opensuse-leap',
    version: '15.5',
  });
  assert.deepEqual(osHintFromDistro('debian-trixie', 'debian'), { name: 'debian', codename: 'trixie' });
  assert.equal(osHintFromDistro('12', undefined), undefined);
});

test('per-image errors map to statuses by code; anything unknown is internal_error', () => {
  const table: [unknown, string][] = [
    [new AssayError('not-found', 'x'), 'not_found'],
    [new AssayError('invalid-reference', 'x'), 'not_found'],
    [new AssayError('forbidden', 'x'), 'unauthorized'],
    [new AssayError('rate-limited', 'x'), 'network_error'],
    [new AssayError('timeout', 'x'), 'timeout'],
    [new AssayError('too-large', 'x'), 'too_large'],
    [new AssayError('corrupt-archive', 'x'), 'not_an_image'],
    [new AssayError('unsupported-media-type', 'x'), 'not_an_image'],
    [new AssayError('cache', 'x'), 'internal_error'],
    [new TypeError('boom'), 'internal_error'],
  ];
  for (const [err, status] of table) assert.equal(statusOfError(err).status, status, String(err));
  assert.equal(statusOfError(new TypeError('boom')).message, 'internal error: boom');
  assert.equal(statusOfError(new AssayError('not-found', 'manifest unknown')).message, 'manifest unknown');
});

test('an image that could not be opened is still named from its input', () => {
  assert.deepEqual(failedImageRef('registry:ghcr.io/acme/app:1.2'), {
    id: '',
    registry: 'ghcr.io',
    repository: 'acme/app',
    tags: ['1.2'],
    source: 'registry',
  });
  assert.deepEqual(failedImageRef('ubuntu'), {
    id: '',
    registry: 'docker.io',
    repository: 'library/ubuntu',
    tags: ['latest'],
    source: 'registry',
  });
  assert.deepEqual(failedImageRef('docker-archive:/tmp/app.tar'), {
    id: '',
    registry: '',
    repository: '/tmp/app.tar',
    tags: [],
    source: 'docker-archive',
  });
  assert.deepEqual(failedImageRef('sbom:bom.json'), {
    id: '',
    registry: '',
    repository: 'bom.json',
    tags: [],
    source: 'sbom',
  });
});

test('rpm components: epoch qualifier, release, and the source package as Syft and Trivy state it', () => {
  const ctx = { sbomPath: 'bom.json', layerIndexOf: () => 0 };
  const syft = componentToPackage(
    {
      ref: 'syft',
      licenses: [],
      purl: 'pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64&epoch=1&upstream=openssl-3.0.7-27.el9.src.rpm&distro=rhel-9.3',
    },
    ctx,
  );
  assert.equal(syft.kind, 'package');
  if (syft.kind !== 'package') return;
  PackageSchema.parse(syft.pkg);
  assert.deepEqual(
    [
      syft.pkg.type,
      syft.pkg.name,
      syft.pkg.version,
      syft.pkg.epoch,
      syft.pkg.release,
      syft.pkg.arch,
      syft.pkg.source,
    ],
    [
      'rpm',
      'openssl-libs',
      '1:3.0.7-27.el9',
      1,
      '27.el9',
      'x86_64',
      { name: 'openssl', version: '1:3.0.7-27.el9' },
    ],
  );
  const trivy = componentToPackage(
    {
      ref: 'trivy',
      licenses: ['OpenSSL'],
      purl: 'pkg:rpm/centos/openssl-libs@1.0.2k-16.el7?arch=x86_64&epoch=1&distro=centos-7.6.1810',
      source: { name: 'openssl', version: '1.0.2k', release: '16.el7', epoch: '1' },
    },
    ctx,
  );
  assert.ok(trivy.kind === 'package');
  assert.deepEqual(
    [trivy.pkg.version, trivy.pkg.source],
    ['1:1.0.2k-16.el7', { name: 'openssl', version: '1:1.0.2k-16.el7' }],
  );
  // Without any source statement an rpm's source stays unknown (never guessed from the binary name).
  const bare = componentToPackage(
    { ref: 'bare', licenses: [], purl: 'pkg:rpm/fedora/bash@5.2.26-3.fc40' },
    ctx,
  );
  assert.ok(bare.kind === 'package');
  assert.equal(bare.pkg.source, undefined);
  assert.deepEqual(componentToPackage({ ref: 'gh', licenses: [], purl: 'pkg:github/a/b@1' }, ctx), {
    kind: 'unsupported',
    type: 'github',
  });
});
