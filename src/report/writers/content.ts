/**
 * What the report formats need from content findings (secret, threat, config): one order, one
 * way to name a finding's place, one way to count them. A secret's only text is its redacted
 * `match`; nothing here reads anything else that could hold a value.
 */
import type {
  ContentFinding,
  ContentKind,
  ContentLocation,
  Finding,
  ImageResult,
} from '../../model/result.js';
import { compareText, isEffective, scannerRan, severityRank, wasRead } from './findings.js';

export const contentKindOrder: readonly ContentKind[] = ['secret', 'threat', 'config'];

export function isContent(finding: Finding): finding is ContentFinding {
  return finding.kind !== 'vulnerability';
}

/** Most severe first, then rule id, then place, so every run lists them the same way. */
export function byContentOrder(a: ContentFinding, b: ContentFinding): number {
  return (
    contentKindOrder.indexOf(a.kind) - contentKindOrder.indexOf(b.kind) ||
    severityRank[a.severity] - severityRank[b.severity] ||
    compareText(a.id, b.id) ||
    compareText(locationText(a.location), locationText(b.location)) ||
    (a.location.line ?? 0) - (b.location.line ?? 0) ||
    (a.location.column ?? 0) - (b.location.column ?? 0)
  );
}

/** The image's content findings (of one kind, when given), in `byContentOrder`. */
export function contentFindings(image: ImageResult, kind?: ContentKind): ContentFinding[] {
  return image.findings
    .filter(isContent)
    .filter((f) => kind === undefined || f.kind === kind)
    .sort(byContentOrder);
}

/** Kinds a report shows for the image: those whose scanner ran, and any with findings. */
export function shownContentKinds(image: ImageResult): ContentKind[] {
  return contentKindOrder.filter(
    (kind) => scannerRan(image, kind) || image.findings.some((f) => f.kind === kind),
  );
}

/**
 * Effective (not excepted) findings per content kind, only for kinds whose scanner ran on an
 * image that was read: a kind that was not looked for has no count, never a 0.
 */
export function contentCounts(image: ImageResult): Partial<Record<ContentKind, number>> {
  const counts: Partial<Record<ContentKind, number>> = {};
  if (!wasRead(image)) return counts;
  for (const kind of contentKindOrder) {
    if (!scannerRan(image, kind)) continue;
    counts[kind] = image.findings.filter((f) => f.kind === kind && isEffective(f)).length;
  }
  return counts;
}

/**
 * Where in the image, in one short string: `app/.env:3`, `lib/a.jar!/x/Y.class`, `env:NAME`,
 * `label:KEY`, `history #4`, `image config`.
 */
export function locationText(location: ContentLocation): string {
  switch (location.source) {
    case 'file': {
      const member = location.member ? `!/${location.member}` : '';
      const line = location.line ? `:${location.line}` : '';
      return `${location.path ?? ''}${member}${line}`;
    }
    case 'env':
    case 'label':
      return `${location.source}:${location.path ?? ''}`;
    case 'history':
      return `history #${location.historyIndex ?? '?'}`;
    case 'config':
      return 'image config';
  }
}

/** The finding's own words: the redacted match, the threat's evidence, the check's message. */
export function detailText(f: ContentFinding): string {
  if (f.kind === 'secret') return f.match;
  if (f.kind === 'threat') return f.evidence ?? f.title;
  return f.message;
}

/** `sha256:1234…` → its first 12 hex digits, as `docker history` shows image ids. */
export function shortDiffId(diffId: string): string {
  return diffId.replace(/^sha256:/, '').slice(0, 12);
}

/** History `created_by` on one line: heredocs and continuation lines become single spaces. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
