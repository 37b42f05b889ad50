/**
 * The API's shapes, imported as types from the server and model sources so the UI and the API
 * cannot drift apart (type-only imports: nothing from `src/` lands in the bundle).
 */
import type { ExceptionEntry, ExceptionScope } from '../../../src/model/exception.js';
import type { Package } from '../../../src/model/package.js';
import type {
  ConfigFinding,
  ContentFinding,
  ContentKind,
  ContentLocation,
  Finding,
  GradeResult,
  ImageResult,
  ResultLayer,
  ScannerKind,
  ScanStatus,
  SecretFinding,
  Severity,
  SeverityCounts,
  ThreatFinding,
  Thresholds,
  VulnerabilityFinding,
} from '../../../src/model/result.js';
import type { ImageListQuery } from '../../../src/server/services/images.js';
import type { ContentCounts, ImageSummary } from '../../../src/server/store/image-rows.js';
import type { RepositoryRow, Summary } from '../../../src/server/store/overview-repo.js';
import type { Role, TokenInfo } from '../../../src/server/store/tokens-repo.js';

export type {
  ConfigFinding,
  ContentCounts,
  ContentFinding,
  ContentKind,
  ContentLocation,
  ExceptionEntry,
  ExceptionScope,
  Finding,
  GradeResult,
  ImageResult,
  ImageSummary,
  Package,
  RepositoryRow,
  ResultLayer,
  Role,
  ScannerKind,
  ScanStatus,
  SecretFinding,
  Severity,
  SeverityCounts,
  Summary,
  ThreatFinding,
  Thresholds,
  TokenInfo,
  VulnerabilityFinding,
};

/** GET /api/v1/me */
export interface Me {
  id: number;
  name: string;
  role: Role;
}

/** GET /api/v1/images */
export interface ImagePage {
  items: ImageSummary[];
  nextCursor: string | null;
}

/** The filters of GET /api/v1/images as URL query strings (what the Images view puts in its URL). */
export type ImageListParams = { [K in keyof ImageListQuery]?: string };

/** GET /api/v1/images/{digest} as the server sends it. */
export type ImageDetailResponse = ImageSummary & {
  /** The stored result without its findings (those are the top-level `findings`, with exceptions marked). */
  document: Omit<ImageResult, 'findings'>;
  findings: Finding[];
};

/** The detail as the views read it: the findings split once into vulnerabilities and content findings. */
export type ImageDetail = Omit<ImageDetailResponse, 'findings'> & {
  findings: VulnerabilityFinding[];
  contentFindings: ContentFinding[];
};

/**
 * GET /api/v1/exceptions/vulnerabilities items, and GET /api/v1/exceptions/content items (kind
 * secret, threat or config): stored finding exceptions.
 */
export type VulnerabilityException = ExceptionEntry & { id: number };

/** GET /api/v1/exceptions/repositories items */
export interface RepositoryException {
  id: number;
  repository: string;
  reason: string;
  author: string | null;
  created: string | null;
  cancelled?: ExceptionEntry['cancelled'];
}

/** PUT /api/v1/settings/thresholds */
export interface ThresholdsSaved {
  thresholds: Thresholds;
  regraded: number;
}

/** POST /api/v1/tokens */
export type CreatedToken = TokenInfo & { token: string };
