import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { DEFAULT_HTTP } from './download.js';
import { fetchNvdPages, nvdDate, nvdWindows } from './nvd.js';
import { type Clock, RateLimiter } from './rate-limit.js';
import { FeedServer, serveNvdPages } from './test-server.js';

const testdata = new URL('./testdata/', import.meta.url);
const HTTP = { ...DEFAULT_HTTP, backoffMs: 10, retries: 2, timeoutMs: 5_000 };

/** An NVD API stand-in serving the two fixture pages by `startIndex`. */
async function nvdServer(): Promise<FeedServer> {
  const pages = new Map([
    ['0', await readFile(new URL('nvd-page-0.json', testdata))],
    ['2', await readFile(new URL('nvd-page-2.json', testdata))],
  ]);
  const server = await new FeedServer().start();
  serveNvdPages(server, pages);
  return server;
}

async function setup(t: import('node:test').TestContext) {
  const server = await nvdServer();
  const dir = await mkdtemp(join(tmpdir(), 'assay-nvd-'));
  t.after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });
  return { server, dir, url: `${server.base}rest/json/cves/2.0` };
}

const noWait: Clock = { now: () => Date.now(), sleep: async () => undefined };
const NOW = new Date('2026-11-30T05:00:00.000Z');

test('first run pages through everything without date filters; the cursor is the start time', async (t) => {
  const { server, dir, url } = await setup(t);
  const r = await fetchNvdPages({
    url,
    dir,
    apiKey: 'k-123',
    limiter: new RateLimiter(50, 30_000, noWait),
    http: HTTP,
    now: () => NOW,
  });
  assert.deepEqual(r, { pages: 2, records: 3, bytes: r.bytes, cursor: NOW.toISOString(), full: true });
  const sent = server.requestsTo('/rest/json/cves/2.0');
  assert.deepEqual(
    sent.map((s) => s.query.get('startIndex')),
    ['0', '2'],
  );
  for (const s of sent) {
    assert.equal(s.query.get('resultsPerPage'), '2000');
    assert.equal(s.query.get('lastModStartDate'), null);
    assert.equal(s.headers.apikey, 'k-123');
  }
  const files = (await readdir(dir)).sort();
  assert.deepEqual(files, ['page-0000-000000000.json.gz', 'page-0000-000000002.json.gz']);
  const second = JSON.parse(gunzipSync(await readFile(join(dir, files[1] ?? ''))).toString('utf8'));
  assert.equal(second.vulnerabilities[0].cve.id, 'CVE-2023-45391');
});

test('an incremental run asks for lastModStartDate..now in windows of at most 120 days', async (t) => {
  const { server, dir, url } = await setup(t);
  const cursor = '2026-05-01T00:00:00.000Z'; // 213 days before NOW → two windows
  const r = await fetchNvdPages({
    url,
    dir,
    cursor,
    limiter: new RateLimiter(5, 30_000, noWait),
    http: HTTP,
    now: () => NOW,
  });
  assert.equal(r.full, false);
  assert.equal(r.pages, 4);
  const sent = server.requestsTo('/rest/json/cves/2.0');
  const windows = [
    ...new Set(sent.map((s) => `${s.query.get('lastModStartDate')}..${s.query.get('lastModEndDate')}`)),
  ];
  assert.deepEqual(windows, [
    '2026-05-01T00:00:00.000+00:00..2026-08-29T00:00:00.000+00:00',
    '2026-08-29T00:00:00.000+00:00..2026-11-30T05:00:00.000+00:00',
  ]);
  assert.equal(sent[0]?.headers.apikey, undefined);
  // The + of the offset must reach the server encoded, or it decodes as a space.
  assert.ok(sent.every((s) => !s.query.get('lastModStartDate')?.includes(' ')));
});

test('without a key the limiter spaces requests: the 6th waits for the window', async (t) => {
  const { dir } = await setup(t);
  const server = await new FeedServer().start();
  t.after(() => server.stop());
  // A 12-result query served 2 per page: 6 requests.
  server.routes.set('/api', (_req, res, url) => {
    const startIndex = Number(url.searchParams.get('startIndex'));
    const vulnerabilities = [
      { cve: { id: `CVE-2026-${startIndex}` } },
      { cve: { id: `CVE-2026-${startIndex + 1}` } },
    ];
    res
      .writeHead(200)
      .end(JSON.stringify({ resultsPerPage: 2, startIndex, totalResults: 12, vulnerabilities }));
  });
  let t0 = 0;
  const waits: number[] = [];
  const clock: Clock = {
    now: () => t0,
    sleep: async (ms) => {
      waits.push(ms);
      t0 += ms;
    },
  };
  const r = await fetchNvdPages({
    url: `${server.base}api`,
    dir,
    limiter: new RateLimiter(5, 30_000, clock),
    http: HTTP,
    pageSize: 2,
  });
  assert.equal(r.records, 12);
  assert.deepEqual(waits, [30_000]);
});

test('a server that ignores startIndex (a static file) is refused, not looped on', async (t) => {
  const { dir } = await setup(t);
  const server = await new FeedServer().start();
  t.after(() => server.stop());
  server.file('/static', await readFile(new URL('nvd-page-0.json', testdata)));
  await assert.rejects(
    fetchNvdPages({
      url: `${server.base}static`,
      dir,
      limiter: new RateLimiter(5, 30_000, noWait),
      http: HTTP,
    }),
    /not an NVD CVE API 2.0 response \(asked for startIndex 2, got 0\)/,
  );
});

test('windows and dates', () => {
  const a = new Date('2026-01-01T00:00:00Z');
  assert.equal(nvdWindows(a, a).length, 1);
  assert.equal(nvdWindows(a, new Date('2026-04-30T00:00:00Z')).length, 1); // 119 days
  assert.equal(nvdWindows(a, new Date('2026-05-02T00:00:00Z')).length, 2); // 121 days
  assert.equal(nvdDate(a), '2026-01-01T00:00:00.000+00:00');
});
