/**
 * The table's content sections: one per kind that was looked for or found ("Secrets",
 * "Threats", "Configuration"), a count line, then the findings grouped by where they are (a
 * layer with its Dockerfile step, a history entry, the image config). Unlike vulnerabilities,
 * excepted content findings are listed, with their reason: a secret someone decided to live
 * with is still in the image. A secret shows only its redacted match.
 */
import type { Styler } from '../../cli/output.js';
import type { ContentFinding, ContentKind, ImageResult, Severity } from '../../model/result.js';
import {
  contentFindings,
  detailText,
  locationText,
  oneLine,
  shortDiffId,
  shownContentKinds,
} from './content.js';
import { isEffective, severityRank, wasRead } from './findings.js';
import { fitColumns, printable, truncate, truncateStart, widthOf } from './layout.js';

const TITLE: Record<ContentKind, string> = { secret: 'Secrets', threat: 'Threats', config: 'Configuration' };
const DETAIL: Record<ContentKind, string> = { secret: 'MATCH', threat: 'EVIDENCE', config: 'MESSAGE' };
/** How narrow each column may get; the location and detail columns give way first. */
const MIN_WIDTH = [8, 12, 16, 12, 12];
const ROW_INDENT = '    ';
const PLACE_INDENT = '  ';

/** One block per shown kind; none for an image that was not read (it has nothing to count). */
export function contentSections(image: ImageResult, width: number | undefined, s: Styler): string[] {
  if (!wasRead(image)) return [];
  return shownContentKinds(image).map((kind) => section(image, kind, width, s));
}

function section(image: ImageResult, kind: ContentKind, width: number | undefined, s: Styler): string {
  const findings = contentFindings(image, kind);
  const title = `${s.bold(TITLE[kind])}: ${countText(image, kind, findings)}`;
  if (findings.length === 0) return title;
  const groups = groupByPlace(image, findings);
  // The NOTE column only when some finding has a note (a removal or an exception).
  const notes = findings.some((f) => noteOf(f) !== '');
  const rowOf = (f: ContentFinding): string[] => cellsOf(f).slice(0, notes ? 5 : 4);
  const header = ['SEVERITY', 'ID', 'LOCATION', DETAIL[kind], 'NOTE'].slice(0, notes ? 5 : 4);
  const rows = groups.flatMap((g) => g.findings.map(rowOf));
  const room = width === undefined ? undefined : width - ROW_INDENT.length;
  const widths = fitColumns(
    header.map((_, i) => Math.max(...[header, ...rows].map((r) => widthOf(r[i] ?? '')))),
    MIN_WIDTH,
    room,
  );
  const lines = [title, ROW_INDENT + renderRow(header, widths, (_, t) => s.bold(t))];
  for (const group of groups) {
    lines.push(PLACE_INDENT + truncate(group.label, width === undefined ? undefined : width - 2));
    for (const f of group.findings) {
      lines.push(ROW_INDENT + renderRow(rowOf(f), widths, (column, t) => paint(column, f, t, s)));
    }
  }
  return lines.join('\n');
}

/** `2 found (1 critical, 1 high), 1 excepted, 3 suppressed as noise`, or `none found`. */
function countText(image: ImageResult, kind: ContentKind, findings: ContentFinding[]): string {
  const counted = findings.filter(isEffective);
  const scope = image.status === 'scanned' ? '' : ' in what could be read';
  const bands = (Object.keys(severityRank) as Severity[])
    .map((band) => [band, counted.filter((f) => f.severity === band).length] as const)
    .filter(([, n]) => n > 0)
    .map(([band, n]) => `${n} ${band}`);
  const parts = [
    counted.length > 0 ? `${counted.length} found${scope} (${bands.join(', ')})` : `none found${scope}`,
  ];
  const excepted = findings.length - counted.length;
  if (excepted > 0) parts.push(`${excepted} excepted`);
  const suppressed = image.summary.content?.suppressed;
  if (kind === 'secret' && suppressed !== undefined) parts.push(`${suppressed} suppressed as noise`);
  return parts.join(', ');
}

interface Group {
  /** `layer:N`, `history:N` or `config`. */
  key: string;
  label: string;
  /** Layers first (by index), then history entries, then the image config. */
  order: [number, number];
  findings: ContentFinding[];
}

function groupByPlace(image: ImageResult, findings: ContentFinding[]): Group[] {
  const groups = new Map<string, Group>();
  for (const f of findings) {
    const place = placeOf(image, f);
    const group = groups.get(place.key) ?? { ...place, findings: [] };
    group.findings.push(f);
    groups.set(place.key, group);
  }
  const sorted = [...groups.values()].sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]);
  // Counted findings before excepted ones in each place; `contentFindings` ordered the rest.
  for (const g of sorted) g.findings.sort((a, b) => Number(!isEffective(a)) - Number(!isEffective(b)));
  return sorted;
}

/** `layer 2 (333333333333 own): COPY app/ /app/`, `history #4 own: USER root`, `image config`. */
function placeOf(image: ImageResult, f: ContentFinding): Omit<Group, 'findings'> {
  const { location } = f;
  const origin = f.fromBaseImage ? 'base' : 'own';
  if (location.source === 'history') {
    const step = location.createdBy ? `: ${stepText(location.createdBy)}` : '';
    const index = location.historyIndex ?? -1;
    const label = `history #${index < 0 ? '?' : index} ${origin}${step}`;
    return { key: `history:${index}`, label, order: [1, index] };
  }
  if (location.source !== 'file' || location.layerIndex === undefined) {
    return { key: 'config', label: 'image config', order: [2, 0] };
  }
  const index = location.layerIndex;
  const layer = image.layers.find((l) => l.index === index);
  // The image's own layer list first: every finding of one layer then gets the same header.
  const diffId = layer?.diffId ?? location.layerDiffId;
  const createdBy = layer?.createdBy ?? location.createdBy;
  const base = layer ? (layer.base ? 'base' : 'own') : origin;
  const id = diffId ? ` (${shortDiffId(diffId)} ${base})` : ` (${base})`;
  const label = `layer ${index}${id}${createdBy ? `: ${stepText(createdBy)}` : ''}`;
  return { key: `layer:${index}`, label, order: [0, index] };
}

// A history step can be a whole script (heredocs); its start says which step it is.
const STEP = 80;

function stepText(createdBy: string): string {
  return truncate(printable(oneLine(createdBy)), STEP);
}

function noteOf(f: ContentFinding): string {
  const notes: string[] = [];
  if (f.location.removedInLayer !== undefined) notes.push(`removed in layer ${f.location.removedInLayer}`);
  if (f.exception) notes.push(`excepted: ${f.exception.reason}`);
  return notes.join('; ');
}

function cellsOf(f: ContentFinding): string[] {
  return [f.severity, f.id, locationText(f.location), detailText(f), noteOf(f)].map(printable);
}

const LOCATION = 2;

function renderRow(row: string[], widths: number[], paintCell: (column: number, text: string) => string) {
  return row
    .map((cell, i) => {
      // A path keeps its end (the file name and line) when cut.
      const text = i === LOCATION ? truncateStart(cell, widths[i]) : truncate(cell, widths[i]);
      const padded = i === row.length - 1 ? text : text + ' '.repeat((widths[i] ?? 0) - widthOf(text));
      return paintCell(i, padded);
    })
    .join('  ')
    .trimEnd();
}

function paint(column: number, f: ContentFinding, text: string, s: Styler): string {
  if (f.exception) return s.dim(text);
  if (column === 0) return paintSeverity(f.severity, text, s);
  if (column === 4 && f.location.removedInLayer !== undefined) return s.yellow(text);
  return text;
}

export function paintSeverity(severity: Severity, text: string, s: Styler): string {
  if (severity === 'critical') return s.bold(s.red(text));
  if (severity === 'high') return s.red(text);
  if (severity === 'medium') return s.yellow(text);
  if (severity === 'unknown') return s.dim(text);
  return text;
}
