/**
 * From `ScanOptions` to the content scanners' request, once per run: the scanners asked for,
 * the secret rules, and the deny-list of `--threat-hashes` files merged with the lists imported
 * into the vulnerability DB (`assay db import`), so the manager's scanners use them too.
 */
import type { ContentRequest } from '../content/content-scan.js';
import { defaultSecretConfig } from '../content/secrets/config.js';
import { mergeDenyLists } from '../content/threats/deny-list.js';
import { type ContentFinding, DEFAULT_SCANNERS, type ScannerKind } from '../model/result.js';
import type { ScanOptions } from './scan.js';

export function scannersOf(opts: ScanOptions): ReadonlySet<ScannerKind> {
  return new Set(opts.scanners ?? DEFAULT_SCANNERS);
}

const requests = new WeakMap<ScanOptions, ContentRequest | undefined>();

/** Undefined when only `vuln` runs. Memoised per options object: the DB's lists are read once. */
export function contentRequest(opts: ScanOptions): ContentRequest | undefined {
  if (requests.has(opts)) return requests.get(opts);
  const scanners = new Set([...scannersOf(opts)].filter((k) => k !== 'vuln'));
  let request: ContentRequest | undefined;
  if (scanners.size > 0) {
    request = {
      scanners,
      secrets: opts.content?.secrets ?? defaultSecretConfig,
      // The user's own lists first: for a hash on both, their entry wins over the DB's.
      denyList: scanners.has('threat')
        ? mergeDenyLists([opts.content?.denyList ?? new Map(), opts.db.threatHashes()])
        : new Map(),
      engines: scanners.has('threat') ? (opts.content?.engines ?? []) : [],
    };
  }
  requests.set(opts, request);
  return request;
}

const KIND_ORDER = { secret: 0, threat: 1, config: 2 } as const;
const SEVERITY_ORDER = { critical: 0, high: 1, medium: 2, low: 3, none: 4, unknown: 5 } as const;

/** By kind, severity, layer, path, line: the order the reports and the manager show them in. */
export function sortContent(findings: readonly ContentFinding[]): ContentFinding[] {
  return [...findings].sort(
    (a, b) =>
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.location.layerIndex ?? -1) - (b.location.layerIndex ?? -1) ||
      (a.location.path ?? '').localeCompare(b.location.path ?? '') ||
      (a.location.line ?? 0) - (b.location.line ?? 0) ||
      a.id.localeCompare(b.id),
  );
}
