import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import type { LayerRef } from '../../../image/types.js';
import { PackageSchema } from '../../../model/package.js';
import type { AnalyzerFile } from '../../analyzer.js';
import { AnalyzerResultSchema } from '../../inventory.js';
import { rpmDb } from './analyzer.js';
import { sourcePackage } from './package.js';
import { fixtures, packageHeader } from './testkit.test.js';
import { buildNdb } from './testkit-ndb.test.js';

const layer: LayerRef = {
  index: 2,
  digest: 'sha256:aa',
  diffId: 'sha256:bb',
  size: -1,
  mediaType: 'application/vnd.oci.image.layer.v1.tar',
};

function file(path: string, bytes: Buffer): AnalyzerFile {
  return {
    path,
    content: { size: bytes.length, read: async () => bytes, stream: () => Readable.from([bytes]) },
  };
}

async function analyze(...files: AnalyzerFile[]) {
  const result = await rpmDb.analyze({ layer, files }, { label: 'layer 2 (sha256:bb)' });
  AnalyzerResultSchema.parse(result);
  return result;
}

describe('rpm-db analyzer', () => {
  test('wants exactly rpm’s database files in both database directories', () => {
    const wanted = [
      'var/lib/rpm/Packages',
      'var/lib/rpm/Packages.db',
      'var/lib/rpm/rpmdb.sqlite',
      'usr/lib/sysimage/rpm/rpmdb.sqlite',
      'usr/lib/sysimage/rpm/Packages.db',
    ];
    const unwanted = [
      'var/lib/rpm/Name',
      'var/lib/rpm/rpmdb.sqlite-wal',
      'var/lib/rpm/rpmdb.sqlite-shm',
      'var/lib/rpm/__db.001',
      'etc/rpm/Packages',
      'var/lib/rpm/backup/Packages',
      'root/var/lib/rpm/Packages',
      'var/lib/dpkg/status',
      'var/lib/rpmmanifest/container-manifest-2',
    ];
    for (const path of wanted) assert.equal(rpmDb.wants(path), true, path);
    for (const path of unwanted) assert.equal(rpmDb.wants(path), false, path);
  });

  test('SQLite database → packages with rpm versions, provisional purls and provenance', async () => {
    const result = await analyze(file('var/lib/rpm/rpmdb.sqlite', fixtures.sqlite()));
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.map((p) => [p.name, p.version, p.purl]),
      [
        ['assay-beta-libs', '2:3.4.5-6.el9', 'pkg:rpm/assay-beta-libs@3.4.5-6.el9?arch=x86_64&epoch=2'],
        ['assay-beta', '2:3.4.5-6.el9', 'pkg:rpm/assay-beta@3.4.5-6.el9?arch=x86_64&epoch=2'],
        ['assay-alpha', '1.0-1', 'pkg:rpm/assay-alpha@1.0-1?arch=noarch'],
      ],
    );
    const beta = result.packages[1]!;
    assert.deepEqual(PackageSchema.parse(beta), beta);
    assert.deepEqual(beta.source, { name: 'assay-beta', version: '2:3.4.5-6.el9' });
    assert.deepEqual(beta.metadata, {
      kind: 'rpm',
      sourceRpm: 'assay-beta-3.4.5-6.el9.src.rpm',
      modularityLabel: 'perl:5.30:8030020200728104009:466ea64f',
      vendor: 'Ästhetik GmbH',
      installedSize: 0,
    });
    assert.deepEqual(beta.licenses, ['GPL-2.0-or-later AND (MIT OR Apache-2.0)']);
    assert.equal(beta.epoch, 2);
    assert.equal(beta.release, '6.el9');
    assert.deepEqual(beta.locations, [
      { layerDiffId: 'sha256:bb', layerIndex: 2, path: 'var/lib/rpm/rpmdb.sqlite', evidence: 'primary' },
    ]);
    assert.deepEqual(beta.introducedIn, { layerIndex: 2, layerDiffId: 'sha256:bb' });
  });

  test('an empty VENDOR leaves metadata.vendor out; gpg-pubkey pseudo-packages are not packages', async () => {
    const key = packageHeader({ name: 'gpg-pubkey', version: 'fd431d51', release: '4ae0493b' });
    const real = packageHeader({ name: 'bash', version: '5.1', release: '1', arch: 'x86_64', vendor: '' });
    const result = await analyze(
      file(
        'usr/lib/sysimage/rpm/Packages.db',
        buildNdb([
          { pkgIndex: 1, blob: key },
          { pkgIndex: 2, blob: real },
        ]).file,
      ),
    );
    assert.deepEqual(
      result.packages.map((p) => p.name),
      ['bash'],
    );
    assert.deepEqual(result.packages[0]?.metadata, { kind: 'rpm' });
  });

  test('a BerkeleyDB with a wrong magic is one located issue; other files still give packages', async () => {
    const broken = fixtures.bdb();
    broken.writeUInt32LE(0, 12);
    const result = await analyze(
      file('var/lib/rpm/Packages', broken),
      file('var/lib/rpm/Packages.db', fixtures.ndb()),
    );
    assert.equal(result.packages.length, 3);
    assert.deepEqual(result.issues, [
      {
        code: 'corrupt-database',
        message:
          'var/lib/rpm/Packages: BerkeleyDB metadata: not a BerkeleyDB hash database: magic at offset 12 is 0x00000000 (read little-endian) / 0x00000000 (big-endian), expected 0x00061561',
        location: {
          layerDiffId: 'sha256:bb',
          layerIndex: 2,
          path: 'var/lib/rpm/Packages',
          evidence: 'primary',
        },
      },
    ]);
  });

  test('a file that cannot be read is a file-unreadable issue, not a throw', async () => {
    const gone: AnalyzerFile = {
      path: 'var/lib/rpm/rpmdb.sqlite',
      content: {
        size: 1,
        read: async () => Promise.reject(new Error('spill file deleted')),
        stream: () => Readable.from([]),
      },
    };
    const result = await analyze(gone);
    assert.deepEqual(result.packages, []);
    assert.equal(result.issues[0]?.code, 'file-unreadable');
    assert.match(
      result.issues[0]?.message ?? '',
      /var\/lib\/rpm\/rpmdb.sqlite: cannot read the rpm database: spill file deleted/,
    );
  });
});

describe('SOURCERPM file names', () => {
  test('name, version and release are split at the last two dashes; the binary epoch is carried', () => {
    assert.deepEqual(sourcePackage('openssl-3.0.7-27.el9.src.rpm', 1), {
      name: 'openssl',
      version: '1:3.0.7-27.el9',
    });
    assert.deepEqual(sourcePackage('python-dateutil-2.8.1-6.el9.src.rpm', undefined), {
      name: 'python-dateutil',
      version: '2.8.1-6.el9',
    });
    assert.deepEqual(sourcePackage('kernel-5.14.0-70.nosrc.rpm', undefined), {
      name: 'kernel',
      version: '5.14.0-70',
    });
    assert.equal(sourcePackage('(none)', undefined), undefined);
    assert.equal(sourcePackage('noversion.src.rpm', undefined), undefined);
  });
});
