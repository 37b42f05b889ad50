/** A small, varied set of images for list, filter and summary tests (results under default thresholds). */
import type { ImageResult } from '../../model/result.js';
import { digest, type ImageSpec, imageResult } from './fixtures.js';

const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T08:00:00.000Z`;

export const fleetSpecs = {
  debian12: {
    digest: digest('d12'),
    repository: 'library/debian',
    tags: ['12', 'latest'],
    scannedAt: at(1),
    findings: [
      {
        id: 'CVE-2024-0001',
        cvss: 9.8,
        kev: true,
        epss: 0.91,
        fixed: '3.0.13-1~deb12u1',
        aliases: ['DSA-5600-1'],
      },
      { id: 'CVE-2024-0002', cvss: 5.0, pkg: 'zlib1g' },
    ],
  },
  debian11: {
    digest: digest('d11'),
    repository: 'library/debian',
    tags: ['11'],
    scannedAt: at(2),
    findings: [{ id: 'CVE-2024-0002', cvss: 5.0, pkg: 'zlib1g', aliases: ['DSA-5000-1'] }],
  },
  apiV1: {
    digest: digest('av1'),
    registry: 'ghcr.io',
    repository: 'acme/api',
    tags: ['v1'],
    scannedAt: at(3),
    findings: [{ id: 'CVE-2024-0003', cvss: 7.5, epss: 0.2, pkg: 'libxml2', layer: 1 }],
  },
  apiV2: {
    digest: digest('av2'),
    registry: 'ghcr.io',
    repository: 'acme/api',
    tags: ['v2'],
    scannedAt: at(4),
    findings: [],
  },
  web: {
    digest: digest('web'),
    registry: 'ghcr.io',
    repository: 'acme/web',
    tags: ['main'],
    scannedAt: at(5),
    findings: [{ id: 'CVE-2024-0004', cvss: 3.1, fixed: '2.0', pkg: 'curl' }],
  },
  tool: {
    digest: digest('tool'),
    registry: 'quay.io',
    repository: 'org/tool',
    tags: ['1.0'],
    scannedAt: at(6),
    status: 'partial',
    findings: [{ id: 'CVE-2024-0001', cvss: 9.8 }],
  },
  local: {
    digest: digest('loc'),
    registry: '',
    repository: 'local/app',
    tags: ['dev'],
    scannedAt: at(7),
    findings: [{ id: 'GHSA-xxxx-yyyy-zzzz', pkg: 'lodash' }],
  },
  alpine: {
    digest: digest('alp'),
    repository: 'library/alpine',
    tags: ['3.20'],
    scannedAt: at(8),
    findings: [{ id: 'CVE-2024-0005', cvss: 6.1, kev: true, epss: 0.05, pkg: 'busybox' }],
  },
} satisfies Record<string, ImageSpec>;

export type FleetName = keyof typeof fleetSpecs;

export const fleet = (): Record<FleetName, ImageResult> =>
  Object.fromEntries(Object.entries(fleetSpecs).map(([k, s]) => [k, imageResult(s)])) as Record<
    FleetName,
    ImageResult
  >;

/** The fleet names in an image list, sorted, for order-insensitive comparisons. */
export function namesOf(digests: readonly string[]): string[] {
  const byDigest = new Map(Object.entries(fleetSpecs).map(([k, s]) => [s.digest, k]));
  return digests.map((d) => byDigest.get(d) ?? d).sort();
}
