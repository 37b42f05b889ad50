/**
 * CVE JSON 5 record importer: one record, a cvelistV5/vulnrichment tree, or a `.tar.gz` or `.zip`
 * of one (also cvelistV5's zip in a zip). Writes one `cve5` advisory per CVE (description, dates,
 * references, CWE ids) and the scores of the CNA and ADP containers through `putCvss`, keyed by
 * the CVE id (replacing earlier scores of the CVE). A tree may be partial (a delta), so nothing
 * is a snapshot: records are upserted.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AssayError, errorMessage } from '../../../model/errors.js';
import type { AdvisoryImporter, AdvisorySink, ImportContext, ImportStats } from '../../importer.js';
import { laterOf } from '../common/cve-common.js';
import { readHeadSync } from '../common/read-input.js';
import { parseCveRecord } from './parse.js';
import {
  isRecordName,
  isTarGz,
  isZipName,
  RECORD_FILE,
  type RecordBytes,
  recordsIn,
} from './record-files.js';
import { fileStartSync, zipStartHolds } from './zip-head.js';

const PROGRESS_EVERY = 1000;
const isRecordHead = (head: string): boolean => /"dataType"\s*:\s*"CVE_RECORD"/.test(head);

/**
 * The first record file of a tree, looking down the first few levels (`<year>/<n>xxx/`) only
 * through the first sub-directory of each: enough to recognise the layout without a walk.
 */
function firstRecordFile(dir: string, depth = 0): string | undefined {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  const file = entries.find((e) => e.isFile() && RECORD_FILE.test(e.name));
  if (file) return join(dir, file.name);
  const sub = entries.find((e) => e.isDirectory() && !e.name.startsWith('.'));
  return sub && depth < 3 ? firstRecordFile(join(dir, sub.name), depth + 1) : undefined;
}

/**
 * A zip whose names (`head`: the first entries' names) include a record file or a nested zip,
 * and whose first record — looked up from the file's first bytes — is a CVE record, not an NVD
 * API response of the same name.
 */
function zipHoldsRecords(head: string, path: string): boolean {
  const names = head.split('\n');
  if (!names.some((n) => isRecordName(n) || isZipName(n))) return false;
  return zipStartHolds(fileStartSync(path), isRecordName, isRecordHead);
}

export const cve5Importer = {
  id: 'cve5',
  // 2: CWE ids; modified falls back to datePublished.
  version: 2,
  detect(head: string, path: string): boolean {
    // The head of a .tar.gz is the tar stream: entry names in headers, then the first records.
    if (isTarGz(path)) return /CVE-\d{4}-\d{4,}\.json\0/.test(head) && isRecordHead(head);
    if (isZipName(path)) return zipHoldsRecords(head, path);
    if (!path.endsWith('/')) return isRecordHead(head);
    try {
      const first = firstRecordFile(path);
      return first !== undefined && isRecordHead(readHeadSync(first));
    } catch {
      return false;
    }
  },
  async import(path: string, sink: AdvisorySink, ctx: ImportContext): Promise<ImportStats> {
    const stats: ImportStats = { records: 0, skipped: 0 };
    for await (const item of recordsIn(path, ctx.maxRecordBytes)) {
      if (ctx.signal?.aborted)
        throw new AssayError('aborted', `${path}: aborted`, { cause: ctx.signal.reason });
      importRecord(item, sink, ctx, stats);
    }
    return stats;
  },
} satisfies AdvisoryImporter;

function importRecord(item: RecordBytes, sink: AdvisorySink, ctx: ImportContext, stats: ImportStats): void {
  const json = item.bytes ? parseJson(item.bytes) : { error: item.problem ?? 'no content' };
  if ('error' in json) {
    ctx.issue({ file: item.file, record: item.nameId, message: json.error });
    stats.skipped++;
    return;
  }
  const parsed = parseCveRecord(json.value);
  const record = parsed.id ?? item.nameId;
  for (const message of parsed.problems) ctx.issue({ file: item.file, record, message });
  if (!parsed.advisory) {
    stats.skipped++;
    return;
  }
  sink.putAdvisory(parsed.advisory);
  sink.putCvss('cve5', parsed.advisory.id, parsed.scores);
  stats.records++;
  stats.dataDate = laterOf(stats.dataDate, parsed.advisory.modified);
  if (stats.records % PROGRESS_EVERY === 0) ctx.progress?.(stats.records);
}

function parseJson(bytes: Buffer | string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8')) };
  } catch (err) {
    return { error: `not valid JSON: ${errorMessage(err)}` };
  }
}
