/**
 * The result document's enumerations and version as plain constants: `model/result.ts` builds
 * its zod schemas from them, and code that needs only the values (the CLI's option parsing runs
 * on every start) imports them from here without loading zod.
 */

/** Major.minor: a minor bump only adds optional fields; a major bump breaks readers. */
export const SCAN_SCHEMA_VERSION = '1.1';

export const gradeResults = ['PASS', 'WARN', 'FAIL', 'UNKNOWN'] as const;

/** Why an image has (or lacks) a complete answer; anything but `scanned` grades UNKNOWN. */
export const scanStatuses = [
  'scanned',
  'partial',
  'unsupported_os',
  'not_an_image',
  'unauthorized',
  'not_found',
  'network_error',
  'timeout',
  'too_large',
  'internal_error',
] as const;

/** CVSS v3 bands of the finding's chosen score; `unknown` when it has no v3 score (shown as N/A). */
export const severities = ['critical', 'high', 'medium', 'low', 'none', 'unknown'] as const;

/** What `--scanners` can run; `vuln` is the package catalog and matcher, the rest read file contents. */
export const scannerKinds = ['vuln', 'secret', 'threat', 'config'] as const;
export const DEFAULT_SCANNERS: readonly ScannerKind[] = ['vuln', 'secret'];

/** Finding kinds other than `vulnerability`; `--fail-on` takes these. */
export const contentKinds = ['secret', 'threat', 'config'] as const;
export type ScannerKind = (typeof scannerKinds)[number];
export type ContentKind = (typeof contentKinds)[number];
