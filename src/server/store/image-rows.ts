/** The `images` row as the API shows it in lists, and its mapping from SQL. */
import type { GradeResult, ScannerKind, ScanStatus, SeverityCounts } from '../../model/result.js';

/** Per content kind: effective findings (an image row) or images having any (the summary). */
export interface ContentCounts {
  secret: number;
  threat: number;
  config: number;
}

export interface ImageSummary {
  /** The manager's key: manifest digest where known, else the image id. */
  digest: string;
  imageId: string | null;
  registry: string;
  repository: string;
  tags: string[];
  result: GradeResult;
  maxCvssV3: number | null;
  counts: SeverityCounts;
  findings: number;
  excepted: number;
  kevCount: number;
  fixableCount: number;
  maxEpss: number | null;
  lastScanned: string;
  status: ScanStatus;
  statusMessage: string;
  dismissed: boolean;
  /** Effective (not excepted) content findings per kind; `counts`/`findings` are vulnerabilities only. */
  content: ContentCounts;
  /** Which scanners ran (from the stored result; `['vuln']` for results from before content scanning). */
  scanners: ScannerKind[];
}

export interface ImageRow {
  id: string;
  image_id: string | null;
  registry: string;
  repository: string;
  tags: string[];
  result: GradeResult;
  max_cvss: number | null;
  critical_count: number;
  high_count: number;
  medium_count: number;
  low_count: number;
  none_count: number;
  unknown_count: number;
  finding_count: number;
  excepted_count: number;
  kev_count: number;
  fixable_count: number;
  max_epss: number | null;
  scanned_at: Date | string;
  status: ScanStatus;
  status_message: string;
  dismissed: boolean;
  secret_count: number;
  threat_count: number;
  config_count: number;
  scanners: ScannerKind[];
}

export const IMAGE_COLUMNS = `i.id, i.image_id, i.registry, i.repository, i.tags, i.result, i.max_cvss,
  i.critical_count, i.high_count, i.medium_count, i.low_count, i.none_count, i.unknown_count,
  i.finding_count, i.excepted_count, i.kev_count, i.fixable_count, i.max_epss, i.scanned_at,
  i.status, i.status_message, i.dismissed, i.secret_count, i.threat_count, i.config_count, i.scanners`;

export function toIso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function toSummary(r: ImageRow): ImageSummary {
  return {
    digest: r.id,
    imageId: r.image_id,
    registry: r.registry,
    repository: r.repository,
    tags: r.tags,
    result: r.result,
    maxCvssV3: r.max_cvss,
    counts: {
      critical: r.critical_count,
      high: r.high_count,
      medium: r.medium_count,
      low: r.low_count,
      none: r.none_count,
      unknown: r.unknown_count,
    },
    findings: r.finding_count,
    excepted: r.excepted_count,
    kevCount: r.kev_count,
    fixableCount: r.fixable_count,
    maxEpss: r.max_epss,
    lastScanned: toIso(r.scanned_at),
    status: r.status,
    statusMessage: r.status_message,
    dismissed: r.dismissed,
    content: { secret: r.secret_count, threat: r.threat_count, config: r.config_count },
    scanners: r.scanners,
  };
}
