// Library entry (package.json "exports"): a plain list of re-exports, one block per module.
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
