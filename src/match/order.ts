/** The findings order of every report: CVSS v3 descending (N/A last), then id, then package. */
import type { VulnerabilityFinding } from '../model/result.js';

const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function compareFindings(a: VulnerabilityFinding, b: VulnerabilityFinding): number {
  const sa = a.cvss?.score ?? -1;
  const sb = b.cvss?.score ?? -1;
  if (sa !== sb) return sb - sa;
  return (
    text(a.id, b.id) ||
    text(a.package.name, b.package.name) ||
    text(a.package.version, b.package.version) ||
    text(a.package.id, b.package.id)
  );
}
