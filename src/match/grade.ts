/**
 * Grading (issue 6, ARCHITECTURE "Result document"): FAIL when the highest CVSS v3 score among
 * effective findings is ≥ the fail threshold, WARN when ≥ the warn threshold, else PASS;
 * UNKNOWN whenever the image was not fully scanned. Excepted findings are listed but do not
 * count. Pure: the manager re-grades stored results with other thresholds through this too.
 */
import { AssayError } from '../model/errors.js';
import {
  type ContentKind,
  DEFAULT_THRESHOLDS,
  type Finding,
  type GradeResult,
  type ResultSummary,
  type ScanStatus,
  type SeverityCounts,
  type Thresholds,
  type VulnerabilityFinding,
  vulnerabilityFindings,
} from '../model/result.js';

export interface Grade {
  result: GradeResult;
  maxCvssV3: number | null;
  summary: ResultSummary;
}

function emptyCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, none: 0, unknown: 0 };
}

export function summarize(findings: readonly VulnerabilityFinding[], filtered = 0): ResultSummary {
  const effective = findings.filter((f) => !f.exception);
  const bySeverity = emptyCounts();
  let maxEpss: number | null = null;
  for (const f of effective) {
    bySeverity[f.severity] += 1;
    if (f.epss && (maxEpss === null || f.epss.score > maxEpss)) maxEpss = f.epss.score;
  }
  return {
    bySeverity,
    findings: effective.length,
    excepted: findings.length - effective.length,
    filtered,
    fixable: effective.filter((f) => f.fixedVersion !== undefined).length,
    kev: effective.filter((f) => f.kev).length,
    maxEpss,
  };
}

export function maxCvssV3(findings: readonly VulnerabilityFinding[]): number | null {
  let max: number | null = null;
  for (const f of findings)
    if (!f.exception && f.cvss && (max === null || f.cvss.score > max)) max = f.cvss.score;
  return max;
}

export function gradeOf(max: number | null, thresholds: Thresholds, status: ScanStatus): GradeResult {
  if (status !== 'scanned') return 'UNKNOWN';
  if (max === null) return 'PASS';
  if (max >= thresholds.fail) return 'FAIL';
  if (max >= thresholds.warn) return 'WARN';
  return 'PASS';
}

export interface ContentGrading {
  /** `--fail-on`: an effective finding of one of these kinds makes a scanned image FAIL. */
  failOn?: readonly ContentKind[];
  /** Secret matches dropped as noise, for `summary.content.suppressed`. */
  suppressed?: number;
}

/**
 * The CVSS rule over the vulnerability findings; content findings (secret, threat, config) never
 * change the score, only `--fail-on` turns them into a FAIL. `content` (even `{}`) says content
 * scanners ran, so `summary.content` is filled.
 */
export function gradeImage(
  findings: readonly Finding[],
  thresholds: Thresholds,
  status: ScanStatus,
  filtered = 0,
  content?: ContentGrading,
): Grade {
  const vulns = vulnerabilityFindings(findings);
  const max = maxCvssV3(vulns);
  const summary = summarize(vulns, filtered);
  let result = gradeOf(max, thresholds, status);
  if (content) {
    summary.content = contentCounts(findings, content.suppressed ?? 0);
    if (result !== 'UNKNOWN' && failsOn(findings, content.failOn ?? [])) result = 'FAIL';
  }
  return { result, maxCvssV3: max, summary };
}

/** An effective (not excepted) content finding of a `--fail-on` kind. */
export function failsOn(findings: readonly Finding[], failOn: readonly ContentKind[]): boolean {
  return (
    failOn.length > 0 && findings.some((f) => !f.exception && (failOn as readonly string[]).includes(f.kind))
  );
}

function contentCounts(
  findings: readonly Finding[],
  suppressed: number,
): NonNullable<ResultSummary['content']> {
  const counts = { secret: 0, threat: 0, config: 0, excepted: 0, suppressed };
  for (const f of findings) {
    if (f.kind === 'vulnerability') continue;
    // Noise listed by `show-suppressed` is already in `suppressed`.
    if (f.exception?.source === 'noise') continue;
    if (f.exception) counts.excepted++;
    else counts[f.kind]++;
  }
  return counts;
}

function thresholdValue(value: unknown, name: 'warn' | 'fail'): number {
  const flag = `--${name}_threshold`;
  if (value === undefined || value === null) return DEFAULT_THRESHOLDS[name];
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : Number.NaN;
  if (!Number.isFinite(n))
    throw new AssayError('usage', `${flag} must be a number from 0.0 to 10.0, got ${JSON.stringify(value)}`);
  if (n < 0 || n > 10)
    throw new AssayError('usage', `${flag} must be between 0.0 and 10.0 (a CVSS score), got ${n}`);
  return n;
}

/**
 * Thresholds from options, env or config (numbers or numeric strings; absent = the default).
 * A usage error names the option and the fix.
 */
export function parseThresholds(warn: unknown, fail: unknown): Thresholds {
  const t = { warn: thresholdValue(warn, 'warn'), fail: thresholdValue(fail, 'fail') };
  if (t.warn > t.fail)
    throw new AssayError(
      'usage',
      `--warn_threshold (${t.warn}) must not exceed --fail_threshold (${t.fail}): lower the warn threshold or raise the fail threshold`,
    );
  return t;
}
