/**
 * From the walk's per-layer hits to located content findings: each hit gets its layer (index,
 * diff-id, `created_by`, base or own) and, when the final file system no longer holds that
 * layer's version of the file, `removedInLayer`. The image config is scanned here too: `Env`,
 * labels and every history `created_by` (ARG/ENV/RUN lines carry tokens). Noise is counted, and
 * listed only when the secret config asks for it (as findings excepted by `noise`).
 */
import type { HistoryEntry, ImageDescription } from '../image/types.js';
import type { FileTree } from '../image/walk/file-tree.js';
import type { Issue } from '../model/issue.js';
import type {
  ContentFinding,
  ContentLocation,
  ResultLayer,
  SecretFinding,
  ThreatFinding,
} from '../model/result.js';
import type { FileHit, LayerContent } from './layer-scan.js';
import { redactHistory } from './redact-history.js';
import type { SecretConfig } from './secrets/config.js';
import { scanText } from './secrets/scan.js';
import { secretHit } from './text-scan.js';
import { scanCommand } from './threats/indicators.js';
import type { ContentHit } from './types.js';

export interface PlaceInput {
  layers: readonly ResultLayer[];
  /** The walk's content result per layer, in layer order; undefined for a layer that failed. */
  perLayer: ReadonlyArray<LayerContent | undefined>;
  tree: Pick<FileTree, 'get' | 'deletedIn'>;
  desc: Pick<ImageDescription, 'config' | 'history' | 'labels'>;
  secrets?: SecretConfig;
  threats: boolean;
}

export interface PlacedContent {
  findings: ContentFinding[];
  /** Secret matches dropped as noise (listed as excepted findings only with `show-suppressed`). */
  suppressed: number;
  issues: Issue[];
}

const NOISE_SOURCE = 'noise';

export function placeContent(input: PlaceInput): PlacedContent {
  const out: PlacedContent = { findings: [], suppressed: 0, issues: [] };
  const owned = new Set(input.perLayer.flatMap((c) => c?.packageOwned ?? []));
  input.perLayer.forEach((content, position) => {
    const layer = input.layers[position];
    if (!content || !layer) return;
    for (const hit of content.hits) {
      const location = fileLocation(hit, layer, input.tree);
      if (hit.kind === 'secret' && owned.has(hit.path)) {
        out.suppressed++;
        if (input.secrets?.showSuppressed)
          out.findings.push(
            noise(secretFinding(hit, location, layer.base), 'test or documentation file of an OS package'),
          );
        continue;
      }
      out.findings.push(
        hit.kind === 'secret'
          ? secretFinding(hit, location, layer.base)
          : threatFinding(hit, location, layer.base),
      );
    }
    out.suppressed += content.suppressed.length;
    if (input.secrets?.showSuppressed)
      for (const s of content.suppressed) out.findings.push(suppressedFinding(s, layer, input));
    out.issues.push(...layerIssues(content, layer));
  });
  configSecrets(input, out);
  return out;
}

function fileLocation(hit: FileHit, layer: ResultLayer, tree: PlaceInput['tree']): ContentLocation {
  const location: ContentLocation = {
    source: 'file',
    path: hit.path,
    layerIndex: layer.index,
    layerDiffId: layer.diffId,
  };
  if (hit.member !== undefined) location.member = hit.member;
  if (hit.line !== undefined) location.line = hit.line;
  if (hit.column !== undefined) location.column = hit.column;
  if (layer.createdBy) location.createdBy = layer.createdBy;
  const now = tree.get(hit.path);
  // Still there unless a later layer replaced it (the tree keeps the last writer) or deleted it.
  const removed = now ? (now.layer > layer.index ? now.layer : undefined) : tree.deletedIn(hit.path);
  if (removed !== undefined && removed > layer.index) location.removedInLayer = removed;
  return location;
}

function common(hit: ContentHit, location: ContentLocation, base: boolean) {
  return {
    id: hit.id,
    title: hit.title,
    category: hit.category,
    severity: hit.severity,
    location,
    fromBaseImage: base,
  };
}

function secretFinding(hit: ContentHit, location: ContentLocation, base: boolean): SecretFinding {
  return { kind: 'secret', ...common(hit, location, base), match: hit.match ?? '***' };
}

function threatFinding(hit: ContentHit, location: ContentLocation, base: boolean): ThreatFinding {
  const finding: ThreatFinding = {
    kind: 'threat',
    ...common(hit, location, base),
    engine: hit.engine ?? 'builtin',
  };
  if (hit.sha256) finding.sha256 = hit.sha256;
  if (hit.evidence) finding.evidence = hit.evidence;
  return finding;
}

function noise(finding: SecretFinding, reason: string): SecretFinding {
  return { ...finding, exception: { reason: `suppressed as noise: ${reason}`, source: NOISE_SOURCE } };
}

function suppressedFinding(
  s: LayerContent['suppressed'][number],
  layer: ResultLayer,
  input: PlaceInput,
): SecretFinding {
  const rule = input.secrets?.rules.find((r) => r.id === s.id);
  const hit: ContentHit = {
    kind: 'secret',
    id: s.id,
    title: rule?.title ?? s.id,
    category: rule?.category ?? 'secret',
    severity: rule?.severity ?? 'high',
    line: s.line,
    match: s.match,
  };
  const location = fileLocation({ ...hit, path: s.path }, layer, input.tree);
  return noise(secretFinding(hit, location, layer.base), s.reason);
}

function layerIssues(content: LayerContent, layer: ResultLayer): Issue[] {
  const at = (path: string) => ({
    layerDiffId: layer.diffId,
    layerIndex: layer.index,
    path,
    evidence: 'primary' as const,
  });
  const issues: Issue[] = content.problems.map((p) => ({
    code: 'content-scan-failed',
    message: p.message,
    location: at(p.path),
  }));
  const { count, paths } = content.tooLarge;
  if (count > 0)
    issues.push({
      code: 'content-not-scanned',
      message: `layer ${layer.index}: ${count} file${count === 1 ? '' : 's'} above the content-scan size cap not scanned for secrets or indicators (${paths.join(', ')}${count > paths.length ? ', …' : ''})`,
      location: at(paths[0] ?? ''),
    });
  return issues;
}

/**
 * `Env`, labels and history lines. A variable set by `ENV` appears both in `Env` and in its
 * history line: the `Env` finding is kept and the same secret in history is not repeated.
 */
function configSecrets(input: PlaceInput, out: PlacedContent): void {
  const { config, history, labels } = input.desc;
  const base = baseHistory(input);
  const seen = new Set<string>();
  const secrets = input.secrets;
  const scan = (text: string, location: ContentLocation, fromBase: boolean): void => {
    if (!secrets) return;
    // Scanned as an env file, so `NAME=value` assignments get the config-file rules.
    const found = scanText(Buffer.from(text, 'latin1'), { path: 'image-config.env', rules: secrets.rules });
    out.suppressed += found.suppressed.length;
    for (const m of found.matches) {
      if (seen.has(m.fingerprint)) continue;
      seen.add(m.fingerprint);
      out.findings.push(
        secretFinding(secretHit(m, secrets.rules), { ...location, column: m.column }, fromBase),
      );
    }
  };
  for (const env of config.Env ?? []) scan(env, { source: 'env', path: env.split('=', 1)[0] ?? '' }, false);
  for (const [key, value] of Object.entries(labels ?? {}))
    scan(`${key}=${value}`, { source: 'label', path: key }, false);
  history.forEach((entry, i) => {
    if (!entry.createdBy) return;
    const location = historyLocation(entry, i, input.layers);
    scan(entry.createdBy, location, i < base);
    if (input.threats)
      for (const hit of scanCommand(entry.createdBy))
        out.findings.push(threatFinding(hit, location, i < base));
  });
}

function historyLocation(
  entry: HistoryEntry,
  index: number,
  layers: readonly ResultLayer[],
): ContentLocation {
  const location: ContentLocation = { source: 'history', historyIndex: index };
  if (entry.createdBy) location.createdBy = redactHistory(entry.createdBy);
  const layer = entry.layerIndex !== undefined ? layers[entry.layerIndex] : undefined;
  if (layer) {
    location.layerIndex = layer.index;
    location.layerDiffId = layer.diffId;
  }
  return location;
}

/** History entries up to the last one that produced a base layer belong to the base image. */
function baseHistory(input: PlaceInput): number {
  let end = 0;
  input.desc.history.forEach((entry, i) => {
    if (entry.layerIndex !== undefined && input.layers[entry.layerIndex]?.base) end = i + 1;
  });
  return end;
}
