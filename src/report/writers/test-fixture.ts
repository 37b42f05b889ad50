/**
 * Test support: a realistic scan document of two images. `web-app` was scanned (Debian 12 with
 * a Java and an npm layer) and has findings of every shape a writer must handle: a KEV entry,
 * one without a CVSS v3 score (N/A), a won't-fix, an excepted one, a CVSS 4.0 score, awkward
 * characters for CSV. Every scanner ran on it: its secrets, threats and configuration findings
 * are in `test-fixture-content.ts`. `missing` was not found. Only tests import this file.
 */
import { type Package, type PackageType, packageId } from '../../model/package.js';
import type { ImageResult, ScanDocument, VulnerabilityFinding } from '../../model/result.js';
import { webAppContent } from './test-fixture-content.js';

const DIFF = [
  'sha256:1111111111111111111111111111111111111111111111111111111111111111',
  'sha256:2222222222222222222222222222222222222222222222222222222222222222',
  'sha256:3333333333333333333333333333333333333333333333333333333333333333',
];
const CREATED_BY = [
  '# debian.sh --arch amd64 out/ bookworm',
  'RUN npm install -g braces@3.0.2',
  'COPY app/ /app/',
];

interface Spec {
  type: PackageType;
  name: string;
  version: string;
  purl: string;
  path: string;
  layer: number;
  arch?: string;
  source?: { name: string; version: string };
}

function pkg(spec: Spec): Package {
  return {
    id: packageId(spec.type, spec.name, spec.version, spec.path, spec.arch),
    type: spec.type,
    name: spec.name,
    version: spec.version,
    purl: spec.purl,
    ...(spec.arch ? { arch: spec.arch } : {}),
    ...(spec.source ? { source: spec.source } : {}),
    licenses: [],
    locations: [
      { layerDiffId: DIFF[spec.layer]!, layerIndex: spec.layer, path: spec.path, evidence: 'primary' },
    ],
    introducedIn: { layerIndex: spec.layer, layerDiffId: DIFF[spec.layer]! },
  };
}

const deb = (name: string, version: string, source: string): Package =>
  pkg({
    type: 'deb',
    name,
    version,
    purl: `pkg:deb/debian/${name}@${version.replace('+', '%2B')}?arch=amd64&distro=debian-12`,
    path: 'var/lib/dpkg/status',
    layer: 0,
    arch: 'amd64',
    source: { name: source, version },
  });

export const libssl3 = deb('libssl3', '3.0.11-1~deb12u2', 'openssl');
export const libc6 = deb('libc6', '2.36-9+deb12u4', 'glibc');
export const bash = deb('bash', '5.2.15-2+b2', 'bash');
export const braces = pkg({
  type: 'npm',
  name: 'braces',
  version: '3.0.2',
  purl: 'pkg:npm/braces@3.0.2',
  path: 'usr/local/lib/node_modules/braces/package.json',
  layer: 1,
});
export const log4j = pkg({
  type: 'java',
  name: 'log4j-core',
  version: '2.14.1',
  purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
  path: 'app/lib/log4j-core-2.14.1.jar',
  layer: 2,
});

function findingPackage(p: Package): VulnerabilityFinding['package'] {
  return {
    id: p.id,
    type: p.type,
    name: p.name,
    version: p.version,
    purl: p.purl,
    ...(p.source && p.source.name !== p.name ? { sourceName: p.source.name } : {}),
    path: p.locations[0]!.path,
    layerIndex: p.introducedIn.layerIndex,
    layerDiffId: p.introducedIn.layerDiffId,
    createdBy: CREATED_BY[p.introducedIn.layerIndex],
  };
}

type FindingSpec = Omit<VulnerabilityFinding, 'kind' | 'package' | 'installedVersion' | 'fromBaseImage'>;

function finding(p: Package, spec: FindingSpec): VulnerabilityFinding {
  return {
    kind: 'vulnerability',
    ...spec,
    package: findingPackage(p),
    installedVersion: p.version,
    fromBaseImage: p.introducedIn.layerIndex === 0,
  };
}

const NVD = 'https://nvd.nist.gov/vuln/detail/';

export const log4shell = finding(log4j, {
  id: 'CVE-2021-44228',
  aliases: ['GHSA-jfh8-c2jp-5v3q'],
  title: 'Remote code injection in Log4j',
  description:
    'Apache Log4j2 JNDI features do not protect against attacker controlled LDAP and other JNDI related endpoints.',
  fixedVersion: '2.15.0',
  status: 'fixed',
  severity: 'critical',
  cvss: {
    version: '3.1',
    vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
    score: 10,
    source: 'nvd',
    sourceName: 'nvd@nist.gov',
  },
  epss: { score: 0.94358, percentile: 0.99957, date: '2026-01-01' },
  kev: { dateAdded: '2021-12-10', dueDate: '2021-12-24', knownRansomwareCampaignUse: true },
  dataSource: {
    feed: 'osv',
    id: 'GHSA-jfh8-c2jp-5v3q',
    url: 'https://osv.dev/vulnerability/GHSA-jfh8-c2jp-5v3q',
  },
  references: [`${NVD}CVE-2021-44228`, 'https://logging.apache.org/log4j/2.x/security.html'],
});

export const opensslOverread = finding(libssl3, {
  id: 'CVE-2024-5535',
  aliases: ['DSA-5764-1'],
  title: 'SSL_select_next_proto buffer overread',
  fixedVersion: '3.0.14-1~deb12u1',
  status: 'fixed',
  severity: 'critical',
  vendorSeverity: 'low',
  cvss: { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H', score: 9.1, source: 'nvd' },
  epss: { score: 0.00384, percentile: 0.72312 },
  dataSource: {
    feed: 'debian-tracker',
    id: 'CVE-2024-5535',
    url: 'https://security-tracker.debian.org/tracker/CVE-2024-5535',
  },
  references: [`${NVD}CVE-2024-5535`],
});

export const bracesDos = finding(braces, {
  id: 'CVE-2024-4068',
  aliases: ['GHSA-grv7-fg5c-xmjg'],
  title: 'Uncontrolled resource consumption in braces',
  description: 'Memory exhaustion via "imbalanced braces", e.g. {{{{{, in the input.',
  fixedVersion: '3.0.3',
  status: 'fixed',
  severity: 'high',
  cvss: {
    version: '3.1',
    vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
    score: 7.5,
    source: 'advisory',
    sourceName: 'GHSA',
  },
  cvssV4: {
    version: '4.0',
    vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N',
    score: 8.7,
    source: 'advisory',
  },
  epss: { score: 0.00045, percentile: 0.17152 },
  dataSource: { feed: 'osv', id: 'GHSA-grv7-fg5c-xmjg' },
  references: ['https://github.com/advisories/GHSA-grv7-fg5c-xmjg', `${NVD}CVE-2024-4068`],
});

export const bashWontFix = finding(bash, {
  id: 'CVE-2022-3715',
  aliases: [],
  title: 'bash: a heap-buffer-overflow in valid_parameter_transform',
  status: 'will_not_fix',
  severity: 'medium',
  vendorSeverity: 'unimportant',
  cvss: { version: '3.1', vector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H', score: 5.5, source: 'cna' },
  dataSource: { feed: 'debian-tracker', id: 'CVE-2022-3715' },
  references: [],
});

/** Only a CVSS v2 score exists upstream: no v3 score, so N/A, severity unknown. */
export const glibcNoScore = finding(libc6, {
  id: 'CVE-2010-4756',
  aliases: [],
  description:
    'The glob implementation in the GNU C Library allows "=cmd" style, "-", "+1" and @user input, CPU use.',
  status: 'affected',
  severity: 'unknown',
  vendorSeverity: 'unimportant',
  dataSource: { feed: 'debian-tracker', id: 'CVE-2010-4756' },
  references: [`${NVD}CVE-2010-4756`],
});

export const glibcExcepted = finding(libc6, {
  id: 'CVE-2019-1010022',
  aliases: [],
  title: 'glibc: stack guard protection bypass',
  status: 'affected',
  severity: 'critical',
  vendorSeverity: 'unimportant',
  cvss: { version: '3.0', vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8, source: 'nvd' },
  dataSource: { feed: 'debian-tracker', id: 'CVE-2019-1010022' },
  references: [`${NVD}CVE-2019-1010022`],
  exception: {
    reason: 'disputed upstream, "not a vulnerability"',
    author: 'sec-team@example.com',
    expires: '2027-01-01',
    source: '.assay-ignore.yaml',
  },
});

export const webApp: ImageResult = {
  schemaVersion: '1.1',
  input: 'registry:docker.io/example/web-app:1.4.2',
  image: {
    id: 'sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
    registry: 'docker.io',
    repository: 'example/web-app',
    tags: ['1.4.2', 'latest'],
    manifestDigest: 'sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
    imageId: 'sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc',
    platform: { os: 'linux', architecture: 'amd64' },
    created: '2025-12-01T10:00:00Z',
    size: 6000,
    os: {
      family: 'debian',
      id: 'debian',
      version: '12.4',
      versionId: '12',
      codename: 'bookworm',
      name: 'Debian GNU/Linux',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
      eol: false,
      eolDate: '2028-06-30',
      location: { layerDiffId: DIFF[0]!, layerIndex: 0, path: 'etc/os-release', evidence: 'primary' },
    },
    source: 'registry',
  },
  scannedAt: '2026-01-02T03:04:05Z',
  durationMs: 1834,
  scanner: { name: 'assay', version: '0.1.0' },
  status: 'scanned',
  statusMessage: '',
  result: 'FAIL',
  scanners: ['vuln', 'secret', 'threat', 'config'],
  maxCvssV3: 10,
  thresholds: { warn: 4, fail: 7 },
  filters: { ignoreUnfixed: false, ignoreFiles: ['.assay-ignore.yaml'] },
  database: {
    schemaVersion: 1,
    builtAt: '2026-01-01T22:00:00Z',
    ageHours: 5.1,
    sources: [
      { id: 'debian-tracker', records: 51234, importedAt: '2026-01-01T21:00:00Z' },
      { id: 'osv', records: 180345, importedAt: '2026-01-01T21:30:00Z' },
    ],
  },
  summary: {
    bySeverity: { critical: 2, high: 1, medium: 1, low: 0, none: 0, unknown: 1 },
    findings: 5,
    excepted: 1,
    filtered: 0,
    fixable: 3,
    kev: 1,
    maxEpss: 0.94358,
    content: { secret: 2, threat: 1, config: 2, excepted: 1, suppressed: 3 },
  },
  findings: [
    bashWontFix,
    glibcExcepted,
    opensslOverread,
    glibcNoScore,
    log4shell,
    bracesDos,
    ...webAppContent,
  ],
  packages: [libssl3, libc6, bash, braces, log4j],
  layers: DIFF.map((diffId, index) => ({
    index,
    digest: `sha256:${String(index + 4).repeat(64)}`,
    diffId,
    createdBy: CREATED_BY[index],
    created: '2025-12-01T10:00:00Z',
    size: 2000,
    base: index === 0,
  })),
  issues: [
    {
      code: 'malformed-record',
      message: 'stanza without a Package field skipped',
      location: { layerDiffId: DIFF[0]!, layerIndex: 0, path: 'var/lib/dpkg/status', evidence: 'primary' },
      line: 240,
    },
  ],
};

export const missing: ImageResult = {
  schemaVersion: '1.1',
  input: 'registry:docker.io/example/missing:latest',
  image: {
    id: '',
    registry: 'docker.io',
    repository: 'example/missing',
    tags: ['latest'],
    source: 'registry',
  },
  scannedAt: '2026-01-02T03:04:07Z',
  durationMs: 211,
  scanner: { name: 'assay', version: '0.1.0' },
  status: 'not_found',
  statusMessage: 'manifest unknown: docker.io/example/missing:latest',
  result: 'UNKNOWN',
  scanners: ['vuln', 'secret', 'threat', 'config'],
  maxCvssV3: null,
  thresholds: { warn: 4, fail: 7 },
  filters: { ignoreUnfixed: false, ignoreFiles: ['.assay-ignore.yaml'] },
  summary: {
    bySeverity: { critical: 0, high: 0, medium: 0, low: 0, none: 0, unknown: 0 },
    findings: 0,
    excepted: 0,
    filtered: 0,
    fixable: 0,
    kev: 0,
    maxEpss: null,
  },
  findings: [],
  packages: [],
  layers: [],
  issues: [],
};

export const fixtureDocument: ScanDocument = { schemaVersion: '1.1', images: [webApp, missing] };
