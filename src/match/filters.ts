/**
 * `--severity` and `--ignore-unfixed` (ARCHITECTURE "CVSS and severity"): they remove findings
 * before grading, like exceptions, and the result counts what they removed (`summary.filtered`).
 */
import type { Severity, VulnerabilityFinding } from '../model/result.js';

export interface FindingFilters {
  /** Keep only these severity bands (`unknown` = no CVSS v3 score); absent or empty keeps all. */
  severity?: Severity[];
  /** Drop findings with no fix to upgrade to (no `fixedVersion`). */
  ignoreUnfixed?: boolean;
}

export function keepFinding(finding: VulnerabilityFinding, f: FindingFilters): boolean {
  if (f.severity && f.severity.length > 0 && !f.severity.includes(finding.severity)) return false;
  if (f.ignoreUnfixed && finding.fixedVersion === undefined) return false;
  return true;
}

export function applyFilters(
  findings: VulnerabilityFinding[],
  f: FindingFilters,
): { kept: VulnerabilityFinding[]; filtered: number } {
  const kept = findings.filter((finding) => keepFinding(finding, f));
  return { kept, filtered: findings.length - kept.length };
}
