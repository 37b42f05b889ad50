/**
 * Provenance and located issues: every fact Assay reports carries the file and layer it came
 * from (STYLE.md principle 4), and every non-fatal problem is kept as an `Issue` in the result
 * rather than logged and dropped (principle 6; ARCHITECTURE "Partial and UNKNOWN": a bad record
 * inside a package database is a located issue and the image stays `scanned`).
 */
import { z } from 'zod';

/**
 * Where a fact was read. `path` is the file's path as written in the layer tar (root-relative,
 * no leading `/`, symlinks not resolved); `evidence` is `primary` for the file that defines the
 * fact (a package database) and `supporting` for files that only corroborate it.
 */
export const LocationSchema = z.object({
  layerDiffId: z.string(),
  layerIndex: z.number().int().min(0),
  path: z.string(),
  evidence: z.enum(['primary', 'supporting']),
});
export type Location = z.infer<typeof LocationSchema>;

/**
 * The closed vocabulary of located issues (kebab-case, stable: tests, clients and the manager
 * match on these). Add a code here rather than reusing a vague one.
 */
export const issueCodes = [
  // Reading the bytes
  'file-unreadable',
  'invalid-utf8',
  'binary-content',
  'line-too-long',
  'too-many-records',
  // Records inside a text database or metadata file
  'malformed-record',
  'missing-field',
  'invalid-field',
  'duplicate-package',
  // Binary databases (rpm BerkeleyDB/NDB/SQLite and the like)
  'corrupt-database',
  'unsupported-database-format',
  'checksum-mismatch',
  'truncated-file',
  // OS detection
  'unknown-os',
  'conflicting-os',
  // The catalog itself
  'analyzer-failed',
  'database-not-analyzed',
  // Matching
  /** A package version its ecosystem's scheme cannot parse: the package was not matched. */
  'invalid-version',
  /** The DB has no feed for the package's namespace (an OS release or ecosystem without data). */
  'no-feed',
  /** An exception entry past its `expires` date: it no longer applies. */
  'exception-expired',
  // Content scanning (secrets, threats)
  /** Files whose content was not scanned (above the size cap); the message counts and names some. */
  'content-not-scanned',
  /** A detector could not finish a file: an archive member, a clamd or YARA error. */
  'content-scan-failed',
  /** One file had more issues than are worth listing; this one counts the rest. */
  'issues-truncated',
] as const;
export const IssueCodeSchema = z.enum(issueCodes);
export type IssueCode = z.infer<typeof IssueCodeSchema>;

/** A non-fatal problem, kept in the scan result. `line` is 1-based, for text files. */
export const IssueSchema = z.object({
  code: IssueCodeSchema,
  message: z.string(),
  location: LocationSchema.optional(),
  line: z.number().int().min(1).optional(),
});
export type Issue = z.infer<typeof IssueSchema>;
