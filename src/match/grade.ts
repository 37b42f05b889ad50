/**
 * Grading (issue 6, ARCHITECTURE "Result document"): FAIL when the highest CVSS v3 score among
 * effective findings is ≥ the fail threshold, WARN when ≥ the warn threshold, else PASS;
 * UNKNOWN whenever the image was not fully scanned. Excepted findings are listed but do not
 * count. Pure: the manager re-grades stored results with other thresholds through this too.
 */
import { AssayError } from '../model/errors.js';
import type {
  GradeResult,
  ResultSummary,
  ScanStatus,
  SeverityCounts,
  Thresholds,
  VulnerabilityFinding,
} from '../model/result.js';
import { DEFAULT_THRESHOLDS } from '../model/result.js';

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

export function gradeImage(
  findings: readonly VulnerabilityFinding[],
  thresholds: Thresholds,
  status: ScanStatus,
  filtered = 0,
): Grade {
  const max = maxCvssV3(findings);
  return { result: gradeOf(max, thresholds, status), maxCvssV3: max, summary: summarize(findings, filtered) };
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
