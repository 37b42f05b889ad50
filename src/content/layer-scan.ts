/**
 * The content scanners as a layer visitor: every layer's files, not only the final file system
 * (a key `COPY`'d in one layer and deleted in the next is still in the image). Runs in the same
 * walk as the catalog, so each layer is inflated once; its result is cached with the layer under
 * a key covering every rule, list and engine that shaped it (`contentCacheKey`). Knows nothing of
 * the tree or the result model: `findings.ts` places the hits afterwards.
 */
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { LayerVisitor } from '../image/walk/image-walker.js';
import type { LayerEvent, TarEntry } from '../image/walk/types.js';
import { FileScan } from './file-scan.js';
import type { SecretConfig } from './secrets/config.js';
import { type TextScanPool, textScanPool } from './text-pool.js';
import { ruleSpecs } from './text-scan.js';
import { isArchiveCandidate } from './threats/archive-members.js';
import { EICAR_MAX_BYTES } from './threats/eicar.js';
import type { DenyList, ThreatEngine } from './types.js';

/** Bump when a layer's content result changes for the same bytes and options. */
const LAYER_SCAN_VERSION = 1;
const MiB = 1024 * 1024;

export interface ContentScanOptions {
  secrets?: SecretConfig;
  /** Built-in threat checks (EICAR, indicators, archive members) and the hash deny-list. */
  threats?: { denyList: DenyList; engines: readonly ThreatEngine[] };
  /** Text files above this are not scanned for secrets or indicators (counted, with a note). */
  maxTextBytes?: number;
  /** Files above this are not hashed for the deny-list. */
  maxHashBytes?: number;
}

export const DEFAULT_MAX_TEXT_BYTES = 10 * MiB;
export const DEFAULT_MAX_HASH_BYTES = 512 * MiB;

const ContentHitSchema = z.object({
  kind: z.enum(['secret', 'threat']),
  id: z.string(),
  title: z.string(),
  category: z.string(),
  severity: z.enum(['critical', 'high', 'medium', 'low', 'none', 'unknown']),
  engine: z.enum(['builtin', 'hash-list', 'yara', 'clamav']).optional(),
  member: z.string().optional(),
  line: z.number().optional(),
  column: z.number().optional(),
  match: z.string().optional(),
  sha256: z.string().optional(),
  evidence: z.string().optional(),
  /** Secrets only: sha256(rule NUL value), to recognise one secret in several places; never output. */
  fingerprint: z.string().optional(),
});

export const LayerContentSchema = z.object({
  hits: z.array(ContentHitSchema.extend({ path: z.string() })),
  suppressed: z.array(
    z.object({ id: z.string(), path: z.string(), line: z.number(), reason: z.string(), match: z.string() }),
  ),
  /** Text files not scanned for their size: how many, and the first few paths. */
  tooLarge: z.object({ count: z.number(), paths: z.array(z.string()) }),
  /** Test/doc paths that this layer's OS package file lists name (dpkg `*.list`, apk `R:` lines). */
  packageOwned: z.array(z.string()),
  problems: z.array(z.object({ path: z.string(), message: z.string() })),
});
export type LayerContent = z.infer<typeof LayerContentSchema>;
export type FileHit = LayerContent['hits'][number];

/** Extensions never worth a text scan: media, fonts, compiled and compressed files. */
const BINARY_EXTENSION =
  /\.(?:png|jpe?g|gif|ico|bmp|webp|svgz|woff2?|ttf|otf|eot|mo|gmo|pyc|pyo|class|so(?:\.[\d.]+)?|a|o|ko|node|wasm|dll|exe|jmod|gz|tgz|xz|bz2|zst|lz4|zip|jar|war|ear|whl|egg|deb|rpm|apk|pdf|mp[34]|ogg|wav|db|sqlite3?|pack|idx)$/i;
/** Directories of data files no secret or script lives in. */
const SKIPPED_DIRS = /^(?:usr\/share\/(?:locale|zoneinfo|i18n|mime|icons|fonts)|usr\/lib\/locale)\//;
export const PACKAGE_FILE_LISTS = /^(?:var\/lib\/dpkg\/info\/[^/]+\.list|lib\/apk\/db\/installed)$/;

export function isTextCandidate(path: string): boolean {
  return !BINARY_EXTENSION.test(path) && !SKIPPED_DIRS.test(path);
}

/** Everything that decides a layer's content result, for the layer-cache key. */
export function contentCacheKey(opts: ContentScanOptions): string {
  const h = createHash('sha256').update(`v${LAYER_SCAN_VERSION}`);
  h.update(
    `\0text ${opts.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES} hash ${opts.maxHashBytes ?? DEFAULT_MAX_HASH_BYTES}`,
  );
  if (opts.secrets) {
    for (const r of opts.secrets.rules)
      h.update(`\0rule ${r.id} ${r.severity} ${r.regex.source} ${r.keywords.join(',')}`);
    h.update(`\0allow ${opts.secrets.allowPaths.join('\0')}`);
  }
  if (opts.threats) {
    h.update('\0threats');
    for (const sha of [...opts.threats.denyList.keys()].sort()) h.update(sha);
    for (const e of opts.threats.engines) h.update(`\0engine ${e.id} ${engineKey(e)}`);
  }
  return h.digest('hex').slice(0, 32);
}

/**
 * clamd's VERSION names its signature database (`ClamAV 1.4.6/27480/…`) only for official
 * databases; with local signatures alone it is the bare program version, which says nothing of
 * the signatures loaded, so such results are reused only within one run (images sharing a
 * layer), never by a later run.
 */
function engineKey(engine: ThreatEngine): string {
  return engine.id === 'clamav' && !engine.cacheKey.includes('/') ? randomUUID() : engine.cacheKey;
}

/** The worker pool for these options' text detectors (one per rule set for the process). */
export function textPoolFor(opts: ContentScanOptions): TextScanPool {
  return textScanPool({
    ...(opts.secrets ? { rules: ruleSpecs(opts.secrets.rules) } : {}),
    indicators: opts.threats !== undefined,
  });
}

export function contentVisitor(
  opts: ContentScanOptions,
  pool: TextScanPool,
  label: string,
  signal?: AbortSignal,
): LayerVisitor<LayerContent> {
  const maxText = opts.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES;
  const maxHash = opts.maxHashBytes ?? DEFAULT_MAX_HASH_BYTES;
  const { secrets, threats } = opts;
  const result: LayerContent = {
    hits: [],
    suppressed: [],
    tooLarge: { count: 0, paths: [] },
    packageOwned: [],
    problems: [],
  };
  const wantsText = (path: string, size: number): boolean =>
    size <= maxText && isTextCandidate(path) && !(secrets?.isAllowedPath(path) ?? false);
  const hashing = threats !== undefined && threats.denyList.size > 0;
  const scan = new FileScan(opts, result, label, signal, pool);
  return {
    wants(path, size) {
      if (secrets && PACKAGE_FILE_LISTS.test(path)) return true;
      if (wantsText(path, size)) return true;
      if (!threats) return false;
      return (
        size <= EICAR_MAX_BYTES ||
        isArchiveCandidate(path, size) ||
        threats.engines.some((e) => e.wants(path, size))
      );
    },
    digests: hashing ? (_path: string, size: number) => size <= maxHash : undefined,
    async onEvent(event: LayerEvent): Promise<void> {
      if (event.kind !== 'entry' || event.entry.type !== 'file') return;
      const { entry } = event;
      if (event.sha256 && threats) scan.listed(entry.path, event.sha256, threats.denyList);
      if (!event.content) {
        if (entry.size > maxText && isTextCandidate(entry.path)) noteTooLarge(result, entry);
        return;
      }
      const bytes = await event.content.read();
      await scan.file(entry.path, bytes, wantsText(entry.path, bytes.length));
    },
    async finish() {
      await scan.settle();
      signal?.throwIfAborted();
      return result;
    },
  };
}

function noteTooLarge(result: LayerContent, entry: TarEntry): void {
  result.tooLarge.count++;
  if (result.tooLarge.paths.length < 20) result.tooLarge.paths.push(entry.path);
}
