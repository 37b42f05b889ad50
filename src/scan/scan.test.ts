/**
 * scanImage / scanImages in-process: real-format images written as OCI layouts, catalogued for
 * real, matched against an in-memory DB with the importers' record shapes.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { catalogImage } from '../catalog/catalog-image.js';
import { sbomDocument } from '../catalog/sbom-document.js';
import { openSource } from '../image/source.js';
import { type ImageResult, ImageResultSchema, vulnerabilityFindings } from '../model/result.js';
import { writeCycloneDx } from '../report/sbom/cyclonedx.js';
import { writeSpdx } from '../report/sbom/spdx.js';
import { type BuiltImage, buildImage } from '../test-support/oci-image.js';
import { startRegistry, type TestRegistry } from '../test-support/registry.js';
import type { MemoryDb } from '../vulndb/testing/memory-db.js';
import { DB_SCHEMA_VERSION } from '../vulndb/types.js';
import { type ScanOptions, scanImage, scanImages } from './scan.js';
import { memoryDb } from './testing/advisories.js';
import {
  allAdvisories,
  alpineImage,
  debianImage,
  languageAdvisories,
  languageImage,
} from './testing/fixtures.js';
import { ociInput } from './testing/images.js';

let work: string;
let db: MemoryDb;
let debian: string;
let alpine: string;
let language: string;
const NOW = new Date('2026-01-15T12:00:00Z');

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'assay-scan-'));
  db = memoryDb(allAdvisories);
  debian = (await ociInput(work, 'debian', debianImage)).input;
  alpine = (await ociInput(work, 'alpine', alpineImage)).input;
  language = (await ociInput(work, 'language', languageImage)).input;
});
after(() => rm(work, { recursive: true, force: true }));

function options(over: Partial<ScanOptions> = {}): ScanOptions {
  return { db, source: { spoolDir: join(work, 'spool') }, now: () => NOW, ...over };
}

async function scan(input: string, over: Partial<ScanOptions> = {}): Promise<ImageResult> {
  const result = await scanImage(input, options(over));
  ImageResultSchema.parse(result);
  return result;
}

const brief = (r: ImageResult) =>
  vulnerabilityFindings(r.findings).map((f) => [
    f.id,
    f.package.name,
    f.status,
    f.fixedVersion,
    f.cvss?.score,
    f.fromBaseImage,
  ]);

test('Debian: findings by source package, only for what is in the final file system, with base-image attribution', async () => {
  const r = await scan(debian);
  assert.equal(r.status, 'scanned');
  assert.equal(r.statusMessage, 'scanned 3 packages in 2 layers');
  // openssl was upgraded past its fix and zlib1g removed in layer 1; curl has no fix yet.
  assert.deepEqual(brief(r), [
    ['CVE-2024-1001', 'libc6', 'fixed', '2.36-9+deb12u5', 7.5, true],
    ['CVE-2024-1004', 'curl', 'affected', undefined, 5.3, false],
  ]);
  assert.equal(vulnerabilityFindings(r.findings)[0]!.package.sourceName, 'glibc');
  assert.deepEqual(
    r.layers.map((l) => [l.index, l.base, l.createdBy?.slice(0, 20)]),
    [
      [0, true, '/bin/sh -c #(nop) AD'],
      [1, false, 'RUN /bin/sh -c apt-g'],
    ],
  );
  assert.deepEqual([r.result, r.maxCvssV3], ['FAIL', 7.5]);
  assert.deepEqual(r.summary.bySeverity, { critical: 0, high: 1, medium: 1, low: 0, none: 0, unknown: 0 });
  assert.deepEqual([r.image.source, r.image.os?.id, r.image.tags], ['oci-dir', 'debian', ['v1']]);
  assert.equal(r.image.id, r.image.manifestDigest);
  assert.ok(r.image.imageId?.startsWith('sha256:'));
  assert.equal(r.scannedAt, NOW.toISOString());
  assert.deepEqual(r.filters, { ignoreUnfixed: false, ignoreFiles: [] });
  assert.equal(r.database?.schemaVersion, DB_SCHEMA_VERSION);
});

test('grades under several thresholds', async () => {
  const grade = async (warn: number, fail: number) =>
    (await scan(debian, { thresholds: { warn, fail } })).result;
  assert.equal(await grade(4, 7), 'FAIL');
  assert.equal(await grade(4, 7.6), 'WARN');
  assert.equal(await grade(7.5, 7.5), 'FAIL');
  assert.equal(await grade(8, 9), 'PASS');
});

test('--ignore-unfixed and --severity filter before grading and are recorded', async () => {
  const unfixed = await scan(debian, { filters: { ignoreUnfixed: true } });
  assert.deepEqual(
    unfixed.findings.map((f) => f.id),
    ['CVE-2024-1001'],
  );
  assert.equal(unfixed.summary.filtered, 1);
  const medium = await scan(debian, { filters: { severity: ['medium'] }, thresholds: { warn: 4, fail: 7 } });
  assert.deepEqual(
    medium.findings.map((f) => f.id),
    ['CVE-2024-1004'],
  );
  assert.deepEqual([medium.result, medium.maxCvssV3, medium.filters.severity], ['WARN', 5.3, ['medium']]);
});

test('exceptions: a matching entry excepts the finding (listed, not graded); an expired one is an issue', async () => {
  const r = await scan(debian, {
    exceptions: [
      {
        path: 'ignore.yaml',
        source: 'ignore.yaml',
        entries: [
          {
            kind: 'vulnerability',
            target: 'CVE-2024-1001',
            reason: 'not reachable',
            author: 'sec',
            created: '2026-01-01',
          },
          {
            kind: 'vulnerability',
            target: 'CVE-2024-1004',
            reason: 'old',
            created: '2025-01-01',
            expires: '2025-06-01',
          },
        ],
      },
    ],
  });
  assert.deepEqual(
    r.findings.map((f) => [f.id, f.exception?.reason]),
    [
      ['CVE-2024-1001', 'not reachable'],
      ['CVE-2024-1004', undefined],
    ],
  );
  assert.deepEqual([r.result, r.maxCvssV3, r.summary.excepted], ['WARN', 5.3, 1]);
  assert.deepEqual(
    r.issues.map((i) => i.code),
    ['exception-expired'],
  );
  assert.deepEqual(r.filters.ignoreFiles, ['ignore.yaml']);
});

test('Alpine root filesystem: matched by origin in the release branch', async () => {
  const r = await scan(alpine);
  assert.deepEqual(brief(r), [['CVE-2024-2001', 'libcrypto3', 'fixed', '3.1.4-r6', 5.3, false]]);
  assert.equal(r.result, 'WARN');
});

test('language packages: npm lock file and Python dist-info, CVE ids with their GHSA aliases', async () => {
  const r = await scan(language);
  assert.deepEqual(
    vulnerabilityFindings(r.findings).map((f) => [
      f.id,
      f.aliases,
      f.package.type,
      f.package.name,
      f.fixedVersion,
    ]),
    [
      ['CVE-2021-23337', ['GHSA-35jh-r3h4-6jhm'], 'npm', 'lodash', '4.17.21'],
      ['CVE-2024-35195', ['GHSA-9wx4-h78v-vm56'], 'python', 'requests', '2.32.0'],
    ],
  );
});

test('an OS without data in the DB is unsupported_os (UNKNOWN), never "0 vulnerabilities"; language findings stay', async () => {
  const r = await scan(debian, { db: memoryDb(languageAdvisories) });
  assert.equal(r.status, 'unsupported_os');
  assert.match(r.statusMessage, /Debian 12/);
  assert.deepEqual([r.result, r.findings.length], ['UNKNOWN', 0]);
});

test('an unreadable layer makes the image partial: what was read is still matched, graded UNKNOWN', async () => {
  const { input, image } = await ociInput(work, 'broken', debianImage);
  const blob = image.layers[1]!.digest.slice(7);
  await writeFile(join(work, 'broken', 'blobs', 'sha256', blob), 'not a layer');
  const r = await scan(input);
  assert.equal(r.status, 'partial');
  assert.match(r.statusMessage, /^partly scanned: 1 of 2 layers could not be read \(layer 1: /);
  assert.equal(r.result, 'UNKNOWN');
  assert.ok(r.findings.some((f) => f.id === 'CVE-2024-1001'));
});

test('several images: a missing one is reported (not_found) beside the good ones, in input order', async () => {
  const results = await scanImages([debian, `oci-dir:${join(work, 'absent')}:v1`, alpine], options(), {
    concurrency: 2,
  });
  for (const r of results) ImageResultSchema.parse(r);
  assert.deepEqual(
    results.map((r) => [r.input, r.status, r.result]),
    [
      [debian, 'scanned', 'FAIL'],
      [`oci-dir:${join(work, 'absent')}:v1`, 'not_found', 'UNKNOWN'],
      [alpine, 'scanned', 'WARN'],
    ],
  );
  assert.match(results[1]!.statusMessage, /absent/);
  assert.deepEqual(results[1]!.summary.findings, 0);
  assert.deepEqual(
    [results[1]!.image.source, results[1]!.image.repository, results[1]!.image.tags],
    ['oci-dir', join(work, 'absent'), ['v1']],
  );
});

test('bad inputs map to statuses: invalid reference → not_found, not an SBOM → not_an_image', async () => {
  const bad = await scan('registry:alpine@sha256:nothex');
  assert.deepEqual([bad.status, bad.result], ['not_found', 'UNKNOWN']);
  assert.match(bad.statusMessage, /invalid image reference/);
  const notSbom = join(work, 'not-sbom.json');
  await writeFile(notSbom, '{"hello": 1}');
  const r = await scan(`sbom:${notSbom}`);
  assert.deepEqual([r.status, r.image.source], ['not_an_image', 'sbom']);
});

test('sbom: inputs written by assay sbom (CycloneDX, SPDX, json) give the same findings as the image', async () => {
  const [, layoutName] = /^oci-dir:(.*):v1$/.exec(debian)!;
  const source = await openSource(debian, { spoolDir: join(work, 'spool') });
  const desc = await source.describe();
  const catalog = await catalogImage(source, desc, { today: NOW });
  await source.close();
  const input = {
    image: desc,
    ...(catalog.inventory.os ? { os: catalog.inventory.os } : {}),
    packages: catalog.inventory.packages,
    issues: catalog.inventory.issues,
    tool: { name: 'assay' as const, version: '0.0.0' },
    timestamp: NOW.toISOString(),
  };
  const docs = {
    'app.cdx.json': writeCycloneDx(input),
    'app.spdx.json': writeSpdx(input),
    'app.json': sbomDocument(desc, catalog, '0.0.0', NOW.toISOString()),
  };
  const direct = await scan(debian);
  for (const [name, doc] of Object.entries(docs)) {
    const path = join(work, name);
    await writeFile(path, JSON.stringify(doc));
    const r = await scan(`sbom:${path}`);
    assert.equal(r.status, 'scanned', `${name}: ${r.statusMessage}`);
    // An SBOM has no image history, so nothing in it is attributed to a base image.
    const withoutBase = (x: ImageResult) => brief(x).map((row) => row.slice(0, -1));
    assert.deepEqual(withoutBase(r), withoutBase(direct), name);
    assert.deepEqual(
      vulnerabilityFindings(r.findings).map((f) => [f.package.layerIndex, f.package.layerDiffId]),
      vulnerabilityFindings(direct.findings).map((f) => [f.package.layerIndex, f.package.layerDiffId]),
      name,
    );
    assert.equal(r.image.imageId, desc.imageId, name);
    assert.equal(r.image.source, 'sbom');
  }
  assert.ok(layoutName && (await readdir(layoutName)).includes('index.json'));
});

test('library scan(): opens the DB by directory, reads ignore files by path', async () => {
  const { scan: libraryScan } = await import('./index.js');
  const { writeDbDir } = await import('./testing/advisories.js');
  const dbDir = join(work, 'lib-db');
  await writeDbDir(dbDir, allAdvisories);
  const ignore = join(work, '.trivyignore');
  await writeFile(ignore, '# accepted\nCVE-2024-1001\n');
  const r = await libraryScan(debian, {
    dbDir,
    ignoreFiles: [ignore],
    source: { spoolDir: join(work, 'spool') },
    now: () => NOW,
  });
  ImageResultSchema.parse(r);
  assert.deepEqual(
    r.findings.map((f) => [f.id, f.exception?.source]),
    [
      ['CVE-2024-1001', ignore],
      ['CVE-2024-1004', undefined],
    ],
  );
  assert.deepEqual([r.result, r.database?.sources.length], ['WARN', 1]);
  await assert.rejects(libraryScan(debian, { dbDir: join(work, 'no-db') }), /assay db update/);
});

describe('registry images (a real docker-registry with basic auth)', () => {
  let registry: TestRegistry;
  let built: BuiltImage;
  before(async () => {
    registry = await startRegistry({ auth: 'basic' });
    built = await buildImage(debianImage);
    await registry.push(built, 'team/app', '1.0');
  });
  after(() => registry.stop());

  const withCredentials = (password: string): Partial<ScanOptions> => ({
    source: { spoolDir: join(work, 'spool'), username: registry.username, password },
  });

  test('identity is the manifest digest in its repository; exceptions scoped to the repository apply', async () => {
    const ref = `registry:${registry.host}/team/app:1.0`;
    const r = await scan(ref, {
      ...withCredentials(registry.password),
      exceptions: [
        {
          path: 'x.yaml',
          source: 'x.yaml',
          entries: [
            {
              kind: 'vulnerability',
              target: 'CVE-2024-1004',
              scope: { repository: `${registry.host}/team/*` },
              reason: 'accepted for team images',
              created: '2026-01-01',
            },
          ],
        },
      ],
    });
    assert.equal(r.status, 'scanned', r.statusMessage);
    assert.deepEqual(
      [
        r.image.registry,
        r.image.repository,
        r.image.tags,
        r.image.id,
        r.image.manifestDigest,
        r.image.source,
      ],
      [registry.host, 'team/app', ['1.0'], built.manifest.digest, built.manifest.digest, 'registry'],
    );
    assert.equal(r.image.imageId, built.config.digest);
    assert.deepEqual(
      r.findings.map((f) => [f.id, f.exception?.reason]),
      [
        ['CVE-2024-1001', undefined],
        ['CVE-2024-1004', 'accepted for team images'],
      ],
    );
  });

  test('wrong credentials → unauthorized, unknown tag → not_found, nothing listening → network_error', async () => {
    const bad = await scan(`registry:${registry.host}/team/app:1.0`, withCredentials('wrong-pass-123'));
    assert.deepEqual([bad.status, bad.result], ['unauthorized', 'UNKNOWN']);
    assert.doesNotMatch(bad.statusMessage, /wrong-pass-123/);
    const missing = await scan(`registry:${registry.host}/team/app:2.0`, withCredentials(registry.password));
    assert.equal(missing.status, 'not_found', missing.statusMessage);
    assert.deepEqual(
      [missing.image.registry, missing.image.repository, missing.image.tags],
      [registry.host, 'team/app', ['2.0']],
    );
    const down = await scan('registry:127.0.0.1:1/team/app:1.0', {
      source: { spoolDir: join(work, 'spool'), timeoutMs: 5000 },
    });
    assert.equal(down.status, 'network_error', down.statusMessage);
  });
});
