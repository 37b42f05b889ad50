// Library entry (package.json "exports"): a plain list of re-exports, one block per module.

export type { ImageResult, ScanDocument, VulnerabilityFinding } from './model/result.js';
export {
  type ExceptionSource,
  type LibraryScanOptions,
  type ScanOptions,
  scan,
  scanImage,
  scanImages,
} from './scan/index.js';
export {
  compareVersions,
  InvalidVersionError,
  isAffected,
  isEvaluableRange,
  isValidVersion,
  type Order,
  type OsvEvent,
  type OsvRange,
  type ParseResult,
  type SchemeId,
  schemeForEcosystem,
  type VersionScheme,
} from './versioning/index.js';
