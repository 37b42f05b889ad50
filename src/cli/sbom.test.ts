/**
 * `assay sbom` end to end: a real-format dpkg database changed across layers, through the CLI,
 * with the layer cache, and with an unreadable layer.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type BuiltImage, buildImage, writeOciLayout } from '../test-support/oci-image.js';
import { type CliRun, runAssay } from './testing/run-cli.js';

function assay(args: string[]): Promise<CliRun> {
  return runAssay(args, { HOME: work });
}

const stanza = (name: string, version: string, source?: string) =>
  `Package: ${name}\nStatus: install ok installed\nPriority: optional\nArchitecture: amd64\n${source ? `Source: ${source}\n` : ''}Version: ${version}\nDescription: test package ${name}\n`;

const OS_RELEASE =
  'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n';

let work: string;
let image: BuiltImage;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'assay-sbom-'));
  image = await buildImage({
    layers: [
      {
        createdBy: 'ADD rootfs.tar /',
        files: [
          { path: 'usr/lib/os-release', content: OS_RELEASE },
          { path: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
          {
            path: 'var/lib/dpkg/status',
            content: [stanza('libc6', '2.36-9+deb12u4', 'glibc'), stanza('openssl', '3.0.11-1~deb12u2')].join(
              '\n',
            ),
          },
        ],
      },
      {
        createdBy: 'RUN apt-get install -y curl && apt-get upgrade -y openssl',
        files: [
          {
            path: 'var/lib/dpkg/status',
            content: [
              stanza('libc6', '2.36-9+deb12u4', 'glibc'),
              stanza('openssl', '3.0.13-1~deb12u1'),
              stanza('curl', '7.88.1-10+deb12u5'),
            ].join('\n'),
          },
        ],
      },
    ],
  });
  await writeOciLayout(join(work, 'layout'), [{ tag: 'v1', images: [image] }]);
});

after(() => rm(work, { recursive: true, force: true }));

test('lists the final packages with the layer that introduced each version, and the OS', async () => {
  const r = await assay(['sbom', `oci-dir:${work}/layout:v1`, '--cache-dir', join(work, 'cache')]);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.complete, true);
  assert.equal(doc.image.imageId, image.config.digest);
  assert.deepEqual([doc.os.id, doc.os.versionId, doc.os.codename], ['debian', '12', 'bookworm']);
  const rows = doc.packages.map(
    (p: {
      name: string;
      version: string;
      source?: { name: string };
      introducedIn: { layerIndex: number };
      purl: string;
    }) => [p.name, p.version, p.source?.name, p.introducedIn.layerIndex, p.purl],
  );
  assert.deepEqual(rows.sort(), [
    [
      'curl',
      '7.88.1-10+deb12u5',
      'curl',
      1,
      'pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12',
    ],
    [
      'libc6',
      '2.36-9+deb12u4',
      'glibc',
      0,
      'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12',
    ],
    [
      'openssl',
      '3.0.13-1~deb12u1',
      'openssl',
      1,
      'pkg:deb/debian/openssl@3.0.13-1~deb12u1?arch=amd64&distro=debian-12',
    ],
  ]);
});

test('a warm cache answers without the layer blobs; an unreadable layer makes the SBOM partial (exit 2)', async () => {
  const dir = join(work, 'layout-2');
  const cacheDir = join(work, 'cache-2');
  await writeOciLayout(dir, [{ tag: 'v1', images: [image] }]);
  const first = await assay(['sbom', `oci-dir:${dir}:v1`, '--cache-dir', cacheDir]);
  assert.equal(first.code, 0, first.stderr);
  await writeFile(join(dir, 'blobs', 'sha256', image.layers[1]!.digest.slice(7)), 'garbage');
  const warm = await assay(['sbom', `oci-dir:${dir}:v1`, '--cache-dir', cacheDir]);
  assert.equal(warm.code, 0, warm.stderr);
  assert.deepEqual(JSON.parse(warm.stdout).packages, JSON.parse(first.stdout).packages);
  const cold = await assay(['sbom', `oci-dir:${dir}:v1`, '--no-cache']);
  assert.equal(cold.code, 2);
  assert.match(cold.stderr, /layer 1/);
  const doc = JSON.parse(cold.stdout);
  assert.equal(doc.complete, false);
  assert.equal(doc.layerErrors[0].layerIndex, 1);
  assert.deepEqual(
    doc.packages.map((p: { name: string }) => p.name).sort(),
    ['libc6', 'openssl'],
    'what layer 0 holds',
  );
});

test('an unknown format is a usage error', async () => {
  const r = await assay(['sbom', `oci-dir:${work}/layout:v1`, '--format', 'xml']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--format must be one of/);
});

test('image inspect reports the distribution, unless --no-os', async () => {
  const r = await assay(['image', 'inspect', `oci-dir:${work}/layout:v1`, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual([doc.distro.family, doc.distro.versionId, doc.distro.eol], ['debian', '12', false]);
  const text = await assay(['image', 'inspect', `oci-dir:${work}/layout:v1`]);
  assert.match(text.stdout, /^Distribution +Debian GNU\/Linux 12 \(bookworm\)$/m);
  const bare = await assay(['image', 'inspect', `oci-dir:${work}/layout:v1`, '--format', 'json', '--no-os']);
  assert.equal(JSON.parse(bare.stdout).distro, null);
});

test('CycloneDX 1.6 and SPDX 2.3 outputs are valid against the official schemas', async () => {
  const { validateCycloneDx, validateSpdx } = await import('../report/sbom/test-schemas.js');
  const cdx = await assay(['sbom', `oci-dir:${work}/layout:v1`, '--format', 'cyclonedx']);
  assert.equal(cdx.code, 0, cdx.stderr);
  const bom = JSON.parse(cdx.stdout);
  assert.deepEqual(validateCycloneDx(bom), []);
  assert.deepEqual(
    bom.components
      .filter((c: { type: string }) => c.type === 'library')
      .map((c: { purl: string }) => c.purl)
      .sort(),
    [
      'pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12',
      'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12',
      'pkg:deb/debian/openssl@3.0.13-1~deb12u1?arch=amd64&distro=debian-12',
    ],
  );
  const out = join(work, 'image.spdx.json');
  const spdx = await assay(['sbom', `oci-dir:${work}/layout:v1`, '--format', 'spdx-json', '-o', out]);
  assert.equal(spdx.code, 0, spdx.stderr);
  assert.equal(spdx.stdout, '');
  const doc = JSON.parse(await readFile(out, 'utf8'));
  assert.deepEqual(validateSpdx(doc), []);
  assert.equal(
    doc.packages.filter((p: { primaryPackagePurpose?: string }) => p.primaryPackagePurpose === 'LIBRARY')
      .length,
    3,
  );
});

test('a wanted file above the in-memory threshold is spilled into a cache directory that did not exist yet', async () => {
  const big = await buildImage({
    layers: [
      {
        files: [
          { path: 'usr/local/bin/tool', content: Buffer.alloc(6 * 1024 * 1024, 1) },
          { path: 'usr/lib/os-release', content: OS_RELEASE },
        ],
      },
    ],
  });
  const dir = join(work, 'layout-big');
  await writeOciLayout(dir, [{ tag: 'v1', images: [big] }]);
  const cacheDir = join(work, 'fresh', 'cache');
  const r = await assay(['sbom', `oci-dir:${dir}:v1`, '--cache-dir', cacheDir]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).complete, true);
  assert.deepEqual(await readdir(join(cacheDir, 'tmp')), [], 'spill files removed');
});
