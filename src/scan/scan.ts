/**
 * `scan(source, options)`: one image from input to graded result. Read (catalog or SBOM) →
 * match → exceptions → filters → grade, and every per-image problem becomes the result's
 * `status` with a message instead of an exception, so one bad image never hides the others
 * (ARCHITECTURE "Scan status", "Partial and UNKNOWN").
 */
import { dirname, join } from 'node:path';
import type { SecretConfig } from '../content/secrets/config.js';
import type { DenyList, ThreatEngine } from '../content/types.js';
import type { LayerCache } from '../image/cache/layer-cache.js';
import type { SourceOptions } from '../image/source.js';
import { applyExceptions } from '../match/exceptions.js';
import { applyFilters, type FindingFilters } from '../match/filters.js';
import { gradeImage } from '../match/grade.js';
import { matchImage } from '../match/match-image.js';
import type { ExceptionEntry } from '../model/exception.js';
import type { Issue } from '../model/issue.js';
import {
  type ContentKind,
  DEFAULT_THRESHOLDS,
  type Finding,
  type ImageResult,
  SCAN_SCHEMA_VERSION,
  type ScannerKind,
  type ScanStatus,
  type Thresholds,
  vulnerabilityFindings,
} from '../model/result.js';
import { cacheDirFor, defaultDbDir } from '../paths.js';
import { assayVersion } from '../version.js';
import type { VulnDbReader } from '../vulndb/reader.js';
import { contentRequest, scannersOf, sortContent } from './content-options.js';
import { exceptionIdentity, failedImageRef } from './image-ref.js';
import { type InputContents, readInput } from './read-input.js';
import { statusOfError } from './status.js';

/** Exceptions from one ignore file, as `match/ignore-file.ts` loads them. */
export interface ExceptionSource {
  /** What `finding.exception.source` records: the path, or `openvex:<path>`. */
  source: string;
  /** The file as given, for `filters.ignoreFiles`. */
  path: string;
  entries: readonly ExceptionEntry[];
}

export interface ScanOptions {
  db: VulnDbReader;
  source?: SourceOptions;
  cache?: LayerCache;
  thresholds?: Thresholds;
  filters?: FindingFilters;
  exceptions?: readonly ExceptionSource[];
  /** Which scanners run (default `vuln,secret`); content scanners need an image, not an SBOM. */
  scanners?: readonly ScannerKind[];
  /** Settings of the content scanners (defaults: built-in secret rules, no deny-list, no engines). */
  content?: ContentSettings;
  /** `--fail-on`: kinds whose effective findings make a scanned image FAIL. */
  failOn?: readonly ContentKind[];
  /** The clock (tests pin it): scan time, exception expiry, end-of-life. */
  now?: () => Date;
  signal?: AbortSignal;
  onProgress?: (input: string, text: string) => void;
}

export interface ContentSettings {
  secrets?: SecretConfig;
  /** Deny-list files (`--threat-hashes`); the DB's imported lists are added per run. */
  denyList?: DenyList;
  engines?: readonly ThreatEngine[];
}

interface Outcome {
  status: ScanStatus;
  statusMessage: string;
  findings: Finding[];
  issues: Issue[];
  filtered: number;
  /** The scanners that ran (content scanners do not run on an SBOM). */
  scanners: ScannerKind[];
  suppressed: number;
}

/** Spooled downloads live in the cache directory the scan was given (never a shared /tmp path). */
function defaultSpoolDir(cache: LayerCache | undefined): string {
  return join(cache ? dirname(cache.dir) : cacheDirFor(defaultDbDir()), 'tmp');
}

export async function scanImage(input: string, opts: ScanOptions): Promise<ImageResult> {
  const now = opts.now ?? (() => new Date());
  const started = now();
  const clock = performance.now();
  let contents: InputContents | undefined;
  let outcome: Outcome;
  try {
    const content = contentRequest(opts);
    contents = await readInput(input, {
      source: opts.source ?? { spoolDir: defaultSpoolDir(opts.cache) },
      ...(content ? { content } : {}),
      today: started,
      ...(opts.cache ? { cache: opts.cache } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      onProgress: (text) => opts.onProgress?.(input, text),
    });
    outcome = evaluate(contents, opts, started);
  } catch (err) {
    const failure = statusOfError(err);
    outcome = {
      status: failure.status,
      statusMessage: failure.message,
      findings: [],
      issues: [],
      filtered: 0,
      scanners: [...scannersOf(opts)],
      suppressed: 0,
    };
  }
  return assemble(input, contents, outcome, opts, started, performance.now() - clock);
}

/** Match, apply exceptions and filters, and decide the status. */
function evaluate(contents: InputContents, opts: ScanOptions, now: Date): Outcome {
  const wanted = scannersOf(opts);
  const match = wanted.has('vuln')
    ? matchImage(
        { ...(contents.os ? { os: contents.os } : {}), packages: contents.packages, layers: contents.layers },
        opts.db,
        { today: now },
      )
    : { findings: [], issues: [], unsupportedOs: undefined };
  const issues = [...contents.issues, ...match.issues, ...(contents.content?.issues ?? [])];
  const identity = exceptionIdentity(contents.image);
  let findings: Finding[] = [...match.findings, ...(contents.content?.findings ?? [])];
  for (const file of opts.exceptions ?? []) {
    const applied = applyExceptions(findings, file.entries, identity, now, file.source);
    findings = applied.findings;
    issues.push(...applied.expired);
  }
  // --severity and --ignore-unfixed are about vulnerabilities; content findings are kept as found.
  const { kept, filtered } = applyFilters(vulnerabilityFindings(findings), opts.filters ?? {});
  const content = findings.filter((f) => f.kind !== 'vulnerability');
  const packages = `${contents.packages.length} package${contents.packages.length === 1 ? '' : 's'}`;
  const ran = [...wanted].filter((k) => k === 'vuln' || contents.content !== undefined);
  const base = {
    findings: [...kept, ...sortContent(content)],
    issues,
    filtered,
    scanners: ran,
    suppressed: contents.content?.suppressed ?? 0,
  };
  if (contents.incomplete)
    return { ...base, status: 'partial', statusMessage: `partly scanned: ${contents.incomplete}` };
  if (match.unsupportedOs) return { ...base, status: 'unsupported_os', statusMessage: match.unsupportedOs };
  return { ...base, status: 'scanned', statusMessage: `scanned ${packages} ${contents.readFrom}` };
}

function assemble(
  input: string,
  contents: InputContents | undefined,
  outcome: Outcome,
  opts: ScanOptions,
  started: Date,
  durationMs: number,
): ImageResult {
  const thresholds = opts.thresholds ?? DEFAULT_THRESHOLDS;
  const contentRan = outcome.scanners.some((k) => k !== 'vuln');
  const failOn = [...(opts.failOn ?? [])];
  const grade = gradeImage(
    outcome.findings,
    thresholds,
    outcome.status,
    outcome.filtered,
    contentRan ? { failOn, suppressed: outcome.suppressed } : undefined,
  );
  const filters: ImageResult['filters'] = {
    ignoreUnfixed: opts.filters?.ignoreUnfixed ?? false,
    ignoreFiles: (opts.exceptions ?? []).map((e) => e.path),
  };
  if (opts.filters?.severity && opts.filters.severity.length > 0)
    filters.severity = [...opts.filters.severity];
  return {
    schemaVersion: SCAN_SCHEMA_VERSION,
    input,
    image: contents?.image ?? failedImageRef(input),
    scannedAt: started.toISOString(),
    durationMs: Math.max(0, Math.round(durationMs)),
    scanner: { name: 'assay', version: assayVersion() },
    status: outcome.status,
    statusMessage: outcome.statusMessage,
    result: grade.result,
    scanners: outcome.scanners,
    ...(failOn.length > 0 ? { failOn } : {}),
    maxCvssV3: grade.maxCvssV3,
    thresholds: { ...thresholds },
    filters,
    database: databaseInfo(opts.db, started),
    summary: grade.summary,
    findings: outcome.findings,
    packages: contents?.packages ?? [],
    layers: contents?.layers ?? [],
    issues: outcome.issues,
  };
}

function databaseInfo(db: VulnDbReader, now: Date): ImageResult['database'] {
  const info = db.info();
  const out: NonNullable<ImageResult['database']> = {
    schemaVersion: info.schemaVersion,
    sources: info.sources.map((s) => ({ id: s.id, records: s.records, importedAt: s.importedAt })),
  };
  if (info.builtAt) {
    out.builtAt = info.builtAt;
    const age = (now.getTime() - Date.parse(info.builtAt)) / 3_600_000;
    if (Number.isFinite(age)) out.ageHours = Math.round(Math.max(0, age) * 10) / 10;
  }
  return out;
}

export interface ScanImagesOptions {
  concurrency?: number;
  /**
   * Called with each result as soon as its image is done (completion order), e.g. to send it to
   * the manager while the other images are still being scanned. It must not throw.
   */
  onResult?: (result: ImageResult, index: number) => void;
}

/** Scans several images, `concurrency` at a time, results in input order. */
export async function scanImages(
  inputs: readonly string[],
  opts: ScanOptions,
  { concurrency = 2, onResult }: ScanImagesOptions = {},
): Promise<ImageResult[]> {
  const results: ImageResult[] = new Array(inputs.length);
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const i = next++;
      const result = await scanImage(inputs[i]!, opts);
      results[i] = result;
      onResult?.(result, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, inputs.length)) }, worker));
  return results;
}
