/**
 * End to end, nothing mocked: images built in the setup, a DB imported by the real importers
 * (`buildDb` + format detection) from real-format feed files, opened with `VulnDb.open`.
 *
 * - Rocky Linux 9: a REAL rpm database written by rpm 4.18 (`rpm --initdb`, `rpm -i --justdb`)
 *   from noarch packages built by `rpmbuild`, scanned as `dir:` and as a two-layer OCI image
 *   whose second layer is the database after `rpm -U` of the fixed openssl; Rocky's OSV records
 *   (epoch-qualified fixed versions) and an NVD API page.
 * - Debian 12 with and without a later security update: two images sharing their base layer,
 *   matched through the Debian security tracker JSON (fixed, open, no-dsa ignored, not affected).
 *
 * Fixtures: testdata/rpm/ (README.md there says what is hand-written and after which shape).
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { catalogImage } from '../catalog/catalog-image.js';
import { sbomDocument } from '../catalog/sbom-document.js';
import { runAssay } from '../cli/testing/run-cli.js';
import { openSource } from '../image/source.js';
import {
  type ImageResult,
  ImageResultSchema,
  ScanDocumentSchema,
  vulnerabilityFindings,
} from '../model/result.js';
import type { ImageSpec } from '../test-support/oci-image.js';
import { buildDb } from '../vulndb/build.js';
import type { ImportIssue } from '../vulndb/importer.js';
import { VulnDb } from '../vulndb/store.js';
import { type ScanOptions, scanImage } from './scan.js';
import { debianBaseLayer, dpkgStanza, dpkgStatus, ociInput } from './testing/images.js';
import {
  buildRpms,
  haveRpmTools,
  installRoot,
  layerFiles,
  queryRoot,
  ROCKY_9_OS_RELEASE,
  type RpmSpec,
  upgradeRoot,
} from './testing/rpm-image.js';

const testdata = (name: string) => new URL(`testdata/rpm/${name}`, import.meta.url).pathname;
const NOW = new Date('2025-01-15T12:00:00Z');
const RPM_TOOLS = await haveRpmTools();

let work: string;
let db: VulnDb;
const importIssues: ImportIssue[] = [];

/** Every feed of the test DB, imported with format detection as `assay db import` does. */
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'assay-e2e-rpm-'));
  const dbDir = join(work, 'db');
  const results = await buildDb(dbDir, async (b) => {
    const opts = { onIssue: (i: ImportIssue) => importIssues.push(i) };
    return [
      await b.importFile(testdata('osv'), opts),
      await b.importFile(testdata('debian-tracker-openssl.json'), opts),
      await b.importFile(testdata('nvd-page.json'), opts),
    ];
  });
  assert.deepEqual(
    results.map((r) => [r.importer, r.records, r.skipped]),
    [
      ['osv', 5, 0],
      ['debian-tracker', 4, 0],
      ['nvd', 7, 0],
    ],
  );
  db = VulnDb.open(dbDir);
});
after(async () => {
  db?.close();
  await rm(work, { recursive: true, force: true });
});

function options(over: Partial<ScanOptions> = {}): ScanOptions {
  return { db, source: { spoolDir: join(work, 'spool') }, now: () => NOW, ...over };
}

async function scan(input: string, over: Partial<ScanOptions> = {}): Promise<ImageResult> {
  const result = await scanImage(input, options(over));
  ImageResultSchema.parse(result);
  return result;
}

type Row = [id: string, pkg: string, installed: string, fixed: string | undefined, status: string];
const rows = (r: ImageResult): Row[] =>
  vulnerabilityFindings(r.findings).map((f) => [
    f.id,
    f.package.name,
    f.installedVersion,
    f.fixedVersion,
    f.status,
  ]);
const scores = (r: ImageResult) =>
  vulnerabilityFindings(r.findings).map((f) => [
    f.id,
    f.package.name,
    f.cvss?.source,
    f.cvss?.score,
    f.cvss?.vector,
  ]);

async function grades(input: string, pairs: [warn: number, fail: number][]) {
  const out = [];
  for (const [warn, fail] of pairs) out.push((await scan(input, { thresholds: { warn, fail } })).result);
  return out;
}

test('the feeds import without issues', () => {
  assert.deepEqual(importIssues, []);
});

describe('Rocky Linux 9: a real rpm database (rpmbuild + rpm --justdb), Rocky OSV records, NVD scores', {
  skip: RPM_TOOLS ? false : 'rpm/rpmbuild not installed (scripts/install-test-deps.sh installs them)',
}, () => {
  /** Realistic Rocky 9 names and EVRs: openssl-libs comes from openssl's spec, libcurl from curl's. */
  const OPENSSL_OLD: RpmSpec = {
    name: 'openssl',
    epoch: 1,
    version: '3.0.7',
    release: '24.el9',
    license: 'ASL 2.0',
    summary: 'Utilities from the general purpose cryptography library with TLS implementation',
    subpackages: ['openssl-libs'],
  };
  const OPENSSL_NEW: RpmSpec = { ...OPENSSL_OLD, release: '27.el9' };
  /** The fixed version-release WITHOUT the epoch: rpm orders it below `1:3.0.7-27.el9`. */
  const { epoch: _, ...OPENSSL_NO_EPOCH } = OPENSSL_NEW;
  const CURL: RpmSpec = {
    name: 'curl',
    version: '7.76.1',
    release: '26.el9',
    license: 'MIT',
    summary: 'A utility for getting files from remote servers (FTP, HTTP, and others)',
    subpackages: ['libcurl'],
  };
  const ZLIB: RpmSpec = {
    name: 'zlib',
    version: '1.2.11',
    release: '40.el9',
    license: 'zlib and Boost',
    summary: 'Compression and decompression library',
  };

  let rootA: string;
  let rootB: string;
  let rootC: string;
  let ociImage: string;

  before(async () => {
    const rpms = await buildRpms(join(work, 'rpmbuild'), [OPENSSL_OLD, OPENSSL_NEW, CURL, ZLIB]);
    const rpm = (file: string) => {
      const path = rpms.get(file);
      assert.ok(path, `rpmbuild did not write ${file}: ${[...rpms.keys()].join(', ')}`);
      return path;
    };
    rootA = join(work, 'rocky-a');
    await installRoot(
      rootA,
      [
        rpm('openssl-3.0.7-24.el9.noarch.rpm'),
        rpm('openssl-libs-3.0.7-24.el9.noarch.rpm'),
        rpm('curl-7.76.1-26.el9.noarch.rpm'),
        rpm('libcurl-7.76.1-26.el9.noarch.rpm'),
        rpm('zlib-1.2.11-40.el9.noarch.rpm'),
      ],
      ROCKY_9_OS_RELEASE,
    );
    // B = A after `dnf upgrade openssl`: the same database, upgraded in place by rpm.
    rootB = join(work, 'rocky-b');
    await cp(rootA, rootB, { recursive: true });
    await upgradeRoot(rootB, [
      rpm('openssl-3.0.7-27.el9.noarch.rpm'),
      rpm('openssl-libs-3.0.7-27.el9.noarch.rpm'),
    ]);
    // C, a control: the fixed version-release built from a spec without `Epoch:` (its own topdir:
    // the file names are the same), which rpm orders below `1:3.0.7-27.el9`.
    const noEpoch = await buildRpms(join(work, 'rpmbuild-no-epoch'), [OPENSSL_NO_EPOCH]);
    rootC = join(work, 'rocky-c');
    await installRoot(rootC, [...noEpoch.values()], ROCKY_9_OS_RELEASE);
    const upgraded = (await layerFiles(rootB)).filter((f) => f.path.startsWith('var/lib/rpm/'));
    const spec: ImageSpec = {
      layers: [
        { createdBy: '/bin/sh -c #(nop) ADD file:5d5a8b12 in / ', files: await layerFiles(rootA) },
        { createdBy: 'RUN /bin/sh -c dnf -y upgrade openssl && dnf clean all # buildkit', files: upgraded },
      ],
      emptyHistory: [{ beforeLayer: 1, createdBy: '/bin/sh -c #(nop)  CMD ["/bin/bash"]' }],
    };
    ociImage = (await ociInput(work, 'rocky-oci', spec)).input;
  });

  test('the roots hold what rpm installed: rpm -qa agrees, sqlite backend at var/lib/rpm, os-release as Rocky lays it out', async () => {
    assert.deepEqual(await queryRoot(rootA), [
      'curl 0:7.76.1-26.el9 curl-7.76.1-26.el9.src.rpm',
      'libcurl 0:7.76.1-26.el9 curl-7.76.1-26.el9.src.rpm',
      'openssl 1:3.0.7-24.el9 openssl-3.0.7-24.el9.src.rpm',
      'openssl-libs 1:3.0.7-24.el9 openssl-3.0.7-24.el9.src.rpm',
      'zlib 0:1.2.11-40.el9 zlib-1.2.11-40.el9.src.rpm',
    ]);
    assert.deepEqual(
      (await queryRoot(rootB)).filter((l) => l.startsWith('openssl')),
      [
        'openssl 1:3.0.7-27.el9 openssl-3.0.7-27.el9.src.rpm',
        'openssl-libs 1:3.0.7-27.el9 openssl-3.0.7-27.el9.src.rpm',
      ],
    );
    assert.deepEqual(
      (await layerFiles(rootA)).map((f) => [f.path, f.type ?? 'file', f.linkname]),
      [
        ['etc/os-release', 'symlink', '../usr/lib/os-release'],
        ['usr/lib/os-release', 'file', undefined],
        ['var/lib/rpm/rpmdb.sqlite', 'file', undefined],
      ],
    );
  });

  test('dir: root: exact findings by binary package with epoch-qualified fixes; zlib at its fixed EVR is not reported', async () => {
    const r = await scan(`dir:${rootA}`);
    assert.equal(r.status, 'scanned', r.statusMessage);
    assert.equal(r.statusMessage, 'scanned 5 packages in 1 layer');
    assert.deepEqual([r.image.os?.id, r.image.os?.versionId], ['rocky', '9.3']);
    assert.deepEqual(rows(r), [
      ['CVE-2024-0727', 'openssl', '1:3.0.7-24.el9', '1:3.0.7-27.el9', 'fixed'],
      ['CVE-2024-0727', 'openssl-libs', '1:3.0.7-24.el9', '1:3.0.7-27.el9', 'fixed'],
      ['CVE-2023-5678', 'openssl', '1:3.0.7-24.el9', '1:3.0.7-27.el9', 'fixed'],
      ['CVE-2023-5678', 'openssl-libs', '1:3.0.7-24.el9', '1:3.0.7-27.el9', 'fixed'],
      ['CVE-2023-38546', 'curl', '7.76.1-26.el9', '7.76.1-26.el9_3.2', 'fixed'],
      ['CVE-2023-38546', 'libcurl', '7.76.1-26.el9', '7.76.1-26.el9_3.2', 'fixed'],
    ]);
    // The RLSA is the data source and an alias; the CVE id is how NVD's score attaches.
    assert.deepEqual(
      vulnerabilityFindings(r.findings).map((f) => [f.aliases, f.dataSource.feed, f.dataSource.id]),
      [
        ...Array(4).fill([['RLSA-2024:2447'], 'osv', 'RLSA-2024:2447']),
        ...Array(2).fill([['RLSA-2023:7540'], 'osv', 'RLSA-2023:7540']),
      ],
    );
    // NVD's own score before Red Hat's (CVE-2024-0727); the CNA's when NVD has none (curl).
    assert.deepEqual(scores(r), [
      ['CVE-2024-0727', 'openssl', 'nvd', 5.5, 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H'],
      ['CVE-2024-0727', 'openssl-libs', 'nvd', 5.5, 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H'],
      ['CVE-2023-5678', 'openssl', 'nvd', 5.3, 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L'],
      ['CVE-2023-5678', 'openssl-libs', 'nvd', 5.3, 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L'],
      ['CVE-2023-38546', 'curl', 'cna', 3.7, 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:L/A:N'],
      ['CVE-2023-38546', 'libcurl', 'cna', 3.7, 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:L/A:N'],
    ]);
    // SOURCERPM names the spec: only binaries named otherwise carry a source name.
    assert.deepEqual(
      vulnerabilityFindings(r.findings).map((f) => [f.package.type, f.package.sourceName, f.package.purl]),
      [
        ['rpm', undefined, 'pkg:rpm/rocky/openssl@3.0.7-24.el9?arch=noarch&distro=rocky-9.3&epoch=1'],
        ['rpm', 'openssl', 'pkg:rpm/rocky/openssl-libs@3.0.7-24.el9?arch=noarch&distro=rocky-9.3&epoch=1'],
        ['rpm', undefined, 'pkg:rpm/rocky/openssl@3.0.7-24.el9?arch=noarch&distro=rocky-9.3&epoch=1'],
        ['rpm', 'openssl', 'pkg:rpm/rocky/openssl-libs@3.0.7-24.el9?arch=noarch&distro=rocky-9.3&epoch=1'],
        ['rpm', undefined, 'pkg:rpm/rocky/curl@7.76.1-26.el9?arch=noarch&distro=rocky-9.3'],
        ['rpm', 'curl', 'pkg:rpm/rocky/libcurl@7.76.1-26.el9?arch=noarch&distro=rocky-9.3'],
      ],
    );
    assert.deepEqual([r.result, r.maxCvssV3], ['WARN', 5.5]);
    assert.deepEqual(r.summary.bySeverity, { critical: 0, high: 0, medium: 4, low: 2, none: 0, unknown: 0 });
    assert.deepEqual(
      await grades(`dir:${rootA}`, [
        [4, 7],
        [3, 5.5],
      ]),
      ['WARN', 'FAIL'],
    );
  });

  test('an exception naming one binary rpm by purl (as the report prints it) excepts only that package', async () => {
    const r = await scan(`dir:${rootA}`, {
      thresholds: { warn: 4, fail: 5.5 },
      exceptions: [
        {
          path: 'ignore.yaml',
          source: 'ignore.yaml',
          entries: [
            {
              kind: 'vulnerability',
              target: 'RLSA-2024:2447',
              package: 'pkg:rpm/rocky/openssl-libs@3.0.7-24.el9',
              reason: 'PKCS12 and DH parameters are not parsed here',
              created: '2025-01-01',
            },
          ],
        },
      ],
    });
    // Targeted by the RLSA alias: both of its CVEs, only for openssl-libs.
    assert.deepEqual(
      vulnerabilityFindings(r.findings).map((f) => [f.id, f.package.name, f.exception?.reason !== undefined]),
      [
        ['CVE-2024-0727', 'openssl', false],
        ['CVE-2024-0727', 'openssl-libs', true],
        ['CVE-2023-5678', 'openssl', false],
        ['CVE-2023-5678', 'openssl-libs', true],
        ['CVE-2023-38546', 'curl', false],
        ['CVE-2023-38546', 'libcurl', false],
      ],
    );
    // openssl still carries 5.5: the grade does not move.
    assert.deepEqual([r.result, r.maxCvssV3, r.summary.excepted, r.summary.findings], ['FAIL', 5.5, 2, 4]);
  });

  test('the upgraded root: openssl at exactly 1:3.0.7-27.el9 is not reported (the epoch is compared)', async () => {
    const r = await scan(`dir:${rootB}`);
    assert.equal(r.status, 'scanned', r.statusMessage);
    assert.deepEqual(rows(r), [
      ['CVE-2023-38546', 'curl', '7.76.1-26.el9', '7.76.1-26.el9_3.2', 'fixed'],
      ['CVE-2023-38546', 'libcurl', '7.76.1-26.el9', '7.76.1-26.el9_3.2', 'fixed'],
    ]);
    assert.deepEqual(
      await grades(`dir:${rootB}`, [
        [4, 7],
        [3, 5.5],
      ]),
      ['PASS', 'WARN'],
    );
  });

  test('control: the same version-release without the epoch is below the fix and reported', async () => {
    assert.deepEqual(await queryRoot(rootC), [
      'openssl 0:3.0.7-27.el9 openssl-3.0.7-27.el9.src.rpm',
      'openssl-libs 0:3.0.7-27.el9 openssl-3.0.7-27.el9.src.rpm',
    ]);
    const r = await scan(`dir:${rootC}`);
    assert.deepEqual(rows(r), [
      ['CVE-2024-0727', 'openssl', '3.0.7-27.el9', '1:3.0.7-27.el9', 'fixed'],
      ['CVE-2024-0727', 'openssl-libs', '3.0.7-27.el9', '1:3.0.7-27.el9', 'fixed'],
      ['CVE-2023-5678', 'openssl', '3.0.7-27.el9', '1:3.0.7-27.el9', 'fixed'],
      ['CVE-2023-5678', 'openssl-libs', '3.0.7-27.el9', '1:3.0.7-27.el9', 'fixed'],
    ]);
  });

  test('assay scan (CLI): both roots in one run, JSON output, exit 1 from the FAIL', async () => {
    const home = join(work, 'home');
    const out = join(work, 'rocky.json');
    const args = ['scan', '-p', join(work, 'db'), '-w', '3', '-f', '5', '-o', out];
    const failed = await runAssay([...args, `dir:${rootA}`, `dir:${rootB}`], { HOME: home });
    assert.equal(failed.code, 1, failed.stderr);
    const doc = ScanDocumentSchema.parse(JSON.parse(await readFile(out, 'utf8')));
    assert.deepEqual(
      doc.images.map((i) => [
        i.result,
        i.maxCvssV3,
        vulnerabilityFindings(i.findings).map((f) => `${f.id} ${f.package.name}`),
      ]),
      [
        [
          'FAIL',
          5.5,
          [
            'CVE-2024-0727 openssl',
            'CVE-2024-0727 openssl-libs',
            'CVE-2023-5678 openssl',
            'CVE-2023-5678 openssl-libs',
            'CVE-2023-38546 curl',
            'CVE-2023-38546 libcurl',
          ],
        ],
        ['WARN', 3.7, ['CVE-2023-38546 curl', 'CVE-2023-38546 libcurl']],
      ],
    );
    assert.match(failed.stdout, /CVE-2023-38546/); // the table on stdout beside the JSON file
  });

  // `assay sbom` writes null for what a dir: root lacks (tag, manifest digest, created_by).
  test('sbom: input of `assay sbom` JSON for a dir: root gives the same findings as the root', async () => {
    const input = `dir:${rootA}`;
    const source = await openSource(input, { spoolDir: join(work, 'spool') });
    const desc = await source.describe();
    const catalog = await catalogImage(source, desc, { today: NOW });
    await source.close();
    const path = join(work, 'rocky-a.sbom.json');
    await writeFile(path, JSON.stringify(sbomDocument(desc, catalog, '0.0.0', NOW.toISOString())));
    const r = await scan(`sbom:${path}`);
    assert.equal(r.status, 'scanned', r.statusMessage);
    assert.deepEqual(rows(r), rows(await scan(input)));
  });

  test('OCI image: the upgrade layer replaces the rpm database; base-layer attribution', async () => {
    const r = await scan(ociImage);
    assert.equal(r.status, 'scanned', r.statusMessage);
    assert.equal(r.statusMessage, 'scanned 5 packages in 2 layers');
    assert.deepEqual(rows(r), [
      ['CVE-2023-38546', 'curl', '7.76.1-26.el9', '7.76.1-26.el9_3.2', 'fixed'],
      ['CVE-2023-38546', 'libcurl', '7.76.1-26.el9', '7.76.1-26.el9_3.2', 'fixed'],
    ]);
    assert.deepEqual(
      r.layers.map((l) => [l.index, l.base]),
      [
        [0, true],
        [1, false],
      ],
    );
    // curl and libcurl are unchanged since the base layer, whose rpm database listed them first.
    assert.deepEqual(
      vulnerabilityFindings(r.findings).map((f) => [f.package.layerIndex, f.fromBaseImage]),
      [
        [0, true],
        [0, true],
      ],
    );
    assert.deepEqual(
      await grades(ociImage, [
        [4, 7],
        [3, 5.5],
      ]),
      ['PASS', 'WARN'],
    );
  });
});

describe('Debian 12 with and without a later security update (two images, one base layer)', () => {
  const base = (version: string) =>
    dpkgStatus(
      dpkgStanza('libc6', '2.36-9+deb12u4', 'glibc'),
      dpkgStanza('libssl3', version, 'openssl'),
      dpkgStanza('openssl', version),
    );
  const imageA: ImageSpec = {
    layers: [debianBaseLayer(base('3.0.11-1~deb12u1'))],
    emptyHistory: [],
  };
  const imageB: ImageSpec = {
    layers: [
      debianBaseLayer(base('3.0.11-1~deb12u1')),
      {
        createdBy: 'RUN /bin/sh -c apt-get update && apt-get upgrade -y # buildkit',
        files: [{ path: 'var/lib/dpkg/status', content: base('3.0.11-1~deb12u2') }],
      },
    ],
    emptyHistory: [{ beforeLayer: 1, createdBy: '/bin/sh -c #(nop)  CMD ["bash"]' }],
  };
  let a: string;
  let b: string;

  before(async () => {
    const builtA = await ociInput(work, 'debian-a', imageA);
    const builtB = await ociInput(work, 'debian-b', imageB);
    assert.equal(builtA.image.layers[0]?.diffId, builtB.image.layers[0]?.diffId, 'same base layer');
    a = builtA.input;
    b = builtB.input;
  });

  test('A (deb12u1): the fix it lacks, the open one, the ignored one; never the not-affected one', async () => {
    const r = await scan(a);
    assert.equal(r.status, 'scanned', r.statusMessage);
    assert.deepEqual(rows(r), [
      ['CVE-2023-5363', 'libssl3', '3.0.11-1~deb12u1', '3.0.11-1~deb12u2', 'fixed'],
      ['CVE-2023-5363', 'openssl', '3.0.11-1~deb12u1', '3.0.11-1~deb12u2', 'fixed'],
      ['CVE-2023-6129', 'libssl3', '3.0.11-1~deb12u1', undefined, 'will_not_fix'],
      ['CVE-2023-6129', 'openssl', '3.0.11-1~deb12u1', undefined, 'will_not_fix'],
      ['CVE-2024-0727', 'libssl3', '3.0.11-1~deb12u1', undefined, 'affected'],
      ['CVE-2024-0727', 'openssl', '3.0.11-1~deb12u1', undefined, 'affected'],
    ]);
    assert.deepEqual(
      vulnerabilityFindings(r.findings).map((f) => [
        f.package.sourceName,
        f.dataSource.feed,
        f.cvss?.source,
        f.cvss?.score,
      ]),
      [
        ['openssl', 'debian-tracker', 'nvd', 7.5],
        [undefined, 'debian-tracker', 'nvd', 7.5],
        ['openssl', 'debian-tracker', 'nvd', 6.5],
        [undefined, 'debian-tracker', 'nvd', 6.5],
        ['openssl', 'debian-tracker', 'nvd', 5.5],
        [undefined, 'debian-tracker', 'nvd', 5.5],
      ],
    );
    assert.deepEqual([r.result, r.maxCvssV3, r.summary.fixable], ['FAIL', 7.5, 2]);
    assert.deepEqual(
      await grades(a, [
        [4, 7],
        [7, 8],
      ]),
      ['FAIL', 'WARN'],
    );
  });

  test('B (A + the deb12u2 upgrade layer): the fixed CVE is gone, the unfixed ones stay', async () => {
    const r = await scan(b);
    assert.equal(r.status, 'scanned', r.statusMessage);
    assert.deepEqual(rows(r), [
      ['CVE-2023-6129', 'libssl3', '3.0.11-1~deb12u2', undefined, 'will_not_fix'],
      ['CVE-2023-6129', 'openssl', '3.0.11-1~deb12u2', undefined, 'will_not_fix'],
      ['CVE-2024-0727', 'libssl3', '3.0.11-1~deb12u2', undefined, 'affected'],
      ['CVE-2024-0727', 'openssl', '3.0.11-1~deb12u2', undefined, 'affected'],
    ]);
    assert.deepEqual(
      vulnerabilityFindings(r.findings).map((f) => [f.package.layerIndex, f.fromBaseImage]),
      Array(4).fill([1, false]),
    );
    assert.deepEqual([r.result, r.maxCvssV3, r.summary.fixable], ['WARN', 6.5, 0]);
    assert.deepEqual(
      await grades(b, [
        [4, 7],
        [7, 8],
      ]),
      ['WARN', 'PASS'],
    );
    const unfixed = await scan(b, { filters: { ignoreUnfixed: true } });
    assert.deepEqual([unfixed.findings.length, unfixed.summary.filtered, unfixed.result], [0, 4, 'PASS']);
  });
});
