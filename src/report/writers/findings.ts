/**
 * What every report format needs from one image: its vulnerability findings in display order,
 * which of them count, how to name the image and how to say "no fix". One place, so the
 * table, CSV, SARIF and CycloneDX writers never disagree. Content findings (secret, threat,
 * config) have their own helpers in `content.ts`.
 */
import {
  type Finding,
  type ImageResult,
  type VulnerabilityFinding,
  vulnerabilityFindings,
} from '../../model/result.js';

/** Vulnerability findings only: `findings[]` also holds secrets, threats and config findings. */
export function vulnerabilities(image: ImageResult): VulnerabilityFinding[] {
  return vulnerabilityFindings(image.findings);
}

/**
 * Whether a scanner ran on the image (`--scanners`): documents from before content scanning
 * have no `scanners`, and only the vulnerability scanner ran then.
 */
export function scannerRan(image: Pick<ImageResult, 'scanners'>, scanner: 'vuln' | Finding['kind']): boolean {
  const kind = scanner === 'vulnerability' ? 'vuln' : scanner;
  return (image.scanners ?? ['vuln']).includes(kind);
}

/**
 * Whether anything of the image was read, so counts mean something: a full or partial scan, or
 * an `unsupported_os` image whose language packages were still matched. An image that was not
 * found, not authorised or timed out has nothing to count.
 */
export function wasRead(image: ImageResult): boolean {
  return (
    image.status === 'scanned' ||
    image.status === 'partial' ||
    image.packages.length > 0 ||
    image.findings.length > 0
  );
}

/** Findings that count for grading: not matched by an exception. */
export function isEffective(finding: Finding): boolean {
  return finding.exception === undefined;
}

export const severityRank = { critical: 0, high: 1, medium: 2, low: 3, none: 4, unknown: 5 } as const;

/** What orders findings by score: enough to order their ids (the manager's light rows). */
export interface ScoredId {
  id: string;
  severity: VulnerabilityFinding['severity'];
  cvss?: { score: number } | undefined;
}

/** Display order's leading keys: CVSS v3 score descending with N/A last, then severity band, then id. */
export function byScoreThenId(a: ScoredId, b: ScoredId): number {
  const sa = a.cvss?.score ?? -1;
  const sb = b.cvss?.score ?? -1;
  if (sa !== sb) return sb - sa;
  const rank = severityRank[a.severity] - severityRank[b.severity];
  return rank !== 0 ? rank : compareText(a.id, b.id);
}

/**
 * Display order: `byScoreThenId`, then package name and id, so the order is total and the same
 * on every run.
 */
export function byCvssDesc(a: VulnerabilityFinding, b: VulnerabilityFinding): number {
  return (
    byScoreThenId(a, b) ||
    compareText(a.package.name, b.package.name) ||
    compareText(a.package.id, b.package.id)
  );
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedFindings(image: ImageResult): VulnerabilityFinding[] {
  return vulnerabilities(image).sort(byCvssDesc);
}

/** The fixed version, or what the feed says instead (`will not fix`, `end of life`, `no fix yet`). */
export function fixText(finding: VulnerabilityFinding): string {
  if (finding.fixedVersion) return finding.fixedVersion;
  switch (finding.status) {
    case 'will_not_fix':
      return 'will not fix';
    case 'end_of_life':
      return 'end of life';
    case 'affected':
      return 'no fix yet';
    case 'fixed':
      return 'fixed (version unknown)';
  }
}

/** The manifest digest where known, else the image id (the manager's key; ARCHITECTURE "Image identity"). */
export function imageDigestOf(image: { image: Pick<ImageResult['image'], 'manifestDigest' | 'id'> }): string {
  return image.image.manifestDigest ?? image.image.id;
}

/** `registry/repository:tag@digest`, leaving out what is unknown. */
export function imageReference(image: ImageResult): string {
  const ref = image.image;
  const name = ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository;
  const tag = ref.tags[0] ? `:${ref.tags[0]}` : '';
  const digest = imageDigestOf(image);
  return `${name || image.input}${tag}${digest ? `@${digest}` : ''}`;
}

/** The CVSS score as printed everywhere: one decimal, `N/A` when no source has a v3 score. */
export function formatCvss(score: number | null | undefined): string {
  return score === null || score === undefined ? 'N/A' : score.toFixed(1);
}

/** Absolute http(s) URLs: what may go into CycloneDX `advisories[].url` and SARIF `helpUri`. */
export function isWebUrl(text: string): boolean {
  if (!/^https?:\/\/[^\s<>"{}|\\^`]+$/.test(text)) return false;
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}
