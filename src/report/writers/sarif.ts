/**
 * `--format sarif`: SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html)
 * shaped for GitHub code scanning uploads
 * (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning):
 * one run; one rule per vulnerability id carrying `security-severity` (the CVSS v3 score GitHub
 * ranks alerts by); one result per image and finding, located at the package's database or
 * manifest inside the image, with a fingerprint that stays the same across runs. Excepted
 * findings are results with an external suppression, so they show as dismissed, not as gone.
 * Secrets, threats and configuration findings follow as rules `KIND/ID` (`sarif-content.ts`).
 */
import type { ImageResult, ScanDocument, VulnerabilityFinding } from '../../model/result.js';
import { contentFindings } from './content.js';
import {
  compareText,
  fixText,
  formatCvss,
  imageDigestOf,
  imageReference,
  isWebUrl,
  sortedFindings,
  wasRead,
} from './findings.js';
import { truncate } from './layout.js';
import { contentResult, contentRuleId, contentRules } from './sarif-content.js';
import { fingerprintOf, levelOf, uriOf } from './sarif-location.js';
import type { SarifLog, SarifNotification, SarifResult, SarifRule } from './sarif-types.js';

export { levelOf };

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

export function writeSarifReport(doc: ScanDocument): string {
  return `${JSON.stringify(sarifLog(doc), null, 2)}\n`;
}

export function sarifLog(doc: ScanDocument): SarifLog {
  const perImage = doc.images.map((image) => ({
    image,
    vulns: sortedFindings(image),
    content: contentFindings(image),
  }));
  const rules = [
    ...rulesOf(perImage.flatMap((i) => i.vulns)),
    ...contentRules(perImage.flatMap((i) => i.content)),
  ].sort((a, b) => compareText(a.id, b.id));
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  // Per image: its vulnerabilities, then its secrets, threats and configuration findings.
  const results = perImage.flatMap(({ image, vulns, content }) => [
    ...vulns.map((f) => resultOf(image, f, index.get(f.id) ?? 0)),
    ...content.map((f) => contentResult(image, f, index.get(contentRuleId(f)) ?? 0)),
  ]);
  const notifications = doc.images.flatMap(notificationsOf);
  const version = doc.images[0]?.scanner.version;
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'assay', ...(version ? { version } : {}), rules } },
        invocations: [
          {
            executionSuccessful: doc.images.every((image) => image.status === 'scanned'),
            ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        results,
        properties: {
          images: doc.images.map((image) => ({
            input: image.input,
            reference: imageReference(image),
            status: image.status,
            result: image.result,
            maxCvssV3: image.maxCvssV3,
          })),
        },
      },
    ],
  };
}

/** One rule per id; where findings of one id differ (distro vs upstream scores), the highest score wins. */
function rulesOf(findings: VulnerabilityFinding[]): SarifRule[] {
  const worst = new Map<string, VulnerabilityFinding>();
  for (const f of findings) {
    const seen = worst.get(f.id);
    if (!seen || (f.cvss?.score ?? -1) > (seen.cvss?.score ?? -1)) worst.set(f.id, f);
  }
  return [...worst.values()].sort((a, b) => compareText(a.id, b.id)).map(ruleOf);
}

// GitHub shows at most 1024 characters of a rule's short description.
const SHORT = 1024;

function ruleOf(f: VulnerabilityFinding): SarifRule {
  const helpUri = f.references.find(isWebUrl);
  const summary = f.title ?? f.description ?? f.id;
  const score = f.cvss
    ? `CVSS v3 ${formatCvss(f.cvss.score)} (${f.cvss.vector}, from ${f.cvss.source})`
    : 'no CVSS v3 score';
  const refs = f.references.filter(isWebUrl);
  return {
    id: f.id,
    shortDescription: { text: truncate(summary, SHORT) },
    fullDescription: { text: f.description ?? summary },
    ...(helpUri ? { helpUri } : {}),
    help: {
      text: `${f.id}: ${summary}\nSeverity ${f.severity}, ${score}.${refs.length ? `\n${refs.join('\n')}` : ''}`,
      markdown: `**${f.id}**: ${summary}\n\nSeverity **${f.severity}**, ${score}.${refs.map((r) => `\n- <${r}>`).join('')}`,
    },
    defaultConfiguration: { level: levelOf(f.severity) },
    properties: {
      ...(f.cvss ? { 'security-severity': f.cvss.score.toFixed(1) } : {}),
      tags: ['security', 'vulnerability', f.severity],
      precision: 'very-high',
    },
  };
}

function resultOf(image: ImageResult, f: VulnerabilityFinding, ruleIndex: number): SarifResult {
  const reference = imageReference(image);
  const where = f.package.path ?? reference;
  return {
    ruleId: f.id,
    ruleIndex,
    level: levelOf(f.severity),
    message: { text: messageOf(f, reference) },
    locations: [
      {
        // GitHub needs a start line to place an alert; a package database has none to give,
        // so the alert sits on the file's first line.
        physicalLocation: { artifactLocation: { uri: uriOf(where) }, region: { startLine: 1 } },
        logicalLocations: [
          {
            name: reference,
            kind: 'image',
            fullyQualifiedName: `${reference}#layer=${f.package.layerIndex}`,
          },
        ],
      },
    ],
    // Repository, vulnerability and package: stable across runs and rebuilds of the image.
    partialFingerprints: { 'assayFinding/v1': fingerprintOf(image, [f.id, f.package.purl]) },
    ...(f.exception ? { suppressions: [{ kind: 'external', justification: f.exception.reason }] } : {}),
    properties: resultProperties(image, f),
  };
}

function messageOf(f: VulnerabilityFinding, reference: string): string {
  const fix = f.fixedVersion ? `fixed in ${f.fixedVersion}` : fixText(f);
  return `${f.package.name} ${f.installedVersion} is vulnerable to ${f.id} (${f.severity}, CVSS v3 ${formatCvss(f.cvss?.score)}); ${fix}. Image ${reference}, layer ${f.package.layerIndex}.`;
}

function resultProperties(image: ImageResult, f: VulnerabilityFinding): Record<string, unknown> {
  return {
    image: imageReference(image),
    imageDigest: imageDigestOf(image),
    packagePurl: f.package.purl,
    ...(f.package.path ? { packagePath: f.package.path } : {}),
    installedVersion: f.installedVersion,
    ...(f.fixedVersion ? { fixedVersion: f.fixedVersion } : {}),
    fixStatus: f.status,
    severity: f.severity,
    ...(f.cvss ? { cvss: f.cvss.score, cvssVector: f.cvss.vector } : {}),
    ...(f.epss ? { epss: f.epss.score, epssPercentile: f.epss.percentile } : {}),
    kev: f.kev !== undefined,
    layerIndex: f.package.layerIndex,
    layerDiffId: f.package.layerDiffId,
    fromBaseImage: f.fromBaseImage,
  };
}

/** Images without a complete answer, and located issues, so a short result list is never taken for a clean one. */
function notificationsOf(image: ImageResult): SarifNotification[] {
  const out: SarifNotification[] = [];
  const why = image.statusMessage ? `: ${image.statusMessage}` : '';
  if (image.status === 'partial') {
    out.push({
      level: 'warning',
      message: { text: `${image.input}: partial scan, results are incomplete${why}` },
    });
  } else if (image.status !== 'scanned') {
    const what = wasRead(image) ? 'incomplete scan' : 'not scanned';
    out.push({ level: 'error', message: { text: `${image.input}: ${what} (${image.status})${why}` } });
  }
  if (image.issues.length > 0) {
    out.push({
      level: 'note',
      message: {
        text: `${image.input}: ${image.issues.length} issues while reading the image (assay scan --format json lists them)`,
      },
    });
  }
  return out;
}
