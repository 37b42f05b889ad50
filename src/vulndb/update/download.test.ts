import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { isAssayError } from '../../model/errors.js';
import { DEFAULT_HTTP, type DownloadRequest, download, type HttpPolicy } from './download.js';
import { FeedServer } from './test-server.js';

const FAST: HttpPolicy = { ...DEFAULT_HTTP, backoffMs: 10, retries: 3, timeoutMs: 5_000 };

async function setup(t: import('node:test').TestContext) {
  const server = await new FeedServer().start();
  const dir = await mkdtemp(join(tmpdir(), 'assay-download-'));
  t.after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const req = (path: string, extra: Partial<DownloadRequest> = {}): DownloadRequest => ({
    url: new URL(path, server.base).href,
    dest: join(dir, 'out'),
    what: 'test',
    ...extra,
  });
  return { server, dir, req };
}

test('downloads a file and returns its validators; a second request with them gets 304', async (t) => {
  const { server, dir, req } = await setup(t);
  const body = randomBytes(50_000);
  server.file('/feed.json', body);
  const first = await download(req('/feed.json'), FAST);
  assert.equal(first.status, 'downloaded');
  assert.ok(first.status === 'downloaded' && first.etag?.startsWith('"'));
  assert.deepEqual(await readFile(join(dir, 'out')), body);
  const prev = first.status === 'downloaded' ? { etag: first.etag, lastModified: first.lastModified } : {};
  const second = await download(req('/feed.json', { previous: prev }), FAST);
  assert.equal(second.status, 'unchanged');
  const sent = server.requestsTo('/feed.json');
  assert.equal(sent.length, 2);
  assert.equal(sent[0]?.headers['if-none-match'], undefined);
  assert.equal(sent[1]?.headers['if-none-match'], prev.etag);
  assert.equal(sent[1]?.headers['if-modified-since'], 'Mon, 30 Nov 2026 04:00:00 GMT');
});

test('429 with Retry-After: 1 is waited out (and said), then the download succeeds', async (t) => {
  const { server, req } = await setup(t);
  server.file('/f', Buffer.from('hello'), {
    faults: [{ kind: 'status', status: 429, headers: { 'retry-after': '1' } }],
  });
  const waits: Array<[number, string]> = [];
  const started = Date.now();
  const r = await download(req('/f', { onWait: (ms, why) => waits.push([ms, why]) }), FAST);
  assert.equal(r.status, 'downloaded');
  assert.ok(Date.now() - started >= 950, 'waited about a second');
  assert.equal(waits.length, 1);
  assert.equal(waits[0]?.[0], 1000);
  assert.match(waits[0]?.[1] ?? '', /429/);
  assert.equal(server.requestsTo('/f').length, 2);
});

test('Retry-After is capped by the policy', async (t) => {
  const { server, req } = await setup(t);
  server.file('/f', Buffer.from('x'), {
    faults: [{ kind: 'status', status: 503, headers: { 'retry-after': '3600' } }],
  });
  const waits: number[] = [];
  await download(req('/f', { onWait: (ms) => waits.push(ms) }), { ...FAST, maxRetryAfterMs: 50 });
  assert.deepEqual(waits, [50]);
});

test('a connection dropped mid-body resumes with Range + If-Range and appends', async (t) => {
  const { server, dir, req } = await setup(t);
  const body = randomBytes(200_000);
  const route = server.file('/big.zip', body, { faults: [{ kind: 'drop', afterBytes: 70_000 }] });
  const r = await download(req('/big.zip'), FAST);
  assert.equal(r.status, 'downloaded');
  assert.deepEqual(await readFile(join(dir, 'out')), body);
  const sent = server.requestsTo('/big.zip');
  assert.equal(sent.length, 2);
  const range = /^bytes=(\d+)-$/.exec(String(sent[1]?.headers.range));
  assert.ok(range, `resume sent a Range header: ${sent[1]?.headers.range}`);
  assert.ok(Number(range[1]) > 0 && Number(range[1]) <= 70_000);
  assert.equal(sent[1]?.headers['if-range'], route.etag);
});

test('without Accept-Ranges a dropped download restarts from byte 0', async (t) => {
  const { server, dir, req } = await setup(t);
  const body = randomBytes(100_000);
  server.file('/f', body, { ranges: false, faults: [{ kind: 'drop', afterBytes: 30_000 }] });
  await download(req('/f'), FAST);
  assert.deepEqual(await readFile(join(dir, 'out')), body);
  assert.equal(server.requestsTo('/f')[1]?.headers.range, undefined);
});

test('a server answering a resume with 200 (file changed) makes us start over', async (t) => {
  const { server, dir, req } = await setup(t);
  const v1 = randomBytes(80_000);
  const v2 = randomBytes(60_000);
  const route = server.file('/f', v1, { faults: [{ kind: 'drop', afterBytes: 40_000 }] });
  server.routes.set('/f', route);
  // After the drop, publish a new version: its ETag no longer matches If-Range → full 200.
  const swap = setInterval(() => {
    if (server.requestsTo('/f').length >= 1) {
      Object.assign(route, { body: v2, etag: '"v2"' });
      clearInterval(swap);
    }
  }, 1);
  await download(req('/f'), FAST);
  clearInterval(swap);
  assert.deepEqual(await readFile(join(dir, 'out')), v2);
});

test('404 fails at once with code not-found; 5xx is retried then fails', async (t) => {
  const { server, req } = await setup(t);
  await assert.rejects(download(req('/missing'), FAST), (e) => isAssayError(e, 'not-found'));
  assert.equal(server.requestsTo('/missing').length, 1);
  server.file('/down', Buffer.from('x'), {
    faults: Array.from({ length: 5 }, () => ({ kind: 'status' as const, status: 502 })),
  });
  await assert.rejects(download(req('/down'), { ...FAST, retries: 2 }), /HTTP 502/);
  assert.equal(server.requestsTo('/down').length, 3);
});

test('NVD 403 says to set NVD_API_KEY', async (t) => {
  const { server, req } = await setup(t);
  server.file('/nvd', Buffer.from('x'), { faults: [{ kind: 'status', status: 403 }] });
  await assert.rejects(download(req('/nvd', { what: 'nvd' }), FAST), (e) => {
    assert.ok(isAssayError(e, 'forbidden'));
    assert.match(e.message, /NVD_API_KEY/);
    return true;
  });
});

test('a body shorter than Content-Length every time fails as a network error', async (t) => {
  const { server, req } = await setup(t);
  server.file('/f', randomBytes(10_000), {
    ranges: false,
    faults: Array.from({ length: 4 }, () => ({ kind: 'drop' as const, afterBytes: 100 })),
  });
  await assert.rejects(download(req('/f'), { ...FAST, retries: 2 }), (e) => isAssayError(e, 'network'));
});

test('the size cap refuses a bigger download', async (t) => {
  const { server, req } = await setup(t);
  server.file('/f', randomBytes(5_000));
  await assert.rejects(download(req('/f'), { ...FAST, maxBytes: 1_000 }), (e) =>
    isAssayError(e, 'too-large'),
  );
});

test('an idle server times out', async (t) => {
  const { server, req } = await setup(t);
  server.routes.set('/hang', (_req, res) => {
    res.writeHead(200, { 'content-length': '10' });
    res.write('abc');
  });
  await assert.rejects(download(req('/hang'), { ...FAST, timeoutMs: 200, retries: 1 }), (e) =>
    isAssayError(e, 'timeout'),
  );
});

test('progress reports growing byte counts with the total', async (t) => {
  const { server, req } = await setup(t);
  server.file('/f', randomBytes(300_000));
  const seen: Array<[number, number | undefined]> = [];
  await download(req('/f', { onProgress: (b, total) => seen.push([b, total]) }), FAST);
  assert.ok(seen.length >= 1);
  assert.deepEqual(seen.at(-1), [300_000, 300_000]);
});

test('with a weak ETag the resume validator is Last-Modified (If-Range needs a strong one)', async (t) => {
  const { server, dir, req } = await setup(t);
  const body = randomBytes(100_000);
  const route = server.file('/f', body, { etag: 'W/"weak"', faults: [{ kind: 'drop', afterBytes: 50_000 }] });
  await download(req('/f'), FAST);
  assert.deepEqual(await readFile(join(dir, 'out')), body);
  assert.equal(server.requestsTo('/f')[1]?.headers['if-range'], route.lastModified);
});

test('Retry-After as an HTTP date is honoured', async (t) => {
  const { server, req } = await setup(t);
  const when = new Date(Date.now() + 2_000).toUTCString();
  server.file('/f', Buffer.from('x'), {
    faults: [{ kind: 'status', status: 503, headers: { 'retry-after': when } }],
  });
  const waits: number[] = [];
  await download(req('/f', { onWait: (ms) => waits.push(ms) }), FAST);
  assert.equal(waits.length, 1);
  assert.ok((waits[0] ?? 0) > 0 && (waits[0] ?? 0) <= 2_000, String(waits[0]));
});

test('an abort during a Retry-After wait stops at once with code aborted', async (t) => {
  const { server, req } = await setup(t);
  server.file('/f', Buffer.from('x'), {
    faults: [{ kind: 'status', status: 429, headers: { 'retry-after': '60' } }],
  });
  const controller = new AbortController();
  const started = Date.now();
  const p = download(req('/f', { signal: controller.signal, onWait: () => controller.abort() }), FAST);
  await assert.rejects(p, (e) => isAssayError(e, 'aborted'));
  assert.ok(Date.now() - started < 5_000);
});

test('a compressible download accepts gzip and stores the inflated body; others ask for identity', async (t) => {
  const { server, dir, req } = await setup(t);
  const json = Buffer.from(
    JSON.stringify({ items: Array.from({ length: 2000 }, (_, i) => `CVE-2026-${i}`) }),
  );
  server.routes.set('/feed.json', (r, res) => {
    const gzip = String(r.headers['accept-encoding']).includes('gzip');
    const body = gzip ? gzipSync(json) : json;
    res.writeHead(200, {
      'content-length': String(body.length),
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(body);
  });
  const r = await download(req('/feed.json', { compressible: true }), FAST);
  assert.ok(r.status === 'downloaded' && r.bytes === json.length);
  assert.deepEqual(await readFile(join(dir, 'out')), json);
  await download(req('/feed.json'), FAST);
  assert.deepEqual(
    server.requestsTo('/feed.json').map((x) => x.headers['accept-encoding']),
    ['gzip, br', 'identity'],
  );
});
