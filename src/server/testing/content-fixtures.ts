/**
 * Content findings (secret, threat, config) for the manager's tests, in the shape `assay scan`
 * posts. Secret findings carry only a redacted `match` (never a value), as the scanner sends them.
 */
import type {
  ContentFinding,
  ContentKind,
  ContentLocation,
  ImageResult,
  ScannerKind,
  Severity,
} from '../../model/result.js';
import { digest, type ImageSpec, imageResult } from './fixtures.js';

export interface ContentSpec {
  kind: ContentKind;
  id: string;
  severity?: Severity;
  /** A file path (`app/.env`, `lib/a.jar!/conf.properties`), or `env:NAME`, `history:N`, `config`. */
  at: string;
  layer?: number;
  sha256?: string;
  /** Excepted by the scanner's own ignore file. */
  excepted?: boolean;
}

function location(at: string, layer: number | undefined): ContentLocation {
  const layerFields = layer === undefined ? {} : { layerIndex: layer, layerDiffId: digest(`l${layer}`) };
  if (at === 'config') return { source: 'config' };
  if (at.startsWith('env:')) return { source: 'env', path: at.slice(4) };
  if (at.startsWith('history:'))
    return { source: 'history', historyIndex: Number(at.slice(8)), ...layerFields };
  const [path = '', member] = at.split('!/');
  return { source: 'file', path, ...(member ? { member } : {}), line: 1, column: 1, ...layerFields };
}

export function contentFinding(s: ContentSpec): ContentFinding {
  const common = {
    id: s.id,
    title: `${s.kind} ${s.id}`,
    category: s.kind,
    severity: s.severity ?? 'high',
    location: location(s.at, s.layer),
    fromBaseImage: s.layer === 0,
    ...(s.excepted ? { exception: { reason: 'accepted in ignore file', source: '.assayignore' } } : {}),
  };
  if (s.kind === 'secret') return { kind: 'secret', ...common, match: 'AKIA***' };
  if (s.kind === 'threat')
    return { kind: 'threat', ...common, engine: 'hash-list', ...(s.sha256 ? { sha256: s.sha256 } : {}) };
  return { kind: 'config', ...common, message: `check ${s.id} failed` };
}

export interface ContentImageSpec extends ImageSpec {
  content?: ContentSpec[];
  /** Absent: the document has no `scanners` (a result from before content scanning). */
  scanners?: ScannerKind[];
  failOn?: ContentKind[];
}

/** An ImageResult with content findings after its vulnerabilities, graded as the scanner would. */
export function contentImageResult(s: ContentImageSpec): ImageResult {
  const doc = imageResult(s);
  const content = (s.content ?? []).map(contentFinding);
  const failed =
    doc.status === 'scanned' && content.some((f) => !f.exception && (s.failOn ?? []).includes(f.kind));
  const count = (k: ContentKind) => content.filter((f) => f.kind === k && !f.exception).length;
  return {
    ...doc,
    schemaVersion: '1.1',
    ...(s.scanners ? { scanners: s.scanners } : {}),
    ...(s.failOn ? { failOn: s.failOn } : {}),
    result: failed ? 'FAIL' : doc.result,
    summary: {
      ...doc.summary,
      content: {
        secret: count('secret'),
        threat: count('threat'),
        config: count('config'),
        excepted: content.filter((f) => f.exception).length,
        suppressed: 0,
      },
    },
    findings: [...doc.findings, ...content],
  };
}
