/**
 * Fetches NVD CVE API 2.0 pages into a directory for the `nvd` importer
 * (https://nvd.nist.gov/developers/vulnerabilities). The first run pages through everything;
 * later runs ask only for CVEs modified since the last run's start (`lastModStartDate`/
 * `lastModEndDate`, at most 120 days per request, so longer gaps are split into windows).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { AssayError, errorMessage } from '../../model/errors.js';
import { download, type HttpPolicy } from './download.js';
import type { RateLimiter } from './rate-limit.js';

/** NVD rejects a lastModified range longer than 120 consecutive days. */
export const NVD_MAX_WINDOW_DAYS = 120;
/** The API's maximum page size for /cves/2.0. */
export const NVD_PAGE_SIZE = 2000;
/** A page is parsed whole; 2,000 CVEs are tens of MiB, so anything near this is not a page. */
const MAX_PAGE_BYTES = 256 * 1024 * 1024;
const DAY_MS = 86_400_000;

export interface NvdFetchOptions {
  url: string;
  /** Where the pages are written, one JSON file each, named in fetch order. */
  dir: string;
  apiKey?: string | undefined;
  /** The previous run's start time (ISO-8601); absent = first run, fetch everything. */
  cursor?: string | undefined;
  limiter: RateLimiter;
  http: HttpPolicy;
  now?: () => Date;
  pageSize?: number;
  signal?: AbortSignal | undefined;
  onPage?(fetched: number, total: number): void;
  onWait?(ms: number, reason: string): void;
}

export interface NvdFetchResult {
  pages: number;
  /** CVE records in all pages. */
  records: number;
  bytes: number;
  /** Store this as the source's cursor: the next run asks for changes since this instant. */
  cursor: string;
  /** True when this was a full fetch (no usable cursor). */
  full: boolean;
}

export async function fetchNvdPages(opts: NvdFetchOptions): Promise<NvdFetchResult> {
  const start = (opts.now ?? (() => new Date()))();
  const since = parseCursor(opts.cursor, start);
  const windows = since ? nvdWindows(since, start) : [undefined];
  const result: NvdFetchResult = {
    pages: 0,
    records: 0,
    bytes: 0,
    cursor: start.toISOString(),
    full: !since,
  };
  for (const [i, window] of windows.entries()) {
    await fetchWindow(opts, i, window, result);
  }
  return result;
}

function parseCursor(cursor: string | undefined, now: Date): Date | undefined {
  if (!cursor) return undefined;
  const t = Date.parse(cursor);
  if (Number.isNaN(t)) return undefined;
  return new Date(Math.min(t, now.getTime()));
}

/** Splits [from, to] into consecutive windows of at most 120 days. */
export function nvdWindows(from: Date, to: Date): Array<[Date, Date]> {
  const out: Array<[Date, Date]> = [];
  const step = NVD_MAX_WINDOW_DAYS * DAY_MS;
  for (let t = from.getTime(); ; t += step) {
    const end = Math.min(t + step, to.getTime());
    out.push([new Date(t), new Date(end)]);
    if (end >= to.getTime()) return out;
  }
}

/** NVD's documented form, `2021-08-04T13:00:00.000+00:00` (`+` is URL-encoded by URLSearchParams). */
export function nvdDate(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}

async function fetchWindow(
  opts: NvdFetchOptions,
  index: number,
  window: [Date, Date] | undefined,
  result: NvdFetchResult,
): Promise<void> {
  const size = opts.pageSize ?? NVD_PAGE_SIZE;
  for (let startIndex = 0; ; ) {
    const url = new URL(opts.url);
    url.searchParams.set('resultsPerPage', String(size));
    url.searchParams.set('startIndex', String(startIndex));
    if (window) {
      url.searchParams.set('lastModStartDate', nvdDate(window[0]));
      url.searchParams.set('lastModEndDate', nvdDate(window[1]));
    }
    const dest = join(opts.dir, `page-${pad(index, 4)}-${pad(startIndex, 9)}.json`);
    await opts.limiter.acquire(opts.signal, (ms) =>
      opts.onWait?.(ms, `nvd: rate limit of ${opts.limiter.limit} requests per 30 s`),
    );
    const got = await download(
      {
        url: url.href,
        dest,
        what: 'nvd',
        compressible: true,
        headers: opts.apiKey ? { apiKey: opts.apiKey } : {},
        signal: opts.signal,
        ...(opts.onWait ? { onWait: opts.onWait } : {}),
      },
      { ...opts.http, maxBytes: Math.min(opts.http.maxBytes, MAX_PAGE_BYTES) },
    );
    if (got.status !== 'downloaded') throw new AssayError('network', `nvd: ${url.href}: unexpected 304`);
    const page = await readPage(dest, url.href, startIndex);
    await compress(dest);
    result.pages++;
    result.records += page.count;
    result.bytes += got.bytes;
    startIndex += page.count;
    opts.onPage?.(startIndex, page.total);
    if (startIndex >= page.total || page.count === 0) {
      if (startIndex < page.total)
        throw new AssayError(
          'invalid-input',
          `nvd: ${url.href}: empty page before the end (${startIndex} of ${page.total})`,
        );
      return;
    }
  }
}

interface PageHead {
  total: number;
  count: number;
}

/** Checks the paging fields; the records themselves are the importer's business. */
async function readPage(path: string, url: string, requested: number): Promise<PageHead> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new AssayError('invalid-input', `nvd: ${url}: not JSON: ${errorMessage(err)}`, { cause: err });
  }
  if (typeof doc !== 'object' || doc === null) throw notApi(url, 'not an object');
  const { totalResults, startIndex, vulnerabilities } = doc as Record<string, unknown>;
  if (typeof totalResults !== 'number' || !Array.isArray(vulnerabilities))
    throw notApi(url, 'no totalResults/vulnerabilities');
  // A static file server ignores the query string and returns the same page forever.
  if (startIndex !== requested)
    throw notApi(url, `asked for startIndex ${requested}, got ${String(startIndex)}`);
  return { total: totalResults, count: vulnerabilities.length };
}

function notApi(url: string, why: string): AssayError {
  return new AssayError(
    'invalid-input',
    `nvd: ${url}: not an NVD CVE API 2.0 response (${why}); a mirror's nvd/cves/2.0 must answer like the API`,
  );
}

/**
 * A full first run is ~150 pages of 10+ MB; gzipped (the importer reads `.json.gz`) they take
 * a fifth of the disk. Level 1: the point is space, not ratio.
 */
async function compress(path: string): Promise<void> {
  await pipeline(createReadStream(path), createGzip({ level: 1 }), createWriteStream(`${path}.gz`));
  await rm(path);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
