/**
 * One layer's detectors over its files, one held file at a time (`layer-scan.ts` decides which
 * files): package file lists for the ownership rule, text files to the worker pool in batches,
 * EICAR, archive members and the threat engines, several engine scans and batches in flight at
 * once, bounded in count and bytes, all awaited when the layer ends (`settle`).
 */
import { createHash } from 'node:crypto';
import { errorMessage } from '../model/errors.js';
import { type ContentScanOptions, type LayerContent, PACKAGE_FILE_LISTS } from './layer-scan.js';
import { isTestOrDocPath } from './secrets/noise.js';
import { looksBinary } from './secrets/scan.js';
import type { TextScanPool } from './text-pool.js';
import type { TextScanResult } from './text-scan.js';
import { isArchiveCandidate, scanArchiveMembers } from './threats/archive-members.js';
import { hashHits } from './threats/deny-list.js';
import { EICAR_MAX_BYTES, eicarHit as eicarTestHit, isEicar } from './threats/eicar.js';
import type { ContentHit, DenyList, ThreatEngine } from './types.js';

const MiB = 1024 * 1024;
const MAX_IN_FLIGHT = 16;
const MAX_IN_FLIGHT_BYTES = 16 * MiB;
const BATCH_FILES = 64;
const BATCH_BYTES = MiB;

/** One layer's detectors over one held file at a time. */
export class FileScan {
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
    // Both detectors skip binary files by this same test: decided here, before any copy.
    if (looksBinary(bytes)) return;
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
