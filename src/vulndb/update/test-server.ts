/**
 * A feed server for tests on 127.0.0.1 (ephemeral port): serves files with ETag, Last-Modified
 * and byte ranges like a CDN, answers conditionals with 304, and plays scripted faults (a status
 * such as 429 with Retry-After, or a connection dropped after N body bytes). Logs every request.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'drop'; afterBytes: number };

export interface Route {
  body: Buffer;
  etag?: string;
  lastModified?: string;
  /** Default true: advertise and honour `Range`; 'ignore': advertise it but always send the whole body (200). */
  ranges?: boolean | 'ignore';
  /** Played one per request, before the route serves normally. */
  faults?: Fault[];
}

export interface LoggedRequest {
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void;

export class FeedServer {
  readonly routes = new Map<string, Route | Handler>();
  readonly requests: LoggedRequest[] = [];
  private server = http.createServer((req, res) => this.handle(req, res));
  port = 0;

  get base(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Serves `body` at `path` with a content-derived strong ETag. */
  file(path: string, body: Buffer, extra: Partial<Route> = {}): Route {
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    const route: Route = { body, etag, lastModified: 'Mon, 30 Nov 2026 04:00:00 GMT', ...extra };
    this.routes.set(path, route);
    return route;
  }

  requestsTo(path: string): LoggedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.base);
    const path = decodeURIComponent(url.pathname);
    this.requests.push({ path, query: url.searchParams, headers: req.headers });
    const route = this.routes.get(path);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (typeof route === 'function') {
      route(req, res, url);
      return;
    }
    const fault = route.faults?.shift();
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, fault.headers).end(fault.body ?? '');
      return;
    }
    serveFile(req, res, route, fault?.kind === 'drop' ? fault.afterBytes : undefined);
  }
}

function serveFile(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  route: Route,
  dropAfter?: number,
): void {
  const headers: Record<string, string> = {};
  if (route.etag) headers.etag = route.etag;
  if (route.lastModified) headers['last-modified'] = route.lastModified;
  const ranges = route.ranges !== false;
  if (ranges) headers['accept-ranges'] = 'bytes';
  if (route.etag && req.headers['if-none-match'] === route.etag) {
    res.writeHead(304, headers).end();
    return;
  }
  let start = 0;
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const ifRange = req.headers['if-range'];
  if (
    ranges &&
    route.ranges !== 'ignore' &&
    range &&
    (!ifRange || ifRange === route.etag || ifRange === route.lastModified)
  ) {
    start = Number(range[1]);
    if (start >= route.body.length) {
      res.writeHead(416, { 'content-range': `bytes */${route.body.length}` }).end();
      return;
    }
    headers['content-range'] = `bytes ${start}-${route.body.length - 1}/${route.body.length}`;
  }
  const part = route.body.subarray(start);
  headers['content-length'] = String(part.length);
  res.writeHead(start > 0 ? 206 : 200, headers);
  if (dropAfter === undefined) {
    res.end(part);
    return;
  }
  res.write(part.subarray(0, dropAfter), () => {
    // Let the bytes reach the client before the connection goes away mid-body.
    setTimeout(() => res.socket?.destroy(), 20);
  });
}

/** An NVD CVE API 2.0 stand-in at `/rest/json/cves/2.0` serving `pages` by their `startIndex`. */
export function serveNvdPages(
  server: FeedServer,
  pages: ReadonlyMap<string, Buffer>,
  path = '/rest/json/cves/2.0',
): void {
  server.routes.set(path, (_req, res, url) => {
    const page = pages.get(url.searchParams.get('startIndex') ?? '');
    if (!page) return void res.writeHead(404, { message: 'Invalid startIndex' }).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(page);
  });
}

const testdata = new URL('./testdata/', import.meta.url);

/** The fixture files at their `--mirror` paths (see README "Mirror layout"). */
export const MIRROR_FILES: Record<string, string> = {
  '/osv/PyPI/all.zip': 'osv-PyPI-all.zip',
  '/debian/tracker.json': 'debian-tracker.json',
  '/alpine/v3.20/main.json': 'alpine-v3.20-main.json',
  '/epss/epss_scores-current.csv.gz': 'epss_scores-current.csv.gz',
  '/kev/known_exploited_vulnerabilities.json': 'kev.json',
};

export function fixture(name: string): Promise<Buffer> {
  return readFile(new URL(name, testdata));
}

/** A mirror of every fixture feed, NVD included (two pages at `nvd/cves/2.0`). */
export async function startMirror(): Promise<FeedServer> {
  const server = await new FeedServer().start();
  for (const [path, name] of Object.entries(MIRROR_FILES)) server.file(path, await fixture(name));
  const pages = new Map([
    ['0', await fixture('nvd-page-0.json')],
    ['2', await fixture('nvd-page-2.json')],
  ]);
  serveNvdPages(server, pages, '/nvd/cves/2.0');
  return server;
}
