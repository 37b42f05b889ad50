import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isAssayError } from '../model/errors.js';
import { PackageSchema } from '../model/package.js';
import { readSbomInput, type SbomImage } from './sbom-input.js';

const fixture = (name: string) => new URL(`./testdata/${name}`, import.meta.url).pathname;

function rows(image: SbomImage) {
  return image.packages.map((p) => ({
    type: p.type,
    name: p.name,
    version: p.version,
    source: p.source ? `${p.source.name} ${p.source.version}` : undefined,
    path: p.locations[0]!.path,
    layer: `${p.introducedIn.layerIndex}:${p.introducedIn.layerDiffId.slice(7, 9)}`,
  }));
}

function assertValid(image: SbomImage): void {
  for (const p of image.packages) PackageSchema.parse(p);
}

test('Trivy CycloneDX: OS from the operating-system component, sources from Src* properties, layers by DiffID', async () => {
  const path = fixture('trivy-debian.cdx.json');
  const image = await readSbomInput(path);
  assertValid(image);
  assert.equal(image.format, 'cyclonedx');
  assert.deepEqual(
    [image.os?.family, image.os?.id, image.os?.version, image.os?.versionId],
    ['debian', 'debian', '12.5', '12'],
  );
  assert.deepEqual(rows(image), [
    {
      type: 'deb',
      name: 'libssl3',
      version: '3.0.11-1~deb12u2',
      source: 'openssl 3.0.11-1~deb12u2',
      path,
      layer: '0:aa',
    },
    {
      type: 'deb',
      name: 'login',
      version: '1:4.13+dfsg1-1',
      source: 'shadow 1:4.13+dfsg1-1',
      path,
      layer: '0:aa',
    },
    {
      type: 'npm',
      name: '@babel/traverse',
      version: '7.22.5',
      source: undefined,
      path: 'app/node_modules/@babel/traverse/package.json',
      layer: '1:bb',
    },
    {
      type: 'go-stdlib',
      name: 'stdlib',
      version: '1.21.5',
      source: undefined,
      path: 'usr/local/bin/tool',
      layer: '1:bb',
    },
  ]);
  assert.equal(image.packages[0]!.arch, 'amd64');
  assert.deepEqual(image.packages[0]!.licenses, ['Apache-2.0']);
  assert.deepEqual(
    image.layers.map((l) => [l.index, l.diffId.slice(7, 9)]),
    [
      [0, 'aa'],
      [1, 'bb'],
    ],
  );
  assert.equal(image.imageId, `sha256:${'2'.repeat(64)}`);
  assert.equal(image.manifestDigest, `sha256:${'1'.repeat(64)}`);
  assert.equal(image.reference, 'registry.example.com/team/app:1.2');
  assert.deepEqual(image.issues, []);
});

test('Syft CycloneDX: upstream= qualifier is the source package; locations from syft:location; unsupported purl types counted', async () => {
  const path = fixture('syft-debian.cdx.json');
  const image = await readSbomInput(path);
  assertValid(image);
  assert.deepEqual(
    [image.os?.id, image.os?.versionId, image.os?.prettyName],
    ['debian', '12', 'Debian GNU/Linux 12 (bookworm)'],
  );
  assert.deepEqual(
    rows(image).map((r) => [r.type, r.name, r.version, r.source, r.path]),
    [
      ['deb', 'libc6', '2.36-9+deb12u4', 'glibc 2.36-9+deb12u4', 'var/lib/dpkg/status'],
      ['deb', 'libgcc-s1', '12.2.0-14', 'gcc-12 12.2.0-14', 'var/lib/dpkg/status'],
      [
        'python',
        'requests',
        '2.31.0',
        undefined,
        'usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA',
      ],
      [
        'java',
        'org.apache.logging.log4j:log4j-core',
        '2.14.1',
        undefined,
        'opt/app/lib/log4j-core-2.14.1.jar',
      ],
    ],
  );
  // Syft lists no layers: packages keep their layer id, at index 0.
  assert.equal(image.packages[0]!.introducedIn.layerDiffId, `sha256:${'d'.repeat(64)}`);
  assert.equal(image.manifestDigest, `sha256:${'3'.repeat(64)}`);
  assert.deepEqual(
    image.issues.map((i) => [i.code, i.message]),
    [
      [
        'invalid-field',
        `${path}: 1 component(s) with purl type "generic" are not matched (no advisory source)`,
      ],
    ],
  );
});

test('Syft SPDX: no OS package, so the OS comes from the distro= qualifier; path from sourceInfo', async () => {
  const image = await readSbomInput(fixture('syft-alpine.spdx.json'));
  assertValid(image);
  assert.equal(image.format, 'spdx');
  assert.deepEqual([image.os?.family, image.os?.id, image.os?.versionId], ['alpine', 'alpine', '3.19.1']);
  assert.deepEqual(
    rows(image).map((r) => [r.type, r.name, r.version, r.source, r.path]),
    [
      ['apk', 'busybox', '1.36.1-r15', 'busybox 1.36.1-r15', 'lib/apk/db/installed'],
      ['apk', 'libcrypto3', '3.1.4-r5', 'openssl 3.1.4-r5', 'lib/apk/db/installed'],
      ['go-module', 'golang.org/x/net', 'v0.17.0', undefined, 'usr/bin/app'],
      ['go-stdlib', 'stdlib', '1.21.3', undefined, 'usr/bin/app'],
    ],
  );
  assert.deepEqual(image.tags, ['3.19']);
  assert.equal(image.manifestDigest, `sha256:${'4'.repeat(64)}`);
});

test('Trivy SPDX: OPERATING-SYSTEM package, apk distro= holds only the version; a bad purl is a located issue', async () => {
  const path = fixture('trivy-alpine.spdx.json');
  const image = await readSbomInput(path);
  assertValid(image);
  assert.deepEqual([image.os?.id, image.os?.versionId], ['alpine', '3.19.1']);
  assert.deepEqual(rows(image), [
    { type: 'apk', name: 'libcrypto3', version: '3.1.4-r5', source: 'openssl 3.1.4-r5', path, layer: '0:ff' },
  ]);
  assert.equal(image.imageId, `sha256:${'6'.repeat(64)}`);
  assert.equal(image.manifestDigest, `sha256:${'5'.repeat(64)}`);
  assert.equal(image.reference, 'alpine:3.19.1');
  assert.equal(image.issues.length, 1);
  assert.equal(image.issues[0]!.code, 'invalid-field');
  assert.match(image.issues[0]!.message, /SPDXRef-Package-badbadbadbad0001: invalid purl .*percent-encoding/);
  assert.equal(image.issues[0]!.location?.path, path);
});

test('bad documents are invalid-input errors naming the file; a missing file is not-found; a huge one too-large', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'assay-sbom-in-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const cases: [string, string, RegExp][] = [
    ['not-json', '{"bomFormat": "CycloneDX", ', /not a JSON document/],
    ['array', '[1, 2]', /expected a JSON object/],
    ['other', '{"hello": "world"}', /not an SBOM Assay reads/],
    [
      'cdx-1.0',
      '{"bomFormat": "CycloneDX", "specVersion": "1.0"}',
      /not a valid CycloneDX document.*specVersion/s,
    ],
    ['cdx-shape', '{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": {}}', /components/],
    ['spdx-3', '{"spdxVersion": "SPDX-3.0"}', /SPDX 3 is not read yet/],
  ];
  for (const [name, text, why] of cases) {
    const path = join(dir, name);
    await writeFile(path, text);
    await assert.rejects(readSbomInput(path), (err: unknown) => {
      assert.ok(isAssayError(err, 'invalid-input'), `${name}: ${String(err)}`);
      assert.ok(err.message.startsWith(`${path}: `), err.message);
      assert.match(err.message, why);
      return true;
    });
  }
  await assert.rejects(readSbomInput(join(dir, 'absent.json')), (err: unknown) =>
    isAssayError(err, 'not-found'),
  );
  await writeFile(join(dir, 'big'), Buffer.alloc(2048, 0x20));
  await assert.rejects(readSbomInput(join(dir, 'big'), 1024), (err: unknown) =>
    isAssayError(err, 'too-large'),
  );
});

test('a component of the wrong shape is skipped with a located issue; the rest is read', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'assay-sbom-in-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'mixed.cdx.json');
  await writeFile(
    path,
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.4',
      version: 1,
      components: [
        { type: 'library', name: 42 },
        'junk',
        { type: 'library', name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0' },
        { type: 'library', name: 'nopurl', version: '1' },
        { type: 'library', name: 'noversion', purl: 'pkg:npm/noversion' },
      ],
    }),
  );
  const image = await readSbomInput(path);
  assert.deepEqual(
    image.packages.map((p) => [p.type, p.name, p.version, p.locations[0]!.path]),
    [['npm', 'left-pad', '1.3.0', path]],
  );
  assert.deepEqual(
    image.issues.map((i) => i.code),
    ['malformed-record', 'malformed-record', 'invalid-field', 'invalid-field'],
  );
  assert.match(image.issues[2]!.message, /nopurl: no purl/);
  assert.match(image.issues[3]!.message, /noversion has no version/);
});

test('an assay sbom JSON that says it is partial stays partial', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'assay-sbom-in-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'partial.json');
  await writeFile(
    path,
    JSON.stringify({
      schemaVersion: 1,
      tool: { name: 'assay', version: '0.1.0' },
      created: '2026-01-01T00:00:00Z',
      complete: false,
      image: { repository: 'team/app', registry: 'ghcr.io', imageId: `sha256:${'7'.repeat(64)}` },
      os: null,
      packages: [{ name: 'not a package' }],
      issues: [],
      layerErrors: [{ layerIndex: 1, diffId: 'sha256:x', message: 'unexpected end of file' }],
    }),
  );
  const image = await readSbomInput(path);
  assert.equal(image.incomplete, 'the SBOM is partial: layer 1: unexpected end of file');
  assert.deepEqual(
    [image.format, image.reference, image.imageId],
    ['assay', 'ghcr.io/team/app', `sha256:${'7'.repeat(64)}`],
  );
  assert.deepEqual(
    image.issues.map((i) => i.code),
    ['malformed-record'],
  );
});
