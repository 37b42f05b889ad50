/**
 * SARIF rules and results for content findings (secrets, threats, configuration). Rule ids are
 * `KIND/ID` (`secret/aws-access-key-id`, `threat/eicar`, `config/root-user`), so they never
 * collide with vulnerability ids or with each other. A file finding sits on its file (the
 * archive, for a member) at its line; a finding in the image configuration sits on the image
 * reference, as vulnerabilities without a file do, with a logical location naming the entry.
 * A secret's only text is its redacted `match`.
 */
import type { ContentFinding, ContentKind, ImageResult, Severity } from '../../model/result.js';
import { detailText, locationText } from './content.js';
import { compareText, imageDigestOf, imageReference, severityRank } from './findings.js';
import { truncate } from './layout.js';
import { fingerprintOf, levelOf, uriOf } from './sarif-location.js';
import type { SarifResult, SarifRule } from './sarif-types.js';

export function contentRuleId(f: ContentFinding): string {
  return `${f.kind}/${f.id}`;
}

/**
 * GitHub ranks alerts by `security-severity`, a CVSS-like number; content findings have no
 * CVSS score, so each band gets a number inside its CVSS range (critical 9.0–10.0, high
 * 7.0–8.9, medium 4.0–6.9, low 0.1–3.9), and none for `none`/`unknown`.
 */
const BAND_SCORE: Partial<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
};

const KIND_NAME: Record<ContentKind, string> = {
  secret: 'secret',
  threat: 'threat',
  config: 'image configuration check',
};

/** One rule per kind and id; where findings of one rule differ in severity, the worst one speaks. */
export function contentRules(findings: readonly ContentFinding[]): SarifRule[] {
  const worst = new Map<string, ContentFinding>();
  for (const f of findings) {
    const id = contentRuleId(f);
    const seen = worst.get(id);
    if (!seen || severityRank[f.severity] < severityRank[seen.severity]) worst.set(id, f);
  }
  return [...worst.entries()].sort(([a], [b]) => compareText(a, b)).map(([id, f]) => ruleOf(id, f));
}

function ruleOf(id: string, f: ContentFinding): SarifRule {
  const cis = f.kind === 'config' && f.cis ? ` CIS Docker Benchmark ${f.cis}.` : '';
  const what = `${f.title}: a ${KIND_NAME[f.kind]} (category ${f.category}), severity ${f.severity}.${cis}`;
  const score = BAND_SCORE[f.severity];
  return {
    id,
    shortDescription: { text: truncate(f.title, 1024) },
    fullDescription: { text: what },
    help: {
      text: what,
      markdown: `**${f.title}**: a ${KIND_NAME[f.kind]} (category \`${f.category}\`), severity **${f.severity}**.${cis}`,
    },
    defaultConfiguration: { level: levelOf(f.severity) },
    properties: {
      ...(score ? { 'security-severity': score } : {}),
      tags: ['security', f.kind, f.category, f.severity],
      precision: 'high',
    },
  };
}

export function contentResult(image: ImageResult, f: ContentFinding, ruleIndex: number): SarifResult {
  const reference = imageReference(image);
  const { location } = f;
  const inFile = location.source === 'file' && location.path !== undefined;
  const region = {
    // GitHub needs a start line to place an alert; a whole-file finding sits on line 1.
    startLine: location.line ?? 1,
    ...(location.line !== undefined && location.column !== undefined ? { startColumn: location.column } : {}),
  };
  const logical = inFile
    ? {
        name: reference,
        kind: 'image',
        fullyQualifiedName: `${reference}#layer=${location.layerIndex ?? '?'}`,
      }
    : {
        name: locationText(location),
        kind: 'image-config',
        fullyQualifiedName: `${reference}#${configKey(f)}`,
      };
  return {
    ruleId: contentRuleId(f),
    ruleIndex,
    level: levelOf(f.severity),
    message: { text: messageOf(f, reference) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: uriOf(inFile ? (location.path ?? '') : reference) },
          region,
        },
        logicalLocations: [logical],
      },
    ],
    partialFingerprints: {
      'assayFinding/v1': fingerprintOf(image, [
        contentRuleId(f),
        locationText(location),
        String(location.column ?? ''),
        String(location.layerIndex ?? ''),
      ]),
    },
    ...(f.exception ? { suppressions: [{ kind: 'external', justification: f.exception.reason }] } : {}),
    properties: propertiesOf(image, f),
  };
}

/** The image-config entry as a URI fragment: `env=NAME`, `label=KEY`, `history=4`, `config`. */
function configKey(f: ContentFinding): string {
  const { location } = f;
  if (location.source === 'history') return `history=${location.historyIndex ?? ''}`;
  if (location.source === 'env' || location.source === 'label')
    return `${location.source}=${location.path ?? ''}`;
  return 'config';
}

function messageOf(f: ContentFinding, reference: string): string {
  const { location } = f;
  const what = f.kind === 'config' ? `${f.message} (${f.title})` : `${f.title}: ${detailText(f)}`;
  const layer = location.layerIndex !== undefined ? `, layer ${location.layerIndex}` : '';
  const removed =
    location.removedInLayer !== undefined
      ? `; removed in layer ${location.removedInLayer}, but still in layer ${location.layerIndex ?? '?'} for anyone who pulls the image`
      : '';
  return `${what}. In ${locationText(location)}${layer}${removed}. Image ${reference}.`;
}

function propertiesOf(image: ImageResult, f: ContentFinding): Record<string, unknown> {
  const l = f.location;
  return {
    image: imageReference(image),
    imageDigest: imageDigestOf(image),
    kind: f.kind,
    category: f.category,
    severity: f.severity,
    source: l.source,
    ...(l.path !== undefined ? { path: l.path } : {}),
    ...(l.member !== undefined ? { member: l.member } : {}),
    ...(l.layerIndex !== undefined ? { layerIndex: l.layerIndex } : {}),
    ...(l.layerDiffId !== undefined ? { layerDiffId: l.layerDiffId } : {}),
    ...(l.createdBy !== undefined ? { createdBy: l.createdBy } : {}),
    ...(l.historyIndex !== undefined ? { historyIndex: l.historyIndex } : {}),
    ...(l.removedInLayer !== undefined ? { removedInLayer: l.removedInLayer } : {}),
    ...(f.kind === 'secret' ? { match: f.match } : {}),
    ...(f.kind === 'threat'
      ? {
          engine: f.engine,
          ...(f.sha256 ? { sha256: f.sha256 } : {}),
          ...(f.evidence ? { evidence: f.evidence } : {}),
        }
      : {}),
    ...(f.kind === 'config' && f.cis ? { cis: f.cis } : {}),
    fromBaseImage: f.fromBaseImage,
  };
}
