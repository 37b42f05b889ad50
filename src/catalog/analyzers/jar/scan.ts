/**
 * Walks one archive and the archives nested in it (a war's `WEB-INF/lib/*.jar`, a Spring Boot
 * jar's `BOOT-INF/lib/*.jar`, an ear's modules, at any path inside), identifying each. Pure
 * apart from inflating: bytes in, records and problems out, never throws. Bounded, because a
 * jar is attacker-controlled data: nesting depth, entries per archive, the size of each
 * metadata file and nested archive, and the inflated bytes of one top-level archive altogether
 * (a zip bomb, or a zip of zips, stops there). A nested archive that is not opened for a limit
 * is still reported by its file name, with an issue saying why it was not looked into.
 */
import type { Entry } from 'yauzl';
import type { IssueCode } from '../../../model/issue.js';
import { isArchiveName } from './file-name.js';
import {
  fileNameRecord,
  identify,
  type JavaRecord,
  MANIFEST_ENTRY,
  POM_PROPERTIES,
  type PomFound,
} from './identify.js';
import { type Manifest, parseManifest } from './manifest.js';
import { parseProperties } from './pom-properties.js';
import { looksLikeZip, type OpenedZip, openZip, readEntry } from './zip.js';

const MiB = 1024 * 1024;

export interface ArchiveLimits {
  /** Archives inside archives; the scanned file itself is depth 0. */
  maxDepth: number;
  maxEntries: number;
  /** One MANIFEST.MF or pom.properties. */
  maxMetadataBytes: number;
  /** One nested archive, inflated. */
  maxNestedBytes: number;
  /** Everything inflated from one top-level archive, at every depth. */
  maxTotalBytes: number;
  /** Nested archives of one top-level archive, opened or named (a jar of 100k empty jars). */
  maxNested: number;
}

export const DEFAULT_LIMITS: ArchiveLimits = {
  maxDepth: 4,
  maxEntries: 200_000,
  maxMetadataBytes: MiB,
  maxNestedBytes: 128 * MiB,
  maxTotalBytes: 512 * MiB,
  maxNested: 10_000,
};

export interface ScanProblem {
  /** The archive concerned, `outer.war!/WEB-INF/lib/inner.jar` when nested. */
  at: string;
  code: IssueCode;
  message: string;
}

export interface ScanResult {
  records: JavaRecord[];
  problems: ScanProblem[];
}

interface Scan {
  limits: ArchiveLimits;
  remaining: number;
  /** Nested archives left unopened because `remaining` ran out. */
  overBudget: number;
  /** Nested archives met so far, and those ignored past `maxNested`. */
  nested: number;
  ignored: number;
  records: JavaRecord[];
  problems: ScanProblem[];
}

export async function scanArchive(bytes: Buffer, path: string, limits = DEFAULT_LIMITS): Promise<ScanResult> {
  const scan: Scan = {
    limits,
    remaining: limits.maxTotalBytes,
    overBudget: 0,
    nested: 0,
    ignored: 0,
    records: [],
    problems: [],
  };
  await scanOne(scan, bytes, path, 0);
  if (scan.overBudget > 1) {
    const message = `${scan.overBudget} nested archives in all not opened for the total size limit`;
    scan.problems.push({ at: path, code: 'too-many-records', message });
  }
  if (scan.ignored > 0) {
    const message = `${scan.ignored} nested archives past the first ${limits.maxNested} ignored`;
    scan.problems.push({ at: path, code: 'too-many-records', message });
  }
  return { records: scan.records, problems: scan.problems };
}

async function scanOne(scan: Scan, bytes: Buffer, at: string, depth: number): Promise<void> {
  const problem = (code: IssueCode, message: string): void => {
    scan.problems.push({ at, code, message });
  };
  const opened = await openZip(bytes, scan.limits.maxEntries);
  if (!opened.ok) {
    // Zip magic at the start but no readable end: cut short. Anything else is not a zip at all.
    if (looksLikeZip(bytes)) problem('truncated-file', `unreadable zip archive (${opened.error})`);
    else problem('corrupt-database', `not a zip archive (${opened.error})`);
    return;
  }
  const archive = opened.opened;
  const { entries, error } = archive;
  if (error) problem('corrupt-database', `zip central directory: ${error}; later entries not read`);
  const poms: PomFound[] = [];
  let manifest: Manifest | undefined;
  const nested: Entry[] = [];
  for (const entry of entries) {
    const name = entry.fileName;
    if (name.endsWith('/')) continue;
    if (name === MANIFEST_ENTRY || POM_PROPERTIES.test(name)) {
      const content = await readMetadata(scan, archive, entry, problem);
      if (!content) continue;
      if (name !== MANIFEST_ENTRY) poms.push({ entry: name, properties: parseProperties(content) });
      else manifest = parseManifestReporting(content, problem);
    } else if (isArchiveName(name)) nested.push(entry);
  }
  const identified = identify(at, poms, manifest);
  for (const entry of identified.incomplete) {
    problem('missing-field', `${entry}: no groupId, artifactId or version; not a package`);
  }
  scan.records.push(...identified.records);
  for (const entry of nested) await scanNested(scan, archive, entry, `${at}!/${entry.fileName}`, depth + 1);
}

async function scanNested(
  scan: Scan,
  archive: OpenedZip,
  entry: Entry,
  at: string,
  depth: number,
): Promise<void> {
  if (++scan.nested > scan.limits.maxNested) {
    scan.ignored++;
    return;
  }
  const size = entry.uncompressedSize;
  const limit = nestedLimit(scan, size, depth);
  if (limit === undefined) {
    scan.remaining -= size;
    const read = await readEntry(archive, entry);
    if (read.ok) return scanOne(scan, read.bytes, at, depth);
    scan.problems.push({ at, code: 'file-unreadable', message: `cannot inflate: ${read.error}` });
    return;
  }
  // The total budget stops every archive after the first: one issue, then a count (scanArchive).
  if (limit !== 'budget') {
    scan.problems.push({
      at,
      code: 'too-many-records',
      message: `not opened: ${limit}; named from its file name`,
    });
  } else if (scan.overBudget++ === 0) {
    const message = `not opened, nor any later nested archive: inflating it would pass ${scan.limits.maxTotalBytes} bytes for the whole archive; named from their file names`;
    scan.problems.push({ at, code: 'too-many-records', message });
  }
  const record = fileNameRecord(at);
  if (record) scan.records.push(record);
}

function nestedLimit(scan: Scan, size: number, depth: number): string | undefined {
  if (depth > scan.limits.maxDepth) return `nested ${depth} archives deep, more than ${scan.limits.maxDepth}`;
  if (size > scan.limits.maxNestedBytes) {
    return `${size} bytes inflated, more than ${scan.limits.maxNestedBytes} for one nested archive`;
  }
  return size > scan.remaining ? 'budget' : undefined;
}

async function readMetadata(
  scan: Scan,
  archive: OpenedZip,
  entry: Entry,
  problem: (code: IssueCode, message: string) => void,
): Promise<Buffer | undefined> {
  const size = entry.uncompressedSize;
  if (size > scan.limits.maxMetadataBytes || size > scan.remaining) {
    problem('too-many-records', `${entry.fileName}: ${size} bytes, too large to read`);
    return undefined;
  }
  scan.remaining -= size;
  const read = await readEntry(archive, entry);
  if (read.ok) return read.bytes;
  problem('file-unreadable', `${entry.fileName}: cannot inflate: ${read.error}`);
  return undefined;
}

function parseManifestReporting(
  content: Buffer,
  problem: (code: IssueCode, message: string) => void,
): Manifest {
  const manifest = parseManifest(content);
  if (manifest.invalidUtf8)
    problem('invalid-utf8', `${MANIFEST_ENTRY}: not valid UTF-8 (decoded with U+FFFD)`);
  for (const message of manifest.problems.slice(0, 5))
    problem('malformed-record', `${MANIFEST_ENTRY}: ${message}`);
  return manifest;
}
