/**
 * Builds realistic ImageResult documents (the shape `assay scan` posts) for the manager's tests,
 * graded with the CLI's own grading so a fixture is exactly what a scanner would send.
 */
import { gradeImage } from '../../match/grade.js';
import {
  DEFAULT_THRESHOLDS,
  type ImageResult,
  type ScanStatus,
  type Severity,
  type VulnerabilityFinding,
} from '../../model/result.js';
import { severityOf } from '../../vulndb/cvss.js';

export interface FindingSpec {
  id: string;
  cvss?: number;
  aliases?: string[];
  pkg?: string;
  version?: string;
  fixed?: string;
  epss?: number;
  kev?: boolean;
  layer?: number;
  excepted?: boolean;
}

export interface ImageSpec {
  digest: string;
  repository: string;
  registry?: string;
  tags?: string[];
  scannedAt?: string;
  status?: ScanStatus;
  findings?: FindingSpec[];
}

export function finding(s: FindingSpec): VulnerabilityFinding {
  const pkg = s.pkg ?? 'openssl';
  const version = s.version ?? '3.0.11-1~deb12u1';
  const severity: Severity = s.cvss === undefined ? 'unknown' : severityOf(s.cvss);
  const layerIndex = s.layer ?? 0;
  return {
    kind: 'vulnerability',
    id: s.id,
    aliases: s.aliases ?? [],
    package: {
      id: `pkg-${pkg}`,
      type: 'deb',
      name: pkg,
      version,
      purl: `pkg:deb/debian/${pkg}@${encodeURIComponent(version)}?arch=amd64&distro=debian-12`,
      layerIndex,
      layerDiffId: `sha256:${String(layerIndex).repeat(64).slice(0, 64)}`,
    },
    installedVersion: version,
    ...(s.fixed ? { fixedVersion: s.fixed } : {}),
    status: s.fixed ? 'fixed' : 'affected',
    severity,
    ...(s.cvss === undefined
      ? {}
      : {
          cvss: {
            version: '3.1',
            vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
            score: s.cvss,
            source: 'nvd',
          },
        }),
    ...(s.epss === undefined ? {} : { epss: { score: s.epss, percentile: 0.5 } }),
    ...(s.kev ? { kev: { dateAdded: '2024-01-10', knownRansomwareCampaignUse: false } } : {}),
    dataSource: { feed: 'debian-tracker', id: s.id },
    references: [`https://security-tracker.debian.org/tracker/${s.id}`],
    fromBaseImage: layerIndex === 0,
    ...(s.excepted ? { exception: { reason: 'accepted in ignore file', source: '.assayignore' } } : {}),
  };
}

export function imageResult(s: ImageSpec): ImageResult {
  const status = s.status ?? 'scanned';
  const findings = (s.findings ?? []).map(finding);
  const g = gradeImage(findings, DEFAULT_THRESHOLDS, status);
  return {
    schemaVersion: '1.0',
    input: `registry:${s.repository}:${s.tags?.[0] ?? 'latest'}`,
    image: {
      id: s.digest,
      registry: s.registry ?? 'docker.io',
      repository: s.repository,
      tags: s.tags ?? ['latest'],
      manifestDigest: s.digest,
      imageId: `sha256:${'c'.repeat(63)}${s.digest.slice(-1)}`,
      source: 'registry',
    },
    scannedAt: s.scannedAt ?? '2026-11-01T10:00:00.000Z',
    durationMs: 1200,
    scanner: { name: 'assay', version: '0.1.0' },
    status,
    statusMessage: status === 'scanned' ? 'scanned' : `could not scan: ${status}`,
    result: g.result,
    maxCvssV3: g.maxCvssV3,
    thresholds: DEFAULT_THRESHOLDS,
    filters: { ignoreUnfixed: false, ignoreFiles: [] },
    summary: g.summary,
    findings,
    packages: [],
    layers: [
      {
        index: 0,
        digest: `sha256:${'a'.repeat(64)}`,
        diffId: `sha256:${'0'.repeat(64)}`,
        createdBy: 'ADD rootfs.tar.xz /',
        size: 29_000_000,
        base: true,
      },
      {
        index: 1,
        digest: `sha256:${'b'.repeat(64)}`,
        diffId: `sha256:${'1'.repeat(64)}`,
        createdBy: 'RUN apt-get install -y curl',
        size: 4_000_000,
        base: false,
      },
    ],
    issues: [],
  };
}

/** A digest from a short label: `digest('a1')` → `sha256:a1a1…` (64 hex digits). */
export function digest(label: string): string {
  const hex = Buffer.from(label).toString('hex');
  return `sha256:${hex.repeat(Math.ceil(64 / hex.length)).slice(0, 64)}`;
}
