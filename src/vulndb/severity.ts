/**
 * CVSS qualitative bands, apart from the calculator in `cvss.ts`: the matcher and the report
 * writers need only the band of a stored score, not the CVSS library (kept off their start-up).
 */
export const severityBands = ['none', 'low', 'medium', 'high', 'critical'] as const;
export type SeverityBand = (typeof severityBands)[number];

/** The CVSS v3 qualitative rating of a base score (https://www.first.org/cvss/v3.1/specification-document#Qualitative-Severity-Rating-Scale). */
export function severityOf(score: number): SeverityBand {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}
