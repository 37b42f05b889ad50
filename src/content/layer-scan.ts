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
import { errorMessage } from '../model/errors.js';
import type { SecretConfig } from './secrets/config.js';
import { isTestOrDocPath } from './secrets/noise.js';
import { type TextScanPool, textScanPool } from './text-pool.js';
import { ruleSpecs, type TextScanResult } from './text-scan.js';
import { isArchiveCandidate, scanArchiveMembers } from './threats/archive-members.js';
import { hashHits } from './threats/deny-list.js';
import { EICAR_MAX_BYTES, eicarHit as eicarTestHit, isEicar } from './threats/eicar.js';
import type { ContentHit, DenyList, ThreatEngine } from './types.js';

/** Bump when a layer's content result changes for the same bytes and options. */
const LAYER_SCAN_VERSION = 1;
const MiB = 1024 * 1024;
const MAX_IN_FLIGHT = 16;
const MAX_IN_FLIGHT_BYTES = 64 * MiB;
const BATCH_FILES = 64;
const BINARY_SNIFF_BYTES = 8192;
const BATCH_BYTES = MiB;

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
const PACKAGE_FILE_LISTS = /^(?:var\/lib\/dpkg\/info\/[^/]+\.list|lib\/apk\/db\/installed)$/;

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
 * the signatures loaded, so such results are never reused from the cache.
 */
function engineKey(engine: ThreatEngine): string {
  return engine.id === 'clamav' && !engine.cacheKey.includes('/') ? randomUUID() : engine.cacheKey;
}

export function contentVisitor(
  opts: ContentScanOptions,
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
  const pool = textScanPool({
    ...(secrets ? { rules: ruleSpecs(secrets.rules) } : {}),
    indicators: threats !== undefined,
  });
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

/** One layer's detectors over one held file at a time. */
class FileScan {
  constructor(
    private readonly opts: ContentScanOptions,
    private readonly result: LayerContent,
    private readonly label: string,
    private readonly signal: AbortSignal | undefined,
    private readonly pool: TextScanPool,
  ) {}

  listed(path: string, sha256: string, list: DenyList): void {
    for (const hit of hashHits(sha256, list)) this.result.hits.push({ ...hit, path });
  }

  async file(path: string, bytes: Buffer, text: boolean): Promise<void> {
    const { secrets, threats } = this.opts;
    if (secrets && PACKAGE_FILE_LISTS.test(path)) this.packageFiles(bytes);
    if (text && (secrets || threats)) await this.text(path, bytes);
    if (!threats) return;
    if (bytes.length <= EICAR_MAX_BYTES && isEicar(bytes)) this.push(path, eicarHit(bytes));
    if (isArchiveCandidate(path, bytes.length)) await this.members(path, bytes, threats.denyList);
    for (const engine of threats.engines)
      if (engine.wants(path, bytes.length)) await this.queue(engine, path, bytes);
  }

  private readonly inFlight = new Set<Promise<void>>();
  private inFlightBytes = 0;

  /**
   * Engine scans run several at a time (a YARA process or a clamd connection each), so a layer
   * of many small files does not pay one round trip per file; the bytes stay referenced until
   * their scan ends, bounded by count and total size.
   */
  private queue(engine: ThreatEngine, path: string, bytes: Buffer): Promise<void> {
    return this.whenRoom(bytes.length, () => this.engineScan(engine, path, bytes));
  }

  /** Starts `task` once fewer than the limits are in flight; the layer's end waits for it. */
  private async whenRoom(bytes: number, task: () => Promise<void>): Promise<void> {
    while (
      this.inFlight.size >= MAX_IN_FLIGHT ||
      (this.inFlight.size > 0 && this.inFlightBytes + bytes > MAX_IN_FLIGHT_BYTES)
    )
      await Promise.race(this.inFlight);
    this.inFlightBytes += bytes;
    const running: Promise<void> = task().finally(() => {
      this.inFlight.delete(running);
      this.inFlightBytes -= bytes;
    });
    this.inFlight.add(running);
  }

  private batch: Array<{ path: string; bytes: Buffer }> = [];
  private batchBytes = 0;

  /** Text files go to the worker pool in batches (a message per file would cost more than small files). */
  private async text(path: string, bytes: Buffer): Promise<void> {
    // Both detectors skip binary files (a NUL in the first 8 KiB): decided here, before any copy.
    if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return;
    this.batch.push({ path, bytes });
    this.batchBytes += bytes.length;
    if (this.batch.length >= BATCH_FILES || this.batchBytes >= BATCH_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    const files = this.batch;
    const size = this.batchBytes;
    if (files.length === 0) return;
    this.batch = [];
    this.batchBytes = 0;
    await this.whenRoom(size, async () => {
      const results = await this.pool.scan(files);
      results.forEach((r, i) => {
        this.textResult(files[i]!.path, r);
      });
    });
  }

  private textResult(path: string, r: TextScanResult): void {
    for (const hit of r.hits) this.push(path, hit);
    for (const s of r.suppressed) this.result.suppressed.push({ ...s, path });
    if (r.truncated)
      this.result.problems.push({
        path,
        message: `${this.label}: ${path}: more than 1000 secret matches; the rest of the file was not scanned`,
      });
  }

  /** Waits for the engine scans still running; called when the layer ends. */
  async settle(): Promise<void> {
    await this.flush();
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private async engineScan(engine: ThreatEngine, path: string, bytes: Buffer): Promise<void> {
    try {
      const found = await engine.scan(path, bytes, this.signal);
      const sha256 = found.length > 0 ? sha256Of(bytes) : undefined;
      for (const hit of found) this.push(path, { ...hit, ...(sha256 ? { sha256 } : {}) });
    } catch (err) {
      if (this.signal?.aborted) return;
      this.result.problems.push({
        path,
        message: `${this.label}: ${engine.id} could not scan ${path}: ${errorMessage(err)}`,
      });
    }
  }

  private push(path: string, hit: ContentHit): void {
    this.result.hits.push({ ...hit, path });
  }

  private async members(path: string, bytes: Buffer, list: DenyList): Promise<void> {
    const { hits, problems } = await scanArchiveMembers(path, bytes, {
      wants: (_member, size) => size <= EICAR_MAX_BYTES || list.size > 0,
      visit: (_member, member) => {
        const out: ContentHit[] = [];
        if (member.length <= EICAR_MAX_BYTES && isEicar(member)) out.push(eicarHit(member));
        if (list.size > 0) out.push(...hashHits(sha256Of(member), list));
        return out;
      },
    });
    for (const hit of hits) this.push(path, hit);
    for (const message of problems) this.result.problems.push({ path, message: `${this.label}: ${message}` });
  }

  /** Test/doc paths named by the OS package manager's file lists (for the "owned by a package" rule). */
  private packageFiles(bytes: Buffer): void {
    // dpkg: one absolute path a line. apk: `F:dir` then `R:name` lines for the files in it.
    let dir = '';
    for (const line of bytes.toString('latin1').split('\n')) {
      if (line.startsWith('F:')) dir = line.slice(2);
      const path = line.startsWith('R:')
        ? `${dir}/${line.slice(2)}`
        : line.startsWith('/')
          ? line.slice(1)
          : '';
      if (path && isTestOrDocPath(path)) this.result.packageOwned.push(path);
    }
  }
}

/** The EICAR hit with the file's (or member's) hash, so an exception can name exactly these bytes. */
function eicarHit(bytes: Buffer): ContentHit {
  return { ...eicarTestHit(), sha256: sha256Of(bytes) };
}

function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
