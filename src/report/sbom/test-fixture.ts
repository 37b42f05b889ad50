/**
 * Test support: a realistic SBOM input. A Debian-based image with a few OS packages (and, to
 * exercise every writer path in one document, apk and rpm records), npm, Python, Java and gem
 * packages with awkward names and licences: scoped npm, `GPL-2.0+`, `Apache-2.0 OR MIT`,
 * lowercase Fedora-style `and`, free licence names, Unicode. Only tests import this file.
 */
import type { ImageDescription } from '../../image/types.js';
import type { Issue } from '../../model/issue.js';
import type { OsRelease } from '../../model/os.js';
import { type Package, type PackageType, packageId } from '../../model/package.js';
import type { SbomInput } from './input.js';

const DIFF = [
  'sha256:1111111111111111111111111111111111111111111111111111111111111111',
  'sha256:2222222222222222222222222222222222222222222222222222222222222222',
  'sha256:3333333333333333333333333333333333333333333333333333333333333333',
];

export const fixtureImage: ImageDescription = {
  input: 'registry:docker.io/example/web-app:1.4.2',
  source: 'registry',
  registry: 'docker.io',
  repository: 'example/web-app',
  tag: '1.4.2',
  repoDigest:
    'docker.io/example/web-app@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  manifestDigest: 'sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
  imageId: 'sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc',
  platform: { os: 'linux', architecture: 'amd64' },
  labels: {},
  config: {},
  history: [],
  layers: DIFF.map((diffId, index) => ({
    index,
    digest: `sha256:${String(index + 4).repeat(64)}`,
    diffId,
    size: 1000 * (index + 1),
    mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    createdBy: ['# debian.sh', 'RUN apt-get install -y python3 && npm i -g', 'COPY app/ /app/'][index],
  })),
  size: 6000,
};

export const fixtureOs: OsRelease = {
  family: 'debian',
  id: 'debian',
  version: '12.4',
  versionId: '12',
  codename: 'bookworm',
  name: 'Debian GNU/Linux',
  prettyName: 'Debian GNU/Linux 12 (bookworm)',
  eol: false,
  eolDate: '2026-06-10',
  location: { layerDiffId: DIFF[0]!, layerIndex: 0, path: 'etc/os-release', evidence: 'primary' },
};

interface Spec {
  type: PackageType;
  name: string;
  version: string;
  purl: string;
  path: string;
  layer: number;
  licenses: string[];
  arch?: string;
  source?: { name: string; version: string };
}

function pkg(spec: Spec): Package {
  const location = { layerDiffId: DIFF[spec.layer]!, layerIndex: spec.layer, path: spec.path };
  return {
    id: packageId(spec.type, spec.name, spec.version, spec.path, spec.arch),
    type: spec.type,
    name: spec.name,
    version: spec.version,
    purl: spec.purl,
    ...(spec.arch ? { arch: spec.arch } : {}),
    ...(spec.source ? { source: spec.source } : {}),
    licenses: spec.licenses,
    locations: [{ ...location, evidence: 'primary' }],
    introducedIn: { layerIndex: spec.layer, layerDiffId: location.layerDiffId },
  };
}

const DPKG = 'var/lib/dpkg/status';
const deb = (name: string, version: string, licenses: string[], source?: Spec['source']): Package =>
  pkg({
    type: 'deb',
    name,
    version,
    purl: `pkg:deb/debian/${name}@${version.replace('+', '%2B')}?arch=amd64&distro=debian-12`,
    path: DPKG,
    layer: 0,
    licenses,
    arch: 'amd64',
    source,
  });

export const fixturePackages: Package[] = [
  deb('libssl3', '3.0.11-1~deb12u2', ['Apache-2.0'], { name: 'openssl', version: '3.0.11-1~deb12u2' }),
  deb('bash', '5.2.15-2+b2', ['GPL-3.0+', 'GPL-2.0+'], { name: 'bash', version: '5.2.15-2' }),
  deb('perl-base', '5.36.0-7+deb12u1', ['GPL-1.0+ OR Artistic-1.0', 'Artistic-2.0'], {
    name: 'perl',
    version: '5.36.0-7+deb12u1',
  }),
  deb('tzdata', '2024a-0+deb12u1', ['public-domain']),
  deb('libc6', '2.36-9+deb12u4', []),
  pkg({
    type: 'apk',
    name: 'musl',
    version: '1.2.4-r2',
    purl: 'pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.19',
    path: 'lib/apk/db/installed',
    layer: 0,
    licenses: ['MIT'],
    arch: 'x86_64',
    source: { name: 'musl', version: '1.2.4-r2' },
  }),
  pkg({
    type: 'rpm',
    name: 'zlib',
    version: '1.2.11-40.el9',
    purl: 'pkg:rpm/redhat/zlib@1.2.11-40.el9?arch=x86_64',
    path: 'var/lib/rpm/rpmdb.sqlite',
    layer: 0,
    licenses: ['zlib and Boost'],
    arch: 'x86_64',
    source: { name: 'zlib', version: '1.2.11-40.el9' },
  }),
  pkg({
    type: 'npm',
    name: '@babel/core',
    version: '7.23.0',
    purl: 'pkg:npm/%40babel/core@7.23.0',
    path: 'usr/lib/node_modules/@babel/core/package.json',
    layer: 1,
    licenses: ['MIT'],
  }),
  pkg({
    type: 'npm',
    name: 'tslib',
    version: '2.6.2',
    purl: 'pkg:npm/tslib@2.6.2',
    path: 'usr/lib/node_modules/tslib/package.json',
    layer: 1,
    licenses: ['0BSD', 'Custom: see LICENSE'],
  }),
  pkg({
    type: 'python',
    name: 'orjson',
    version: '3.9.10',
    purl: 'pkg:pypi/orjson@3.9.10',
    path: 'usr/lib/python3/dist-packages/orjson-3.9.10.dist-info/METADATA',
    layer: 1,
    licenses: ['Apache-2.0 OR MIT'],
  }),
  pkg({
    type: 'java',
    name: 'log4j-core',
    version: '2.14.1',
    purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
    path: 'app/lib/log4j-core-2.14.1.jar',
    layer: 2,
    licenses: ['Apache License, Version 2.0'],
  }),
  pkg({
    type: 'gem',
    name: 'ünïcode_gem',
    version: '1.0.0',
    purl: 'pkg:gem/%C3%BCn%C3%AFcode_gem@1.0.0',
    path: 'app/vendor/specifications/ünïcode_gem-1.0.0.gemspec',
    layer: 2,
    licenses: ['Lizenz für Ümläute © 2020'],
  }),
];

export const fixtureIssues: Issue[] = [
  {
    code: 'malformed-record',
    message: 'stanza without a Package field skipped',
    location: { layerDiffId: DIFF[0]!, layerIndex: 0, path: DPKG, evidence: 'primary' },
    line: 240,
  },
];

export function fixtureInput(overrides: Partial<SbomInput> = {}): SbomInput {
  return {
    image: fixtureImage,
    os: fixtureOs,
    packages: fixturePackages,
    issues: fixtureIssues,
    tool: { name: 'assay', version: '0.1.0' },
    timestamp: '2026-01-02T03:04:05Z',
    serial: '3e671687-395b-41f5-a30f-a58921a69b79',
    ...overrides,
  };
}
