/**
 * `updateDb` end to end: a real feed server on 127.0.0.1 laid out as a mirror, the real
 * importers and the real SQLite build with its atomic swap.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { isAssayError } from '../../model/errors.js';
import { dbFilePath, VulnDb } from '../store.js';
import { DEFAULT_HTTP } from './download.js';
import { type UpdateEvent, UpdateFailedError, type UpdateSummary } from './outcome.js';
import { fixture, startMirror } from './test-server.js';
import { type UpdateOptions, updateDb } from './update.js';

const ALL = ['osv:PyPI', 'debian-tracker', 'alpine-secdb:v3.20/main', 'epss', 'kev', 'nvd'];
const NOW = new Date('2026-11-30T05:00:00.000Z');

async function setup(t: TestContext) {
  const server = await startMirror();
  const dir = await mkdtemp(join(tmpdir(), 'assay-update-'));
  t.after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const events: UpdateEvent[] = [];
  const run = (extra: Partial<UpdateOptions> = {}) =>
    updateDb(dir, {
      sources: ALL,
      mirror: server.base,
      env: { NVD_API_KEY: 'test-key' },
      http: { ...DEFAULT_HTTP, backoffMs: 10, timeoutMs: 5_000 },
      now: () => NOW,
      onEvent: (e) => events.push(e),
      ...extra,
    });
  return { server, dir, run, events };
}

function statusOf(summary: UpdateSummary): Record<string, string> {
  return Object.fromEntries(summary.sources.map((s) => [s.source, s.status]));
}

function withDb<T>(dir: string, fn: (db: VulnDb) => T): T {
  const db = VulnDb.open(dir);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

test('first update imports every source; the second sends validators and gets 304 → unchanged', async (t) => {
  const { server, dir, run } = await setup(t);
  const first = await run();
  assert.deepEqual(
    first.sources.filter((s) => s.status !== 'updated').map((s) => s.error),
    [],
    'every source updated',
  );
  assert.equal(first.swapped, true);
  const osv = first.sources.find((s) => s.source === 'osv:PyPI');
  assert.equal(osv?.records, 3);
  assert.equal(osv?.bytes, (await fixture('osv-PyPI-all.zip')).length);
  withDb(dir, (db) => {
    assert.ok(db.advisory('osv', 'PYSEC-2005-1'), 'OSV record imported');
    assert.ok(db.source('osv:PyPI')?.etag?.startsWith('"'));
    assert.equal(db.source('osv:PyPI')?.url, `${server.base}osv/PyPI/all.zip`);
    assert.equal(db.source('nvd')?.cursor, NOW.toISOString());
    assert.ok(db.cvss(['CVE-2023-45391']).length > 0, 'the second NVD page was imported');
  });
  const before = (await stat(dbFilePath(dir))).mtimeMs;

  const second = await run({ sources: ALL.filter((s) => s !== 'nvd') });
  assert.deepEqual(Object.values(statusOf(second)), Array(5).fill('unchanged'));
  assert.equal(second.swapped, false, 'nothing changed: the DB file is not rewritten');
  assert.equal((await stat(dbFilePath(dir))).mtimeMs, before);
  const zip = server.requestsTo('/osv/PyPI/all.zip');
  assert.equal(zip.length, 2);
  assert.equal(zip[0]?.headers['if-none-match'], undefined);
  assert.match(String(zip[1]?.headers['if-none-match']), /^"[0-9a-f]{16}"$/);
  // No download leftovers in the DB directory.
  assert.deepEqual(
    (await readdir(dir)).filter((n) => n.startsWith('.update-')),
    [],
  );
});

test('NVD: two pages by startIndex with the API key; the next run is incremental from the cursor', async (t) => {
  const { server, dir, run } = await setup(t);
  const first = await run({ sources: ['nvd'] });
  assert.equal(statusOf(first).nvd, 'updated');
  assert.equal(first.sources[0]?.records, 3);
  const sent = server.requestsTo('/nvd/cves/2.0');
  assert.deepEqual(
    sent.map((r) => [r.query.get('startIndex'), r.query.get('resultsPerPage'), r.headers.apikey]),
    [
      ['0', '2000', 'test-key'],
      ['2', '2000', 'test-key'],
    ],
  );
  assert.equal(sent[0]?.query.get('lastModStartDate'), null);
  const later = new Date(NOW.getTime() + 86_400_000);
  await run({ sources: ['nvd'], now: () => later });
  const incremental = server.requestsTo('/nvd/cves/2.0').slice(2);
  assert.equal(incremental[0]?.query.get('lastModStartDate'), '2026-11-30T05:00:00.000+00:00');
  assert.equal(incremental[0]?.query.get('lastModEndDate'), '2026-12-01T05:00:00.000+00:00');
  withDb(dir, (db) => assert.equal(db.source('nvd')?.cursor, later.toISOString()));
});

test('download folders left by a crashed update are removed', async (t) => {
  const { dir, run } = await setup(t);
  await mkdir(join(dir, '.update-999999-1', 'src-x'), { recursive: true });
  await writeFile(join(dir, '.update-999999-1', 'src-x', 'all.zip'), 'partial');
  await run({ sources: ['debian-tracker'] });
  assert.deepEqual(
    (await readdir(dir)).filter((n) => n.startsWith('.update-')),
    [],
  );
});

test('ASSAY_NVD_API_KEY is read too, and wins over NVD_API_KEY', async (t) => {
  const { server, run } = await setup(t);
  await run({ sources: ['nvd'], env: { NVD_API_KEY: 'plain', ASSAY_NVD_API_KEY: 'assay' } });
  assert.equal(server.requestsTo('/nvd/cves/2.0')[0]?.headers.apikey, 'assay');
});

test('NVD with nothing modified only moves the cursor', async (t) => {
  const { server, dir, run } = await setup(t);
  await run({ sources: ['nvd'] });
  const none = Buffer.from(
    JSON.stringify({
      resultsPerPage: 0,
      startIndex: 0,
      totalResults: 0,
      format: 'NVD_CVE',
      version: '2.0',
      vulnerabilities: [],
    }),
  );
  server.routes.set('/nvd/cves/2.0', (_req, res) => void res.writeHead(200).end(none));
  const later = new Date(NOW.getTime() + 3_600_000);
  const r = await run({ sources: ['nvd'], now: () => later });
  assert.equal(statusOf(r).nvd, 'unchanged');
  withDb(dir, (db) => {
    assert.equal(db.source('nvd')?.cursor, later.toISOString());
    assert.ok(db.cvss(['CVE-2023-45391']).length > 0, 'earlier NVD data kept');
  });
});

test('a 429 with Retry-After: 1 is waited out and reported, then the source lands', async (t) => {
  const { server, dir, run, events } = await setup(t);
  const route = server.routes.get('/osv/PyPI/all.zip');
  assert.ok(route && typeof route !== 'function');
  route.faults = [{ kind: 'status', status: 429, headers: { 'retry-after': '1' } }];
  const r = await run({ sources: ['osv:PyPI'] });
  assert.equal(statusOf(r)['osv:PyPI'], 'updated');
  const wait = events.find((e) => e.kind === 'wait');
  assert.ok(wait?.kind === 'wait' && wait.ms === 1000 && /429/.test(wait.reason), JSON.stringify(wait));
  withDb(dir, (db) => assert.ok(db.advisory('osv', 'PYSEC-2006-2')));
});

test('a connection dropped mid-body is resumed with Range; the imported file is whole', async (t) => {
  const { server, dir, run } = await setup(t);
  const route = server.routes.get('/osv/PyPI/all.zip');
  assert.ok(route && typeof route !== 'function');
  route.faults = [{ kind: 'drop', afterBytes: 1000 }];
  const r = await run({ sources: ['osv:PyPI'] });
  assert.equal(statusOf(r)['osv:PyPI'], 'updated', r.sources[0]?.error);
  const sent = server.requestsTo('/osv/PyPI/all.zip');
  assert.equal(sent.length, 2);
  assert.match(String(sent[1]?.headers.range), /^bytes=\d+-$/);
  assert.ok(Number(/\d+/.exec(String(sent[1]?.headers.range))?.[0]) > 0);
  assert.equal(sent[1]?.headers['if-range'], route.etag);
  withDb(dir, (db) => {
    for (const id of ['PYSEC-2005-1', 'PYSEC-2006-1', 'PYSEC-2006-2']) assert.ok(db.advisory('osv', id), id);
  });
});

test('a corrupt zip fails its source only: the old records of that source stay, the others land', async (t) => {
  const { server, dir, run } = await setup(t);
  await run({ sources: ['osv:PyPI', 'debian-tracker'] });
  const goodEtag = withDb(dir, (db) => db.source('osv:PyPI')?.etag);
  const zip = await fixture('osv-PyPI-all.zip');
  server.file('/osv/PyPI/all.zip', zip.subarray(0, zip.length - 40));
  // A new tracker file, so that source has something to land.
  const tracker = JSON.parse((await fixture('debian-tracker.json')).toString('utf8'));
  server.file('/debian/tracker.json', Buffer.from(JSON.stringify(tracker)));
  const r = await run({ sources: ['osv:PyPI', 'debian-tracker'] });
  assert.deepEqual(statusOf(r), { 'osv:PyPI': 'failed', 'debian-tracker': 'updated' });
  const failed = r.sources.find((s) => s.source === 'osv:PyPI');
  assert.match(failed?.error ?? '', /^osv:PyPI: http:\S+ \(osv\): corrupt zip: .*truncated/);
  assert.equal(r.swapped, true);
  withDb(dir, (db) => {
    for (const id of ['PYSEC-2005-1', 'PYSEC-2006-1', 'PYSEC-2006-2']) assert.ok(db.advisory('osv', id), id);
    assert.equal(db.source('osv:PyPI')?.etag, goodEtag, 'the failed source keeps its old validators');
  });
});

test('when every source fails nothing is swapped and the error carries the summary', async (t) => {
  const { server, dir, run } = await setup(t);
  server.routes.delete('/kev/known_exploited_vulnerabilities.json');
  await assert.rejects(run({ sources: ['kev'] }), (e) => {
    assert.ok(e instanceof UpdateFailedError);
    assert.equal(e.summary.sources[0]?.status, 'failed');
    assert.equal(e.summary.sources[0]?.errorCode, 'not-found');
    assert.match(e.summary.sources[0]?.error ?? '', /kev: .*404.*mirror/);
    return true;
  });
  await assert.rejects(stat(dbFilePath(dir)), /ENOENT/);

  // With a DB in place: it is left exactly as it was.
  await run({ sources: ['debian-tracker'] });
  const before = await stat(dbFilePath(dir));
  server.file('/debian/tracker.json', Buffer.from('{"broken": '));
  await assert.rejects(run({ sources: ['debian-tracker'] }), UpdateFailedError);
  const after = await stat(dbFilePath(dir));
  assert.equal(after.mtimeMs, before.mtimeMs);
  assert.equal(after.ino, before.ino, 'not swapped');
  withDb(dir, (db) => assert.equal(db.source('debian-tracker')?.records, 3));
});

test('an Alpine release that is not published is skipped, not failed', async (t) => {
  const { run } = await setup(t);
  const r = await run({ sources: ['alpine-secdb:v3.22/main', 'osv:PyPI'] });
  assert.deepEqual(statusOf(r), { 'osv:PyPI': 'updated', 'alpine-secdb:v3.22/main': 'skipped' });
  assert.match(r.sources.find((s) => s.status === 'skipped')?.note ?? '', /404/);
});

test('--source-url sends one source elsewhere', async (t) => {
  const { server, dir, run } = await setup(t);
  server.file('/custom/pypi.zip', await fixture('osv-PyPI-all.zip'));
  const r = await run({ sources: ['osv:PyPI'], sourceUrls: { 'osv:PyPI': `${server.base}custom/pypi.zip` } });
  assert.equal(statusOf(r)['osv:PyPI'], 'updated', r.sources[0]?.error);
  assert.equal(server.requestsTo('/custom/pypi.zip').length, 1);
  assert.equal(server.requestsTo('/osv/PyPI/all.zip').length, 0);
  withDb(dir, (db) => assert.equal(db.source('osv:PyPI')?.url, `${server.base}custom/pypi.zip`));
});

test('an unknown source is a usage error before anything is fetched', async (t) => {
  const { server, run } = await setup(t);
  await assert.rejects(run({ sources: ['osv:Nope'] }), (e) => isAssayError(e, 'usage'));
  assert.equal(server.requests.length, 0);
});
