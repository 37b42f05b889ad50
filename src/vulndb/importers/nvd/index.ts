/**
 * NVD CVE API 2.0 importer (https://nvd.nist.gov/developers/vulnerabilities): one response page,
 * a gzipped page, or a directory of pages as the updater saves them. Writes one `nvd` advisory
 * per CVE (description, dates, references) and its CVSS scores through `putCvss` (replacing what an earlier import stored for the CVE), keyed by the
 * CVE id. NVD is fetched incrementally (`lastModStartDate`), so nothing is a snapshot: records
 * are upserted and CVEs absent from a page are left alone.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AssayError, errorMessage } from '../../../model/errors.js';
import type { AdvisoryImporter, AdvisorySink, ImportContext, ImportStats } from '../../importer.js';
import { laterOf, normalizeTimestamp } from '../common/cve-common.js';
import { readCapped, readHeadSync } from '../common/read-input.js';
import { parseNvdCve } from './parse.js';

/**
 * A page is parsed whole. NVD caps pages at 2,000 CVEs (`resultsPerPage`), a few tens of MB;
 * far beyond that the file is not a page.
 */
export const MAX_PAGE_BYTES = 512 * 1024 * 1024;
const PROGRESS_EVERY = 1000;

const PAGE_FILE = /\.json(\.gz)?$/i;
const looksLikePage = (head: string): boolean =>
  /"format"\s*:\s*"NVD_CVE"/.test(head) ||
  (head.includes('"resultsPerPage"') && head.includes('"vulnerabilities"'));

/** The page files of a directory, in name order (the updater names them by start index). */
function pageFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile() && PAGE_FILE.test(d.name))
    .map((d) => d.name)
    .sort()
    .map((name) => join(dir, name));
}

export const nvdImporter = {
  id: 'nvd',
  version: 1,
  detect(head: string, path: string): boolean {
    if (/\.(zip|tar(\.gz)?|tgz)$/i.test(path)) return false;
    if (!path.endsWith('/')) return looksLikePage(head);
    try {
      const first = pageFiles(path)[0];
      return first !== undefined && looksLikePage(readHeadSync(first));
    } catch {
      return false;
    }
  },
  async import(path: string, sink: AdvisorySink, ctx: ImportContext): Promise<ImportStats> {
    const files = isDirectory(path) ? pageFiles(path) : [path];
    const stats: ImportStats = { records: 0, skipped: 0 };
    for (const file of files) await importPage(file, sink, ctx, stats);
    return stats;
  },
} satisfies AdvisoryImporter;

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch (err) {
    throw new AssayError('not-found', `${path}: ${errorMessage(err)}`, { cause: err });
  }
}

/**
 * One page. A page that cannot be read at all throws, even inside a directory: NVD is imported
 * by increments, and a silently missing page would let the cursor move past CVEs never stored.
 */
async function importPage(file: string, sink: AdvisorySink, ctx: ImportContext, stats: ImportStats) {
  const page = await readPage(file);
  stats.dataDate = laterOf(stats.dataDate, normalizeTimestamp(page.timestamp));
  page.vulnerabilities.forEach((item, i) => {
    if (ctx.signal?.aborted)
      throw new AssayError('aborted', `${file}: aborted`, { cause: ctx.signal.reason });
    const cve = typeof item === 'object' && item !== null && 'cve' in item ? item.cve : undefined;
    if (cve === undefined) {
      ctx.issue({ file, record: `vulnerabilities[${i}]`, message: 'not a {"cve": {…}} item' });
      stats.skipped++;
      return;
    }
    const parsed = parseNvdCve(cve);
    const record = parsed.id ?? `vulnerabilities[${i}]`;
    for (const message of parsed.problems) ctx.issue({ file, record, message });
    if (!parsed.advisory) {
      stats.skipped++;
      return;
    }
    sink.putAdvisory(parsed.advisory);
    sink.putCvss('nvd', parsed.advisory.id, parsed.scores);
    stats.records++;
    if (stats.records % PROGRESS_EVERY === 0) ctx.progress?.(stats.records);
  });
}

interface Page {
  timestamp?: string;
  vulnerabilities: unknown[];
}

async function readPage(file: string): Promise<Page> {
  const bytes = await readCapped(file, MAX_PAGE_BYTES).catch((err: unknown) => {
    throw err instanceof AssayError && err.code === 'too-large'
      ? new AssayError('invalid-input', `${file}: NVD page larger than ${MAX_PAGE_BYTES} bytes`, {
          cause: err,
        })
      : err;
  });
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new AssayError('invalid-input', `${file}: not valid JSON (truncated?): ${errorMessage(err)}`, {
      cause: err,
    });
  }
  if (
    typeof json !== 'object' ||
    json === null ||
    !('vulnerabilities' in json) ||
    !Array.isArray(json.vulnerabilities)
  )
    throw new AssayError('invalid-input', `${file}: not an NVD CVE API 2.0 page (no "vulnerabilities" list)`);
  if ('format' in json && json.format !== 'NVD_CVE')
    throw new AssayError('invalid-input', `${file}: format ${JSON.stringify(json.format)} is not NVD_CVE`);
  const timestamp = 'timestamp' in json && typeof json.timestamp === 'string' ? json.timestamp : undefined;
  return { timestamp, vulnerabilities: json.vulnerabilities };
}
