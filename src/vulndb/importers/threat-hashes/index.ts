/**
 * SHA-256 threat deny-lists (hash lines such as `sha256sum` output or MalwareBazaar's
 * `full_sha256.txt`, or CSV with a `sha256` column such as MalwareBazaar's CSV export), plain or
 * gzipped, parsed by the scan's own parser (`content/threats/deny-list.ts`) so a list means the
 * same imported as passed to a scan. Each file is one list: its scope and source id are
 * `threat-hashes:<file name>`, so importing a newer copy replaces the older one's entries
 * wherever it was downloaded to. Unlike the advisory feeds, a malformed line fails the whole
 * list: a typo must not silently shorten a deny-list.
 */
import { basename } from 'node:path';
import { parseDenyList } from '../../../content/threats/deny-list.js';
import { AssayError } from '../../../model/errors.js';
import type { AdvisoryImporter, AdvisorySink, ImportContext, ImportStats } from '../../importer.js';
import { feedBytes } from '../common/feed-input.js';

/** The file names a list may have (a `.gz` after them is allowed); other names are never claimed. */
export const LIST_EXTENSIONS = ['.txt', '.csv', '.sha256', '.hashes'] as const;
/**
 * Read whole, as the parser takes one buffer: MalwareBazaar's full list is ~65 bytes per hash,
 * ~70 MB for a million, its CSV export a few hundred bytes per row. Far beyond that (or a gzip
 * bomb) is refused before it costs more memory.
 */
export const MAX_LIST_BYTES = 512 * 1024 * 1024;
const PROGRESS_EVERY = 10_000;

export const threatHashesImporter = {
  id: 'threat-hashes',
  version: 1,
  detect: detectThreatHashes,
  import: importThreatHashes,
} satisfies AdvisoryImporter;

/** The source id (and snapshot scope) of the list at `path`; `.gz` is dropped: one list, either way. */
export function threatListScope(path: string): string {
  return `threat-hashes:${basename(path).replace(/\.gz$/i, '')}`;
}

/**
 * A file with a list's name whose first line that is not blank or a `#` comment the parser
 * accepts as a hash line, a CSV header with a sha256 column, or a row under a commented-out
 * header. Only that line is judged: a bad line further down fails the import with its line
 * number instead of making the file "not a known format". EPSS CSV (`cve,epss,percentile`) and
 * JSON feeds fail at their first line.
 */
export function detectThreatHashes(head: string, path: string): boolean {
  const name = path.toLowerCase().replace(/\.gz$/, '');
  if (!LIST_EXTENSIONS.some((ext) => name.endsWith(ext))) return false;
  const lead = throughFirstContentLine(head);
  if (lead === undefined) return false;
  try {
    parseDenyList(lead, path);
    return true;
  } catch {
    return false;
  }
}

/** The head up to and including its first line that is not blank or a comment; undefined without one. */
function throughFirstContentLine(head: string): string | undefined {
  let pos = 0;
  while (pos < head.length) {
    let end = head.indexOf('\n', pos);
    if (end === -1) end = head.length;
    const line = head.slice(pos, end).trim();
    if (line !== '' && !line.startsWith('#')) return head.slice(0, end);
    pos = end + 1;
  }
  return undefined;
}

async function importThreatHashes(
  path: string,
  sink: AdvisorySink,
  ctx: ImportContext,
): Promise<ImportStats> {
  // Parsed before anything is written: a bad line leaves the list's earlier entries in place.
  const list = parseDenyList(await readList(path, ctx), ctx.label);
  const scope = threatListScope(path);
  sink.snapshot(scope);
  let records = 0;
  for (const [sha256, entry] of list) {
    sink.putThreatHash(entry.name === undefined ? { sha256 } : { sha256, name: entry.name });
    if (++records % PROGRESS_EVERY === 0) {
      if (ctx.signal?.aborted) throw new AssayError('aborted', `${ctx.label}: aborted`);
      ctx.progress?.(records);
    }
  }
  ctx.progress?.(records);
  return { records, skipped: 0, scope };
}

async function readList(path: string, ctx: ImportContext): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of feedBytes(path, ctx.label, ctx.signal)) {
    size += chunk.length;
    if (size > MAX_LIST_BYTES)
      throw new AssayError('too-large', `${ctx.label}: over ${MAX_LIST_BYTES} bytes: not a threat hash list`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
