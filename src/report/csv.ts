/**
 * The one CSV writer (ARCHITECTURE "Output": the CLI and the manager's export share it), in
 * the two shapes users export: one row per image with its CVE ids joined in one column, and
 * one row per image and finding. Text is RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180):
 * CRLF line ends, a header row, fields quoted when they hold `,` `"` CR or LF, quotes doubled.
 * Cells that a spreadsheet would run as a formula get a leading `'` (OWASP "CSV Injection").
 * Columns added later go at the end of a header, so readers that go by position keep working.
 */
import type { ContentKind, Finding, ImageResult } from '../model/result.js';
import { contentCounts, contentFindings, detailText, locationText } from './writers/content.js';
import { imageDigestOf, isEffective, sortedFindings, wasRead } from './writers/findings.js';

export const imageColumns = [
  'input',
  'registry',
  'repository',
  'tags',
  'digest',
  'result',
  'status',
  'max_cvss_v3',
  'critical',
  'high',
  'medium',
  'low',
  'unknown',
  'kev',
  'fixable',
  'max_epss',
  'scanned_at',
  'cves',
  'secrets',
  'threats',
  'config',
] as const;

/** The image part of an `image_cve` row: who the image is and how it graded. */
const imageKeyColumns = [
  'input',
  'registry',
  'repository',
  'tags',
  'digest',
  'result',
  'status',
  'max_cvss_v3',
  'scanned_at',
] as const;

const findingColumns = [
  'id',
  'aliases',
  'package',
  'type',
  'installed',
  'fixed',
  'fix_status',
  'severity',
  'cvss',
  'cvss_vector',
  'cvss_source',
  'epss',
  'epss_percentile',
  'kev',
  'layer',
  'from_base_image',
  'excepted',
  'exception_reason',
  'kind',
  'path',
  'detail',
] as const;

export const imageCveColumns = [...imageKeyColumns, ...findingColumns] as const;

type Row<C extends readonly string[]> = Record<C[number], string>;

const num = (n: number | null | undefined): string => (n === null || n === undefined ? '' : String(n));
const score = (n: number | null | undefined): string => (n === null || n === undefined ? '' : n.toFixed(1));

/** What one per-image row says: an ImageResult, or the manager's light view of a stored one. */
export interface ImageRowInput
  extends Pick<ImageResult, 'input' | 'result' | 'status' | 'maxCvssV3' | 'scannedAt'> {
  image: Pick<ImageResult['image'], 'registry' | 'repository' | 'tags' | 'manifestDigest' | 'id'>;
  summary: Pick<ImageResult['summary'], 'bySeverity' | 'kev' | 'fixable' | 'maxEpss'>;
  /** Whether anything of the image was read (`wasRead`): else counts are blank. */
  read: boolean;
  /** Ids of the counted (not excepted) vulnerability findings, most severe first, without repeats. */
  effectiveIds: string[];
  /**
   * Counted (not excepted) secrets, threats and configuration findings, for the kinds whose
   * scanner ran (`contentCounts`); a kind that is absent was not looked for: its cell is blank.
   */
  content?: Partial<Record<ContentKind, number>>;
}

function imageKey(
  image: Omit<ImageRowInput, 'summary' | 'read' | 'effectiveIds' | 'content'>,
): Row<typeof imageKeyColumns> {
  return {
    input: image.input,
    registry: image.image.registry,
    repository: image.image.repository,
    tags: image.image.tags.join(' '),
    digest: imageDigestOf(image),
    result: image.result,
    status: image.status,
    max_cvss_v3: score(image.maxCvssV3),
    scanned_at: image.scannedAt,
  };
}

/**
 * Header row, then one row per image; `cves` holds the counted (not excepted) vulnerability
 * ids, most severe first; `secrets`, `threats`, `config` the counted content findings of each
 * kind. Counts are blank for an image that was not scanned and for a kind not looked for.
 */
export function imageRows(results: readonly ImageResult[]): string[][] {
  const rows = results.map((image) =>
    imageRow({
      ...image,
      read: wasRead(image),
      effectiveIds: [
        ...new Set(
          sortedFindings(image)
            .filter(isEffective)
            .map((f) => f.id),
        ),
      ],
      content: contentCounts(image),
    }),
  );
  return [[...imageColumns], ...rows];
}

/** One per-image row (without the header). */
export function imageRow(image: ImageRowInput): string[] {
  const { bySeverity, kev, fixable, maxEpss } = image.summary;
  // An image that was not read has no counts: blank, never a 0 that reads as "clean".
  const count = (n: number): string => (image.read ? String(n) : '');
  const content = (kind: ContentKind): string => {
    const n = image.content?.[kind];
    return n === undefined ? '' : count(n);
  };
  const row: Row<typeof imageColumns> = {
    ...imageKey(image),
    critical: count(bySeverity.critical),
    high: count(bySeverity.high),
    medium: count(bySeverity.medium),
    low: count(bySeverity.low),
    unknown: count(bySeverity.unknown),
    kev: count(kev),
    fixable: count(fixable),
    max_epss: num(maxEpss),
    cves: image.effectiveIds.join(';'),
    secrets: content('secret'),
    threats: content('threat'),
    config: content('config'),
  };
  return imageColumns.map((c) => row[c]);
}

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

/**
 * A content finding in the finding columns: its rule id, severity, layer and exception fit the
 * existing ones; `kind`, `path` (the place, `app/.env:3`, `env:NAME`, `history #4`) and `detail`
 * (a secret's redacted match, a threat's evidence, a check's message) were added for it.
 */
function findingCells(f: Finding | undefined): Row<typeof findingColumns> {
  if (f !== undefined && f.kind !== 'vulnerability') {
    return {
      ...vulnerabilityCells(undefined),
      id: f.id,
      severity: f.severity,
      layer: num(f.location.layerIndex),
      from_base_image: yesNo(f.fromBaseImage),
      excepted: yesNo(f.exception !== undefined),
      exception_reason: f.exception?.reason ?? '',
      kind: f.kind,
      path: locationText(f.location),
      detail: detailText(f),
    };
  }
  return vulnerabilityCells(f);
}

function vulnerabilityCells(
  f: Extract<Finding, { kind: 'vulnerability' }> | undefined,
): Row<typeof findingColumns> {
  return {
    id: f?.id ?? '',
    aliases: f?.aliases.join(' ') ?? '',
    package: f?.package.name ?? '',
    type: f?.package.type ?? '',
    installed: f?.installedVersion ?? '',
    fixed: f?.fixedVersion ?? '',
    fix_status: f?.status ?? '',
    severity: f?.severity ?? '',
    cvss: score(f?.cvss?.score),
    cvss_vector: f?.cvss?.vector ?? '',
    cvss_source: f?.cvss?.source ?? '',
    epss: num(f?.epss?.score),
    epss_percentile: num(f?.epss?.percentile),
    kev: f ? (f.kev ? 'yes' : 'no') : '',
    layer: num(f?.package.layerIndex),
    from_base_image: f ? (f.fromBaseImage ? 'yes' : 'no') : '',
    excepted: f ? (f.exception ? 'yes' : 'no') : '',
    exception_reason: f?.exception?.reason ?? '',
    kind: f?.kind ?? '',
    path: f?.package.path ?? '',
    detail: '',
  };
}

/**
 * Header row, then one row per image and listed finding (excepted ones too, marked in
 * `excepted`): vulnerabilities most severe first, then secrets, threats and configuration
 * findings (`kind` tells them apart), each most severe first. An image without findings, scanned or not, still gets one
 * row with the finding columns empty, so no image silently disappears from an export.
 */
export function imageCveRows(results: readonly ImageResult[]): string[][] {
  const rows: string[][] = [];
  for (const image of results) {
    const key = imageKey(image);
    const findings: Finding[] = [...sortedFindings(image), ...contentFindings(image)];
    for (const f of findings.length > 0 ? findings : [undefined]) {
      const row: Row<typeof imageCveColumns> = { ...key, ...findingCells(f) };
      rows.push(imageCveColumns.map((c) => row[c]));
    }
  }
  return [[...imageCveColumns], ...rows];
}

/** Characters that make spreadsheet software read a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell, guarded against formula injection and quoted when RFC 4180 requires it. */
export function csvCell(value: string): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/** One record with its CRLF terminator, for callers that stream rows. */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map(csvLine).join('');
}
