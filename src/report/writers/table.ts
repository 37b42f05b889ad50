/**
 * `--format table`, the default on a terminal: per image a header block (what was scanned, how
 * it graded and why, what counts), then its counted findings, most severe first. Excepted
 * findings are not listed (they do not count; `--format json` shows them with their reason) but
 * their number is. An image that was not fully scanned never reads as clean: the block says
 * what went wrong instead of "no vulnerabilities". Secrets, threats and configuration findings
 * follow in their own sections (`table-content.ts`).
 */
import { type Styler, styler } from '../../cli/output.js';
import { isOsPackageType } from '../../model/package.js';
import type { GradeResult, ImageResult, VulnerabilityFinding } from '../../model/result.js';
import type { WriteOptions } from '../writer.js';
import {
  fixText,
  formatCvss,
  imageReference,
  isEffective,
  scannerRan,
  sortedFindings,
  vulnerabilities,
  wasRead,
} from './findings.js';
import { fitColumns, printable, truncate, widthOf } from './layout.js';
import { contentSections, paintSeverity } from './table-content.js';

export function writeTableReport(doc: { images: ImageResult[] }, opts: WriteOptions): string {
  if (doc.images.length === 0) return 'no images\n';
  const s = styler(opts.color);
  const blocks = doc.images.map((image) => imageBlock(image, opts.width, s));
  if (doc.images.length > 1) blocks.push(overall(doc.images, s));
  return `${blocks.join('\n\n')}\n`;
}

function imageBlock(image: ImageResult, width: number | undefined, s: Styler): string {
  const lines = [s.bold(truncate(printable(image.input), width)), ...headerRows(image, width, s)];
  const table = findingsTable(image, width, s);
  if (table) lines.push('', table);
  for (const section of contentSections(image, width, s)) lines.push('', section);
  return lines.join('\n');
}

const LABEL = 11;

function headerRows(image: ImageResult, width: number | undefined, s: Styler): string[] {
  const rows: Array<[string, string, ((v: string) => string)?]> = [['image', imageReference(image)]];
  const os = image.image.os;
  if (os)
    rows.push(['os', `${os.prettyName || os.name}${os.eol ? `, end of life since ${os.eolDate}` : ''}`]);
  rows.push(['status', statusText(image)]);
  if (image.scanners) rows.push(['scanners', image.scanners.join(', ')]);
  rows.push(['result', resultText(image), (v) => v.replace(image.result, colorResult(image.result, s))]);
  if (wasRead(image) && !scannerRan(image, 'vuln')) {
    rows.push(['findings', 'vulnerabilities not scanned (not in --scanners)']);
  } else if (wasRead(image)) {
    const { excepted, filtered, kev, fixable } = image.summary;
    rows.push(['findings', countsText(image)]);
    rows.push(['of which', `${kev} in KEV, ${fixable} fixable`]);
    rows.push([
      'not counted',
      `${excepted} excepted (not listed), ${filtered} filtered by --severity/--ignore-unfixed`,
    ]);
  }
  if (image.issues.length > 0) {
    rows.push(['issues', `${image.issues.length} (assay scan --format json lists them with their files)`]);
  }
  const room = width === undefined ? undefined : Math.max(width - LABEL - 3, 10);
  return rows.map(([label, value, paint]) => {
    const text = truncate(printable(value), room);
    return `  ${label.padEnd(LABEL)} ${paint ? paint(text) : text}`;
  });
}

function statusText(image: ImageResult): string {
  const why = image.statusMessage ? `: ${image.statusMessage}` : '';
  if (image.status === 'scanned') return 'scanned';
  if (image.status === 'partial') return `partial scan, results are incomplete${why}`;
  if (wasRead(image)) return `incomplete scan (${image.status})${why}`;
  return `not scanned (${image.status})${why}`;
}

function resultText(image: ImageResult): string {
  const { warn, fail } = image.thresholds;
  const max = wasRead(image) ? formatCvss(image.maxCvssV3) : 'N/A';
  const failOn = image.failOn?.length ? `; --fail-on ${image.failOn.join(',')}` : '';
  return `${image.result}  max CVSS v3 ${max}  (thresholds: warn ${warn.toFixed(1)}, fail ${fail.toFixed(1)}${failOn})`;
}

function colorResult(result: GradeResult, s: Styler): string {
  if (result === 'FAIL') return s.bold(s.red(result));
  if (result === 'WARN') return s.bold(s.yellow(result));
  if (result === 'PASS') return s.bold(s.green(result));
  return s.bold(s.yellow(result));
}

function countsText(image: ImageResult): string {
  const { bySeverity: b, findings } = image.summary;
  const bands = `${b.critical} critical, ${b.high} high, ${b.medium} medium, ${b.low} low, ${b.unknown} unknown`;
  return `${findings}: ${bands}${b.none > 0 ? `, ${b.none} none` : ''}`;
}

const HEADER = ['ID', 'SEVERITY', 'CVSS', 'EPSS', 'KEV', 'PACKAGE', 'INSTALLED', 'FIXED', 'LAYER'];
/** How narrow each column may get; the id, package and version columns give way first. */
const MIN_WIDTH = [14, 8, 4, 5, 3, 10, 9, 9, 5];

function findingsTable(image: ImageResult, width: number | undefined, s: Styler): string | undefined {
  if (!wasRead(image) || !scannerRan(image, 'vuln')) return undefined;
  const counted = sortedFindings(image).filter(isEffective);
  if (counted.length === 0) {
    const listed = vulnerabilities(image).length;
    const scope = image.status === 'scanned' ? '' : ' in what could be read';
    return listed > 0 ? `  no counted vulnerabilities${scope}` : `  no vulnerabilities found${scope}`;
  }
  const rows = [HEADER, ...counted.map((f) => findingRow(f).map(printable))];
  const widths = fitColumns(
    HEADER.map((_, i) => Math.max(...rows.map((r) => widthOf(r[i] ?? '')))),
    MIN_WIDTH,
    width,
  );
  const line = (row: string[], paint: (column: number, text: string) => string): string =>
    row
      .map((cell, i) => {
        const text = truncate(cell, widths[i]);
        return paint(i, i === row.length - 1 ? text : text + ' '.repeat((widths[i] ?? 0) - widthOf(text)));
      })
      .join('  ')
      .trimEnd();
  return [
    line(HEADER, (_, text) => s.bold(text)),
    ...counted.map((f, r) => line(rows[r + 1] ?? [], (column, text) => paintCell(column, f, text, s))),
  ].join('\n');
}

function findingRow(f: VulnerabilityFinding): string[] {
  return [
    f.id,
    f.severity,
    formatCvss(f.cvss?.score),
    f.epss ? formatEpss(f.epss.score) : '',
    f.kev ? 'KEV' : '',
    packageCell(f),
    f.installedVersion,
    fixText(f),
    String(f.package.layerIndex),
  ];
}

/**
 * OS packages are one per name in their database; language packages repeat across lock files,
 * vendored copies and binaries (two Go binaries each carry `stdlib`), so they name their file.
 */
function packageCell(f: VulnerabilityFinding): string {
  const { name, type, path } = f.package;
  if (!path || isOsPackageType(type)) return name;
  // The file's own name tells the copies apart; its leading directories only take width.
  const parts = path.split('/');
  return `${name} (${parts.length > 2 ? `…/${parts.slice(-2).join('/')}` : path})`;
}

/** EPSS as a percentage with one decimal; a non-zero chance never reads as `0.0%`. */
function formatEpss(score: number): string {
  const percent = score * 100;
  return percent > 0 && percent < 0.05 ? '<0.1%' : `${percent.toFixed(1)}%`;
}

function paintCell(column: number, f: VulnerabilityFinding, padded: string, s: Styler): string {
  if (column === 1) return paintSeverity(f.severity, padded, s);
  if (column === 4 && f.kev) return s.bold(s.red(padded));
  return padded;
}

const ORDER: GradeResult[] = ['FAIL', 'WARN', 'PASS', 'UNKNOWN'];

function overall(images: ImageResult[], s: Styler): string {
  const parts = ORDER.map((r) => [r, images.filter((i) => i.result === r).length] as const)
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${n} ${colorResult(r, s)}`);
  return `${images.length} images: ${parts.join(', ')}`;
}
