/** Pure derivations over one image's detail: per-package and per-layer counts, filters, labels. */
import type { ImageDetail, Package, ResultLayer, Severity, VulnerabilityFinding } from '../../api/types.js';

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'none', 'unknown'];

/** Higher is worse: for sorting by severity. */
export function severityRank(s: Severity): number {
  return SEVERITY_ORDER.length - SEVERITY_ORDER.indexOf(s);
}

export type SeverityTally = Record<Severity, number>;

export function emptyTally(): SeverityTally {
  return { critical: 0, high: 0, medium: 0, low: 0, none: 0, unknown: 0 };
}

/** How many findings each package id has. */
export function findingsByPackage(findings: readonly VulnerabilityFinding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) m.set(f.package.id, (m.get(f.package.id) ?? 0) + 1);
  return m;
}

export interface LayerFacts {
  layer: ResultLayer;
  packages: number;
  findings: number;
  excepted: number;
  bySeverity: SeverityTally;
}

/** Each layer with the packages and vulnerabilities it introduced. */
export function layerFacts(
  layers: readonly ResultLayer[],
  packages: readonly Package[],
  findings: readonly VulnerabilityFinding[],
): LayerFacts[] {
  const byIndex = new Map<number, LayerFacts>(
    layers.map((layer) => [
      layer.index,
      { layer, packages: 0, findings: 0, excepted: 0, bySeverity: emptyTally() },
    ]),
  );
  for (const p of packages) {
    const l = byIndex.get(p.introducedIn.layerIndex);
    if (l) l.packages++;
  }
  for (const f of findings) {
    const l = byIndex.get(f.package.layerIndex);
    if (!l) continue;
    l.findings++;
    if (f.exception) l.excepted++;
    l.bySeverity[f.severity]++;
  }
  return [...byIndex.values()].sort((a, b) => a.layer.index - b.layer.index);
}

export interface VulnFilter {
  q: string;
  severity: Severity | '';
  kev: boolean;
  fixable: boolean;
  showExcepted: boolean;
  layer: number | null;
}

export function filterFindings(
  findings: readonly VulnerabilityFinding[],
  f: VulnFilter,
): VulnerabilityFinding[] {
  const q = f.q.trim().toLowerCase();
  return findings.filter(
    (x) =>
      (f.layer === null || x.package.layerIndex === f.layer) &&
      (f.severity === '' || x.severity === f.severity) &&
      (!f.kev || x.kev !== undefined) &&
      (!f.fixable || x.fixedVersion !== undefined) &&
      (f.showExcepted || x.exception === undefined) &&
      (q === '' ||
        x.id.toLowerCase().includes(q) ||
        x.package.name.toLowerCase().includes(q) ||
        x.aliases.some((a) => a.toLowerCase().includes(q))),
  );
}

export function filterPackages<P extends Package>(
  packages: readonly P[],
  f: { q: string; type: string; layer: number | null },
): P[] {
  const q = f.q.trim().toLowerCase();
  return packages.filter(
    (p) =>
      (f.layer === null || p.introducedIn.layerIndex === f.layer) &&
      (f.type === '' || p.type === f.type) &&
      (q === '' || p.name.toLowerCase().includes(q) || p.purl.toLowerCase().includes(q)),
  );
}

/** The `layer` URL parameter as an index, or null when absent or not a layer of this image. */
export function parseLayer(raw: string | null, layers: readonly ResultLayer[]): number | null {
  if (raw === null || !/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return layers.some((l) => l.index === n) ? n : null;
}

/** "Debian GNU/Linux 12 (bookworm)", else "debian 12". */
export function osLabel(d: ImageDetail): string {
  const os = d.document.image.os;
  if (!os) return '';
  return os.prettyName ?? `${os.id} ${os.versionId || os.version}`.trim();
}

export function platformLabel(d: ImageDetail): string {
  const p = d.document.image.platform;
  return p ? [p.os, p.architecture, p.variant].filter(Boolean).join('/') : '';
}

/** Hours as "5 h" or "3 d". */
export function hoursLabel(h: number): string {
  return h < 48 ? `${Math.round(h)} h` : `${Math.round(h / 24)} d`;
}

/** Where a finding's id links to: the feed record, else its first reference. */
export function findingUrl(f: VulnerabilityFinding): string | undefined {
  return f.dataSource.url ?? f.references[0];
}
