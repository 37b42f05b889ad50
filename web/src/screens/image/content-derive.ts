/**
 * Pure derivations for the content tabs (secrets, threats, configuration): which scanner a tab
 * needs, how a finding's place is written, and the groups the tab shows (one per layer, history
 * entry, or the image configuration).
 */
import type { ContentFinding, ContentKind, ContentLocation, ImageDetail, Severity } from '../../api/types.js';
import { severityRank } from './derive.js';

export type ContentTabKey = 'secrets' | 'threats' | 'configuration';

export interface ContentKindInfo {
  kind: ContentKind;
  tab: ContentTabKey;
  /** Tab label. */
  label: string;
  /** Plural noun in sentences: "No secrets found". */
  noun: string;
  /** What the scanner is called in "… was not run for this image". */
  scanning: string;
}

export const CONTENT_KINDS: readonly ContentKindInfo[] = [
  { kind: 'secret', tab: 'secrets', label: 'Secrets', noun: 'secrets', scanning: 'Secret scanning' },
  { kind: 'threat', tab: 'threats', label: 'Threats', noun: 'threats', scanning: 'Threat scanning' },
  {
    kind: 'config',
    tab: 'configuration',
    label: 'Configuration',
    noun: 'configuration findings',
    scanning: 'Image configuration checking',
  },
];

export function kindOfTab(tab: string): ContentKindInfo | undefined {
  return CONTENT_KINDS.find((k) => k.tab === tab);
}

/** The scanners that ran (the manager says `vuln` for results from before content scanning). */
export function scannersOf(d: ImageDetail): readonly string[] {
  return d.scanners;
}

export function scannerRan(d: ImageDetail, kind: ContentKind): boolean {
  return scannersOf(d).includes(kind);
}

/** The `--scanners` value that adds `kind` to what ran: "vuln,secret,threat". */
export function scannersWith(d: ImageDetail, kind: ContentKind): string {
  const ran = scannersOf(d);
  return (ran.includes(kind) ? ran : [...ran, kind]).join(',');
}

/** "app/.env:3", "lib/a.jar!/conf/app.properties:12", "env PASSWORD", "history #4", "image config". */
export function placeLabel(l: ContentLocation): string {
  const line = l.line === undefined ? '' : `:${l.line}`;
  switch (l.source) {
    case 'file':
      return `${l.path ?? '?'}${l.member ? `!/${l.member}` : ''}${line}`;
    case 'env':
      return `env ${l.path ?? ''}${line}`;
    case 'label':
      return `label ${l.path ?? ''}${line}`;
    case 'history':
      return `history #${l.historyIndex ?? '?'}${line}`;
    default:
      return 'image config';
  }
}

export type GroupKind = 'layer' | 'history' | 'config';

export interface ContentGroup {
  key: string;
  kind: GroupKind;
  /** Layer of a `layer` group; of a `history` group when the entry made a layer. */
  layerIndex?: number;
  historyIndex?: number;
  createdBy?: string;
  findings: ContentFinding[];
}

function groupOf(l: ContentLocation): Omit<ContentGroup, 'findings'> {
  if (l.source === 'history')
    return {
      key: `history:${l.historyIndex ?? ''}`,
      kind: 'history',
      ...(l.historyIndex === undefined ? {} : { historyIndex: l.historyIndex }),
      ...(l.layerIndex === undefined ? {} : { layerIndex: l.layerIndex }),
      ...(l.createdBy === undefined ? {} : { createdBy: l.createdBy }),
    };
  if (l.source === 'file' && l.layerIndex !== undefined)
    return { key: `layer:${l.layerIndex}`, kind: 'layer', layerIndex: l.layerIndex };
  return { key: 'config', kind: 'config' };
}

const GROUP_ORDER: Record<GroupKind, number> = { config: 0, history: 1, layer: 2 };

function compareFindings(a: ContentFinding, b: ContentFinding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    placeLabel(a.location).localeCompare(placeLabel(b.location)) ||
    a.id.localeCompare(b.id)
  );
}

/** Groups in reading order: image configuration, history entries, then layers oldest first. */
export function groupFindings(findings: readonly ContentFinding[]): ContentGroup[] {
  const groups = new Map<string, ContentGroup>();
  for (const f of findings) {
    const g = groupOf(f.location);
    const existing = groups.get(g.key);
    if (existing) existing.findings.push(f);
    else groups.set(g.key, { ...g, findings: [f] });
  }
  const index = (g: ContentGroup) => g.layerIndex ?? g.historyIndex ?? 0;
  const out = [...groups.values()].sort(
    (a, b) => GROUP_ORDER[a.kind] - GROUP_ORDER[b.kind] || index(a) - index(b),
  );
  for (const g of out) g.findings.sort(compareFindings);
  return out;
}

export interface ContentFilter {
  q: string;
  severity: Severity | '';
  showExcepted: boolean;
  layer: number | null;
}

export function filterContent(
  findings: readonly ContentFinding[],
  kind: ContentKind,
  f: ContentFilter,
): ContentFinding[] {
  const q = f.q.trim().toLowerCase();
  return findings.filter(
    (x) =>
      x.kind === kind &&
      (f.layer === null || x.location.layerIndex === f.layer) &&
      (f.severity === '' || x.severity === f.severity) &&
      (f.showExcepted || x.exception === undefined) &&
      (q === '' ||
        x.id.toLowerCase().includes(q) ||
        x.title.toLowerCase().includes(q) ||
        placeLabel(x.location).toLowerCase().includes(q)),
  );
}

/** Listed findings of one kind (excepted ones included, as on the Vulnerabilities tab). */
export function countKind(findings: readonly ContentFinding[], kind: ContentKind): number {
  let n = 0;
  for (const f of findings) if (f.kind === kind) n++;
  return n;
}
