/**
 * Looks inside archive files for threats: each member a visitor wants is read and handed to it,
 * and archives inside archives are opened in turn, so an EICAR file in a jar in a war is found.
 * Zip-family archives (any extension: the zip signature decides) go through the bounded zip
 * reader of the jar analyzer; tar and gzip'd tar through the layer walker's hardened tar reader.
 *
 * Archives are attacker-controlled: depth, entries, one member's size and the bytes inflated for
 * one top-level archive altogether are all bounded, and anything cut short (a limit, a truncated
 * or corrupt archive, an encrypted member) becomes a problem string, never a throw. A zip member's
 * declared size is checked before it is inflated, and inflating stops at it (zip.ts); a gzip
 * stream is counted as it inflates and stopped at the budget.
 */
import { Readable } from 'node:stream';
import { openZip, readEntry } from '../../catalog/analyzers/jar/zip.js';
import { layerTarChunks } from '../../image/walk/decompress.js';
import { walkLayer } from '../../image/walk/layer-walker.js';
import { formatBytes } from '../../image/walk/limits.js';
import type { LayerEvent } from '../../image/walk/types.js';
import { AssayError, isAssayError } from '../../model/errors.js';
import type { ContentHit } from '../types.js';
import { gzipHoldsTar, isArchiveCandidate, sniffArchive } from './archive-format.js';

export { isArchiveCandidate, MAX_ARCHIVE_BYTES } from './archive-format.js';

const MiB = 1024 * 1024;

export interface MemberVisitor {
  /** Cheap and pure: which members (`lib/a.jar!/x/y.sh`) to read and pass to `visit`. */
  wants(member: string, size: number): boolean;
  visit(member: string, bytes: Buffer): ContentHit[];
}

export interface MemberLimits {
  /** Archives inside the archive; the scanned file itself is depth 0. */
  maxDepth: number;
  /** Bytes inflated from one top-level archive, at every depth. */
  maxTotalBytes: number;
  /** Entries of one top-level archive, at every depth. */
  maxEntries: number;
  /** One member read into memory. */
  maxMemberBytes: number;
}

export const DEFAULT_MEMBER_LIMITS: Readonly<MemberLimits> = Object.freeze({
  maxDepth: 3,
  maxTotalBytes: 256 * MiB,
  maxEntries: 100_000,
  maxMemberBytes: 64 * MiB,
});

export interface MemberScan {
  hits: ContentHit[];
  problems: string[];
}

/** At most this many problems per top-level archive; the rest are counted in a last one. */
const MAX_PROBLEMS = 50;

interface Scan {
  path: string;
  visitor: MemberVisitor;
  limits: MemberLimits;
  remaining: number;
  entries: number;
  /** Members not read because the total budget ran out (one problem, then a count). */
  overBudget: number;
  hits: ContentHit[];
  problems: string[];
  dropped: number;
}

/**
 * Hits in the members of the archive `bytes` (read from `path`, used only in problems). Each
 * hit's `member` is set, nested members joined by `!/`; `path` itself is not part of it.
 */
export async function scanArchiveMembers(
  path: string,
  bytes: Buffer,
  visitor: MemberVisitor,
  limits: Partial<MemberLimits> = {},
): Promise<MemberScan> {
  const scan: Scan = {
    path,
    visitor,
    limits: { ...DEFAULT_MEMBER_LIMITS, ...limits },
    remaining: limits.maxTotalBytes ?? DEFAULT_MEMBER_LIMITS.maxTotalBytes,
    entries: 0,
    overBudget: 0,
    hits: [],
    problems: [],
    dropped: 0,
  };
  if (sniffArchive(bytes) === 'none' && isArchiveCandidate(path, bytes.length)) {
    problem(scan, `${path}: not a zip or tar archive (no zip, gzip or ustar signature); not looked into`);
  }
  await scanBytes(scan, bytes, '', 0);
  if (scan.overBudget > 1) {
    problem(scan, `${path}: ${scan.overBudget - 1} more members not read for the total size limit`);
  }
  if (scan.dropped > 0) scan.problems.push(`${path}: ${scan.dropped} more problems not listed`);
  return { hits: scan.hits, problems: scan.problems };
}

async function scanBytes(scan: Scan, bytes: Buffer, prefix: string, depth: number): Promise<void> {
  const kind = sniffArchive(bytes);
  if (kind === 'zip') return scanZip(scan, bytes, prefix, depth);
  if (kind === 'tar') return scanTar(scan, bytes, prefix, depth, false);
  if (kind === 'gzip') {
    if (gzipHoldsTar(bytes)) return scanTar(scan, bytes, prefix, depth, true);
    // A lone gzip'd file is not an archive; one named like a tarball is broken.
    if (/\.(tgz|tar\.gz)$/i.test(prefix || scan.path)) {
      problem(
        scan,
        `${where(scan, prefix)}: gzip data that is not a tar archive (or is corrupt at its start)`,
      );
    }
  }
}

async function scanZip(scan: Scan, bytes: Buffer, prefix: string, depth: number): Promise<void> {
  const at = where(scan, prefix);
  const left = scan.limits.maxEntries - scan.entries;
  if (left <= 0)
    return problem(scan, `${at}: not opened, the ${scan.limits.maxEntries}-entry limit is reached`);
  const opened = await openZip(bytes, left);
  if (!opened.ok) return problem(scan, `${at}: unreadable zip archive (${opened.error})`);
  const zip = opened.opened;
  if (zip.error) problem(scan, `${at}: zip directory: ${zip.error}; later entries not read`);
  scan.entries += zip.entries.length;
  for (const entry of zip.entries) {
    if (entry.fileName.endsWith('/')) continue;
    const name = join(prefix, entry.fileName);
    const size = entry.uncompressedSize;
    if (!isInteresting(scan, name, size, depth) || !fits(scan, name, size, true)) continue;
    const read = await readEntry(zip, entry);
    if (!read.ok) {
      problem(scan, `${where(scan, name)}: cannot read the member: ${read.error}`);
      continue;
    }
    await onMember(scan, name, read.bytes, depth);
  }
}

async function scanTar(scan: Scan, bytes: Buffer, prefix: string, depth: number, gz: boolean): Promise<void> {
  const at = where(scan, prefix);
  const left = scan.limits.maxEntries - scan.entries;
  if (left <= 0)
    return problem(scan, `${at}: not opened, the ${scan.limits.maxEntries}-entry limit is reached`);
  const budget = new BudgetExceeded(at, scan.limits.maxTotalBytes);
  const tar = layerTarChunks(Readable.from([bytes]), { layerLabel: at });
  const events = walkLayer(gz ? charged(scan, tar, budget) : tar, {
    wants: (path, size) => isInteresting(scan, join(prefix, path), size, depth),
    limits: { maxEntries: left, maxFileBytes: scan.limits.maxMemberBytes },
    layerLabel: at,
  });
  try {
    for await (const event of events) await onTarEvent(scan, event, prefix, depth);
  } catch (err) {
    if (!isAssayError(err)) throw err;
    if (err === budget) problem(scan, err.message);
    else if (err.code === 'too-large')
      problem(scan, `${at}: more than ${scan.limits.maxEntries} entries; the rest not read`);
    else problem(scan, err.message);
  }
}

async function onTarEvent(scan: Scan, event: LayerEvent, prefix: string, depth: number): Promise<void> {
  if (event.kind === 'issue') {
    const path = event.path === undefined ? undefined : join(prefix, event.path);
    if (event.code === 'file-too-large' && path !== undefined)
      fits(scan, path, scan.limits.maxMemberBytes + 1, false);
    else if (event.code === 'missing-end-of-archive') problem(scan, event.message);
    return;
  }
  if (event.kind !== 'entry' || event.entry.type !== 'file') return;
  scan.entries++;
  if (event.content === undefined) return;
  await onMember(scan, join(prefix, event.entry.path), await event.content.read(), depth);
}

/** A member read: visit it when wanted, open it when it is an archive. */
async function onMember(scan: Scan, name: string, bytes: Buffer, depth: number): Promise<void> {
  if (scan.visitor.wants(name, bytes.length)) {
    for (const hit of scan.visitor.visit(name, bytes)) scan.hits.push({ ...hit, member: name });
  }
  if (sniffArchive(bytes) === 'none') return;
  if (depth + 1 > scan.limits.maxDepth) return tooDeep(scan, name);
  await scanBytes(scan, bytes, name, depth + 1);
}

/**
 * Read a member the visitor wants, or one named like an archive that may still be opened here
 * (a member too deep to open is reported without being read: 42.zip holds 65536 at depth 4).
 */
function isInteresting(scan: Scan, name: string, size: number, depth: number): boolean {
  if (scan.visitor.wants(name, size)) return true;
  if (!isArchiveCandidate(name, size)) return false;
  if (depth + 1 <= scan.limits.maxDepth) return true;
  tooDeep(scan, name);
  return false;
}

function tooDeep(scan: Scan, name: string): void {
  problem(scan, `${where(scan, name)}: not opened, archives nested more than ${scan.limits.maxDepth} deep`);
}

/** Whether a member may be read; `charge`: it is inflated now (zip), so it takes from the budget. */
function fits(scan: Scan, name: string, size: number, charge: boolean): boolean {
  if (size > scan.limits.maxMemberBytes) {
    const limit = formatBytes(scan.limits.maxMemberBytes);
    problem(scan, `${where(scan, name)}: not read, larger than the ${limit} limit for one member`);
    return false;
  }
  if (!charge) return true;
  if (size > scan.remaining) {
    if (scan.overBudget++ === 0)
      problem(scan, new BudgetExceeded(where(scan, name), scan.limits.maxTotalBytes).message);
    return false;
  }
  scan.remaining -= size;
  return true;
}

/** The inflated tar of a gzip member, taken from the budget as it flows; stops when it runs out. */
async function* charged(
  scan: Scan,
  chunks: AsyncIterable<Buffer>,
  budget: BudgetExceeded,
): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    scan.remaining -= chunk.length;
    if (scan.remaining < 0) throw budget;
    yield chunk;
  }
}

class BudgetExceeded extends AssayError {
  constructor(at: string, limit: number) {
    super('too-large', `${at}: not read further, the archive inflates past the ${formatBytes(limit)} limit`);
  }
}

function join(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}!/${name}`;
}

function where(scan: Scan, member: string): string {
  return member === '' ? scan.path : `${scan.path}!/${member}`;
}

function problem(scan: Scan, text: string): void {
  if (scan.problems.length < MAX_PROBLEMS) scan.problems.push(text);
  else scan.dropped++;
}
