/**
 * The scan result document (ARCHITECTURE "Settled points: Result document"): one `ImageResult`
 * per image — what `assay scan` writes with `--format json`/`--output_file`, and the body of one
 * `POST /api/v1/scans` to the manager. A run's output is `ScanDocument = {schemaVersion, images}`.
 * Defined once here with zod; the JSON Schema in `docs/scan-result.schema.json` is generated from
 * it (`npm run schemas`) and documented in `docs/scan-result.md`.
 */
import { z } from 'zod';
import { IssueSchema } from './issue.js';
import { OsReleaseSchema } from './os.js';
import { PackageSchema, PackageTypeSchema } from './package.js';
import {
  contentKinds,
  DEFAULT_SCANNERS,
  gradeResults,
  SCAN_SCHEMA_VERSION,
  scannerKinds,
  scanStatuses,
  severities,
} from './values.js';

export {
  contentKinds,
  DEFAULT_SCANNERS,
  gradeResults,
  SCAN_SCHEMA_VERSION,
  scannerKinds,
  scanStatuses,
  severities,
};

export const ScannerKindSchema = z.enum(scannerKinds);
export type ScannerKind = z.infer<typeof ScannerKindSchema>;
export const ContentKindSchema = z.enum(contentKinds);
export type ContentKind = z.infer<typeof ContentKindSchema>;

export const GradeResultSchema = z.enum(gradeResults);
export type GradeResult = z.infer<typeof GradeResultSchema>;

export const ScanStatusSchema = z.enum(scanStatuses);
export type ScanStatus = z.infer<typeof ScanStatusSchema>;

export const ThresholdsSchema = z
  .object({ warn: z.number().min(0).max(10), fail: z.number().min(0).max(10) })
  .refine((t) => t.warn <= t.fail, { message: 'warn threshold must not exceed fail threshold' });
export type Thresholds = z.infer<typeof ThresholdsSchema>;
export const DEFAULT_THRESHOLDS: Thresholds = { warn: 4.0, fail: 7.0 };

export const SeveritySchema = z.enum(severities);
export type Severity = z.infer<typeof SeveritySchema>;

export const CvssSchema = z.object({
  version: z.enum(['2.0', '3.0', '3.1', '4.0']),
  vector: z.string(),
  score: z.number().min(0).max(10),
  /** `nvd` | `cna` | `adp` | `advisory` | `distro` (ARCHITECTURE order of preference). */
  source: z.enum(['nvd', 'cna', 'adp', 'advisory', 'distro']),
  /** Who exactly (`nvd@nist.gov`, the CNA, `GHSA`…), when known. */
  sourceName: z.string().optional(),
});
export type Cvss = z.infer<typeof CvssSchema>;

export const EpssSchema = z.object({
  score: z.number().min(0).max(1),
  percentile: z.number().min(0).max(1),
  date: z.string().optional(),
});

export const KevSchema = z.object({
  dateAdded: z.string(),
  dueDate: z.string().optional(),
  knownRansomwareCampaignUse: z.boolean(),
});

/** Why a finding does not count: an exception entry that matched it. */
export const AppliedExceptionSchema = z.object({
  reason: z.string(),
  author: z.string().optional(),
  expires: z.string().optional(),
  /** Where the entry came from: the ignore file's path, `openvex:<path>`, or `manager`. */
  source: z.string(),
});

/** The package a finding is about, as a reference into `packages[]` plus what a reader needs inline. */
export const FindingPackageSchema = z.object({
  id: z.string(),
  type: PackageTypeSchema,
  name: z.string(),
  version: z.string(),
  purl: z.string(),
  /** The source package the feed is keyed by (Debian/Ubuntu), when it differs from `name`. */
  sourceName: z.string().optional(),
  path: z.string().optional(),
  layerIndex: z.number().int().min(0),
  layerDiffId: z.string(),
  createdBy: z.string().optional(),
});

export const fixStatusValues = ['fixed', 'affected', 'will_not_fix', 'end_of_life'] as const;

export const VulnerabilityFindingSchema = z.object({
  kind: z.literal('vulnerability'),
  /** The CVE id when the vulnerability has one, else the advisory's id. */
  id: z.string(),
  /** Every other id for the same vulnerability (GHSA, DSA, GO-…), sorted. */
  aliases: z.array(z.string()),
  title: z.string().optional(),
  description: z.string().optional(),
  package: FindingPackageSchema,
  installedVersion: z.string(),
  /** The first version that fixes it, for the installed version's branch; absent when none. */
  fixedVersion: z.string().optional(),
  /** `fixed` = a fix exists (upgrade to `fixedVersion`); `affected` = no fix yet. */
  status: z.enum(fixStatusValues),
  severity: SeveritySchema,
  /** The distro's or advisory's own rating, as it spells it. */
  vendorSeverity: z.string().optional(),
  /** The chosen CVSS v3.x score: absent (N/A) when no source has one. */
  cvss: CvssSchema.optional(),
  cvssV4: CvssSchema.optional(),
  epss: EpssSchema.optional(),
  kev: KevSchema.optional(),
  /** Weakness ids (`CWE-79`) from the CVE record (CNA, CISA ADP) and the advisories, each once. */
  cwes: z.array(z.string()).optional(),
  /** Which feed and record said so: `{feed: 'debian-tracker', id: 'CVE-…'}`. */
  dataSource: z.object({ feed: z.string(), id: z.string(), url: z.string().optional() }),
  references: z.array(z.string()),
  /** True when the package's layer belongs to the base image (see `layers[].base`). */
  fromBaseImage: z.boolean(),
  /** Present when an exception matched: the finding is listed but does not count for grading. */
  exception: AppliedExceptionSchema.optional(),
});
export type VulnerabilityFinding = z.infer<typeof VulnerabilityFindingSchema>;

/**
 * Where a content finding (secret, threat, config) was found: a file of one layer, or the image
 * configuration (`Env`, a label, a history entry, the runtime config). Layer fields are set for
 * files and for history entries that produced a layer.
 */
export const ContentLocationSchema = z.object({
  source: z.enum(['file', 'env', 'label', 'history', 'config']),
  /** File path (no leading `/`); the variable name for `env`; the key for `label`. */
  path: z.string().optional(),
  /** Inside an archive at `path`: the member, nested members joined by `!/` (`lib/a.jar!/x.com`). */
  member: z.string().optional(),
  /** 1-based line and byte column of the match within the file or string. */
  line: z.number().int().min(1).optional(),
  column: z.number().int().min(1).optional(),
  layerIndex: z.number().int().min(0).optional(),
  layerDiffId: z.string().optional(),
  /** The history `created_by` of the layer (files) or of the entry itself (`history`). */
  createdBy: z.string().optional(),
  /** Index into the image config's `history` (source `history`). */
  historyIndex: z.number().int().min(0).optional(),
  /**
   * Set when the file is not in the final file system: the layer whose deletion (whiteout) or
   * overwrite removed it. The bytes are still in `layerIndex` for anyone who pulls the image.
   */
  removedInLayer: z.number().int().min(0).optional(),
});
export type ContentLocation = z.infer<typeof ContentLocationSchema>;

/** What every content finding carries: a rule or check id, a label, a location and an exception. */
const contentFindingFields = {
  /** Rule id (`aws-access-key-id`), threat id (`eicar`, `clamav:Sig.Name`) or check id (`root-user`). */
  id: z.string(),
  title: z.string(),
  category: z.string(),
  /** Set by the rule or check (content findings have no CVSS score). */
  severity: SeveritySchema,
  location: ContentLocationSchema,
  /** True when the location's layer (or history entry) belongs to the base image. */
  fromBaseImage: z.boolean(),
  exception: AppliedExceptionSchema.optional(),
};

export const SecretFindingSchema = z.object({
  kind: z.literal('secret'),
  ...contentFindingFields,
  /** At most 4 leading characters of the value, never more than a third of it, then `***`. */
  match: z.string(),
});
export type SecretFinding = z.infer<typeof SecretFindingSchema>;

export const threatEngines = ['builtin', 'hash-list', 'yara', 'clamav'] as const;
export const ThreatFindingSchema = z.object({
  kind: z.literal('threat'),
  ...contentFindingFields,
  /** Which detector said so: the built-in checks, a SHA-256 deny-list, YARA rules, ClamAV. */
  engine: z.enum(threatEngines),
  /** SHA-256 of the file (or archive member) in lower-case hex, when it was hashed. */
  sha256: z.string().optional(),
  /** A short, non-secret excerpt or reason: the pool host, the signature name, the list's note. */
  evidence: z.string().optional(),
});
export type ThreatFinding = z.infer<typeof ThreatFindingSchema>;

export const ConfigFindingSchema = z.object({
  kind: z.literal('config'),
  ...contentFindingFields,
  /** What is wrong here, in one sentence (names the user, the URL, the variable…, never a secret value). */
  message: z.string(),
  /** The CIS Docker Benchmark recommendation it implements (`4.1`). */
  cis: z.string().optional(),
});
export type ConfigFinding = z.infer<typeof ConfigFindingSchema>;

export type ContentFinding = SecretFinding | ThreatFinding | ConfigFinding;

/** Findings of every kind share one list. Only `vulnerability` findings count for the CVSS grade. */
export const FindingSchema = z.discriminatedUnion('kind', [
  VulnerabilityFindingSchema,
  SecretFindingSchema,
  ThreatFindingSchema,
  ConfigFindingSchema,
]);
export type Finding = z.infer<typeof FindingSchema>;

export const ResultLayerSchema = z.object({
  index: z.number().int().min(0),
  digest: z.string(),
  diffId: z.string(),
  createdBy: z.string().optional(),
  created: z.string().optional(),
  /** Bytes as stored (compressed); -1 when unknown. */
  size: z.number().int(),
  /** True for layers that came from the base image (inferred from history; see docs/scan-result.md). */
  base: z.boolean(),
});
export type ResultLayer = z.infer<typeof ResultLayerSchema>;

export const ImageRefSchema = z.object({
  /** The manifest digest where known, else the image id: the manager's key. */
  id: z.string(),
  /** Registry host; empty when the image has no registry origin. */
  registry: z.string(),
  repository: z.string(),
  tags: z.array(z.string()),
  manifestDigest: z.string().optional(),
  /** The config digest (`docker images` IMAGE ID); absent only for SBOM inputs. */
  imageId: z.string().optional(),
  platform: z.object({ os: z.string(), architecture: z.string(), variant: z.string().optional() }).optional(),
  created: z.string().optional(),
  size: z.number().int().optional(),
  os: OsReleaseSchema.optional(),
  /** How it was read: `registry`, `engine`, `docker-archive`, `oci-archive`, `oci-dir`, `rootfs`, `sbom`. */
  source: z.string(),
});
export type ImageRef = z.infer<typeof ImageRefSchema>;

export const SeverityCountsSchema = z.object({
  critical: z.number().int().min(0),
  high: z.number().int().min(0),
  medium: z.number().int().min(0),
  low: z.number().int().min(0),
  none: z.number().int().min(0),
  unknown: z.number().int().min(0),
});
export type SeverityCounts = z.infer<typeof SeverityCountsSchema>;

export const ResultSummarySchema = z.object({
  /** Effective findings (not excepted), by severity band. */
  bySeverity: SeverityCountsSchema,
  findings: z.number().int().min(0),
  excepted: z.number().int().min(0),
  /** Removed by `--severity` / `--ignore-unfixed` (not listed). */
  filtered: z.number().int().min(0),
  fixable: z.number().int().min(0),
  kev: z.number().int().min(0),
  maxEpss: z.number().min(0).max(1).nullable(),
  /**
   * Content findings (kinds other than `vulnerability`; the counts above are vulnerabilities only).
   * Present when a content scanner ran. `suppressed` counts secret matches dropped as noise
   * (example values, placeholders, test/doc files of OS packages), not listed unless asked for.
   */
  content: z
    .object({
      secret: z.number().int().min(0),
      threat: z.number().int().min(0),
      config: z.number().int().min(0),
      excepted: z.number().int().min(0),
      suppressed: z.number().int().min(0),
    })
    .optional(),
});
export type ResultSummary = z.infer<typeof ResultSummarySchema>;

export const ScanFiltersSchema = z.object({
  severity: z.array(SeveritySchema).optional(),
  ignoreUnfixed: z.boolean(),
  ignoreFiles: z.array(z.string()),
});

export const DatabaseInfoSchema = z.object({
  schemaVersion: z.number().int(),
  builtAt: z.string().optional(),
  /** Hours since `builtAt` at scan time. */
  ageHours: z.number().optional(),
  sources: z.array(z.object({ id: z.string(), records: z.number().int(), importedAt: z.string() })),
});

export const ImageResultSchema = z.object({
  schemaVersion: z.string(),
  /** What the user asked for (`registry:alpine:3.20`, `sbom:app.cdx.json`). */
  input: z.string(),
  image: ImageRefSchema,
  scannedAt: z.string(),
  /** Wall time of this image's scan in milliseconds. */
  durationMs: z.number().min(0),
  scanner: z.object({ name: z.literal('assay'), version: z.string() }),
  status: ScanStatusSchema,
  statusMessage: z.string(),
  result: GradeResultSchema,
  /** Which scanners ran (`--scanners`); absent in documents from before content scanning (= `vuln`). */
  scanners: z.array(ScannerKindSchema).optional(),
  /** `--fail-on`: an effective finding of one of these kinds makes a scanned image FAIL. */
  failOn: z.array(ContentKindSchema).optional(),
  /** Highest CVSS v3.x base score among effective findings; null when none has one. */
  maxCvssV3: z.number().min(0).max(10).nullable(),
  thresholds: z.object({ warn: z.number(), fail: z.number() }),
  filters: ScanFiltersSchema,
  database: DatabaseInfoSchema.optional(),
  summary: ResultSummarySchema,
  findings: z.array(FindingSchema),
  packages: z.array(PackageSchema),
  layers: z.array(ResultLayerSchema),
  issues: z.array(IssueSchema),
});
export type ImageResult = z.infer<typeof ImageResultSchema>;

export const ScanDocumentSchema = z.object({
  schemaVersion: z.string(),
  images: z.array(ImageResultSchema),
});
export type ScanDocument = z.infer<typeof ScanDocumentSchema>;

export function isVulnerability(finding: Finding): finding is VulnerabilityFinding {
  return finding.kind === 'vulnerability';
}

/** The vulnerability findings of a list of any kinds, in their order. */
export function vulnerabilityFindings(findings: readonly Finding[]): VulnerabilityFinding[] {
  return findings.filter(isVulnerability);
}
