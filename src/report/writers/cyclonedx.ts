/**
 * `--format cyclonedx-json`: the image's CycloneDX 1.6 SBOM (built by ../sbom/cyclonedx.ts, the
 * same mapping as `assay sbom`) plus `vulnerabilities[]`, one entry per finding, each pointing
 * at its package's `bom-ref` (https://cyclonedx.org/docs/1.6/json/#vulnerabilities). CycloneDX
 * has one subject per BOM, so a document of one image is one BOM and several images give a
 * JSON array of BOMs. See ../README.md for the field mapping.
 */
import type { ImageResult, VulnerabilityFinding } from '../../model/result.js';
import { severityOf } from '../../vulndb/severity.js';
import { type CdxBom, type CdxProperty, writeCycloneDx } from '../sbom/cyclonedx.js';
import type { WriteOptions } from '../writer.js';
import { byCvssDesc, formatCvss, isWebUrl, vulnerabilities } from './findings.js';
import { oneOrMany, sbomInputOf, statusNote } from './sbom-input.js';

type CdxSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info' | 'none' | 'unknown';

interface CdxRating {
  source?: { name: string; url?: string };
  score?: number;
  severity: CdxSeverity;
  method: 'CVSSv2' | 'CVSSv3' | 'CVSSv31' | 'CVSSv4' | 'other';
  vector?: string;
}

export interface CdxVulnerability {
  'bom-ref': string;
  id: string;
  source: { name: string; url?: string };
  references?: Array<{ id: string; source: { name: string } }>;
  ratings: CdxRating[];
  description?: string;
  detail?: string;
  recommendation?: string;
  advisories?: Array<{ url: string }>;
  analysis?: { state?: 'not_affected'; detail: string };
  affects: Array<{ ref: string; versions: Array<{ version: string; status: 'affected' | 'unaffected' }> }>;
  properties?: CdxProperty[];
}

export type CdxVulnerabilityBom = CdxBom & { vulnerabilities: CdxVulnerability[] };

export function writeCycloneDxReport(
  doc: { images: ImageResult[] },
  opts: Pick<WriteOptions, 'now'>,
): string {
  return oneOrMany(doc.images.map((image) => cycloneDxWithVulnerabilities(image, opts.now)));
}

export function cycloneDxWithVulnerabilities(result: ImageResult, now?: Date): CdxVulnerabilityBom {
  const bom = writeCycloneDx(sbomInputOf(result, now));
  for (const p of bom.metadata.component.properties ?? []) {
    // The SBOM input cannot say `sbom` (see sbom-input.ts); the document must.
    if (p.name === 'assay:image:source') p.value = result.image.source;
  }
  bom.metadata.properties = [...(bom.metadata.properties ?? []), ...scanProperties(result)];
  const used = new Set<string>();
  const findings = vulnerabilities(result).sort(byCvssDesc);
  return { ...bom, vulnerabilities: findings.map((f) => vulnerability(f, used)) };
}

/** How the image graded, so a BOM of an unscanned image never reads as "no vulnerabilities". */
function scanProperties(result: ImageResult): CdxProperty[] {
  const properties: CdxProperty[] = [
    { name: 'assay:scan:status', value: result.status },
    { name: 'assay:scan:result', value: result.result },
    { name: 'assay:scan:maxCvssV3', value: formatCvss(result.maxCvssV3) },
    { name: 'assay:scan:threshold:warn', value: result.thresholds.warn.toFixed(1) },
    { name: 'assay:scan:threshold:fail', value: result.thresholds.fail.toFixed(1) },
    { name: 'assay:scan:scannedAt', value: result.scannedAt },
  ];
  const note = statusNote(result);
  if (note) properties.push({ name: 'assay:scan:statusMessage', value: note });
  return properties;
}

function vulnerability(f: VulnerabilityFinding, used: Set<string>): CdxVulnerability {
  let ref = `${f.id}@${f.package.id}`;
  for (let n = 2; used.has(ref); n++) ref = `${f.id}@${f.package.id}-${n}`;
  used.add(ref);
  const advisories = f.references.filter(isWebUrl).map((url) => ({ url }));
  const summary = f.title ?? f.description;
  return {
    'bom-ref': ref,
    id: f.id,
    source: { name: f.dataSource.feed, ...(f.dataSource.url ? { url: f.dataSource.url } : {}) },
    ...(f.aliases.length > 0
      ? { references: f.aliases.map((id) => ({ id, source: { name: aliasSource(id) } })) }
      : {}),
    ratings: ratings(f),
    ...(summary ? { description: summary } : {}),
    ...(f.title && f.description ? { detail: f.description } : {}),
    ...(f.fixedVersion ? { recommendation: `Upgrade ${f.package.name} to ${f.fixedVersion}` } : {}),
    ...(advisories.length > 0 ? { advisories } : {}),
    ...(f.exception ? { analysis: analysis(f.exception) } : {}),
    affects: [{ ref: f.package.id, versions: affectedVersions(f) }],
    properties: findingProperties(f),
  };
}

const methods = { '2.0': 'CVSSv2', '3.0': 'CVSSv3', '3.1': 'CVSSv31', '4.0': 'CVSSv4' } as const;

function ratings(f: VulnerabilityFinding): CdxRating[] {
  const out: CdxRating[] = [];
  for (const cvss of [f.cvss, f.cvssV4]) {
    if (!cvss) continue;
    out.push({
      source: { name: cvss.sourceName ?? cvss.source },
      score: cvss.score,
      // The v3 band is the finding's severity; a v4 score is banded the same way (FIRST uses
      // the same qualitative scale for 4.0: https://www.first.org/cvss/v4.0/specification-document).
      severity: cvss === f.cvss ? f.severity : severityOf(cvss.score),
      method: methods[cvss.version],
      vector: cvss.vector,
    });
  }
  if (f.vendorSeverity) {
    out.push({
      source: { name: f.dataSource.feed },
      severity: vendorBand(f.vendorSeverity),
      method: 'other',
    });
  }
  return out;
}

/** Distro words for their own ratings (Debian `unimportant`, Ubuntu `negligible`, Red Hat `Important`…). */
function vendorBand(text: string): CdxSeverity {
  const word = text.trim().toLowerCase();
  if (word === 'critical') return 'critical';
  if (word === 'high' || word === 'important') return 'high';
  if (word === 'medium' || word === 'moderate') return 'medium';
  if (word === 'low') return 'low';
  if (word === 'negligible' || word === 'unimportant') return 'info';
  return 'unknown';
}

function aliasSource(id: string): string {
  const prefix = id.split('-')[0] ?? '';
  return prefix && prefix !== id ? prefix : 'unknown';
}

/**
 * An exception is a decision, not a finding about exploitability: only an OpenVEX entry states
 * `not_affected`; any other exception records its reason without claiming a state.
 */
function analysis(exception: NonNullable<VulnerabilityFinding['exception']>): CdxVulnerability['analysis'] {
  const detail = `excepted by ${exception.source}: ${exception.reason}`;
  return exception.source.startsWith('openvex:') ? { state: 'not_affected', detail } : { detail };
}

function affectedVersions(f: VulnerabilityFinding): CdxVulnerability['affects'][number]['versions'] {
  const versions: CdxVulnerability['affects'][number]['versions'] = [
    { version: f.installedVersion, status: 'affected' },
  ];
  if (f.fixedVersion) versions.push({ version: f.fixedVersion, status: 'unaffected' });
  return versions;
}

function findingProperties(f: VulnerabilityFinding): CdxProperty[] {
  const p: CdxProperty[] = [
    { name: 'assay:finding:status', value: f.status },
    { name: 'assay:finding:fromBaseImage', value: String(f.fromBaseImage) },
    { name: 'assay:layer:index', value: String(f.package.layerIndex) },
    { name: 'assay:layer:diffId', value: f.package.layerDiffId },
  ];
  if (f.cvss) p.push({ name: 'assay:cvss:source', value: f.cvss.source });
  if (f.vendorSeverity) p.push({ name: 'assay:vendorSeverity', value: f.vendorSeverity });
  if (f.epss) {
    p.push({ name: 'assay:epss:score', value: String(f.epss.score) });
    p.push({ name: 'assay:epss:percentile', value: String(f.epss.percentile) });
  }
  if (f.kev) {
    p.push({ name: 'assay:kev:dateAdded', value: f.kev.dateAdded });
    p.push({ name: 'assay:kev:knownRansomwareCampaignUse', value: String(f.kev.knownRansomwareCampaignUse) });
  }
  if (f.exception) {
    p.push({ name: 'assay:exception:source', value: f.exception.source });
    if (f.exception.author) p.push({ name: 'assay:exception:author', value: f.exception.author });
    if (f.exception.expires) p.push({ name: 'assay:exception:expires', value: f.exception.expires });
  }
  return p;
}
