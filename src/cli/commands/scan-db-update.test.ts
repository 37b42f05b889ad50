/**
 * `assay scan` keeping its DB fresh from a configured repository: a real HTTP server on
 * 127.0.0.1 serving `publishBundle` output of a DB built from the real-format feed excerpts,
 * and a fresh HOME per test (so the DB lands in the default ~/.cache/assay/db).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, type TestContext, test } from 'node:test';
import { ImageResultSchema } from '../../model/result.js';
import { importFeedsDbDir } from '../../scan/testing/advisories.js';
import { publishBundle } from '../../vulndb/distribution/publish.js';
import { FeedServer } from '../../vulndb/update/test-server.js';
import { runAssay } from '../testing/run-cli.js';

const SBOM = `sbom:${new URL('../../scan/testdata/trivy-debian.cdx.json', import.meta.url).pathname}`;
let work: string;
let published: { metadata: Buffer; bundle: Buffer };

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'assay-scan-dbupdate-'));
  await importFeedsDbDir(join(work, 'source'));
  const pub = await publishBundle(join(work, 'source'), join(work, 'pub'));
  published = { metadata: pub.metadataBytes, bundle: await readFile(pub.bundlePath) };
});
after(() => rm(work, { recursive: true, force: true }));

async function setup(t: TestContext) {
  const server = await new FeedServer().start();
  server.file('/db/metadata.json', published.metadata);
  server.file('/db/assay-db.tar.gz', published.bundle);
  const home = await mkdtemp(join(tmpdir(), 'assay-scan-home-'));
  t.after(async () => {
    await server.stop();
    await rm(home, { recursive: true, force: true });
  });
  const dbDir = join(home, '.cache', 'assay', 'db');
  const env = { HOME: home, ASSAY_DB_REPOSITORY: `${server.base}db/` };
  return { server, home, dbDir, env };
}

async function scanJson(args: string[], env: NodeJS.ProcessEnv) {
  const r = await runAssay(['scan', '--format', 'json', ...args, SBOM], env);
  const image = r.stdout ? ImageResultSchema.parse(JSON.parse(r.stdout).images[0]) : undefined;
  return { ...r, image };
}

const metadataRequests = (s: FeedServer) => s.requestsTo('/db/metadata.json').length;

test('no DB: the scan pulls one first (config db-repository) and reports its age', async (t) => {
  const { server, home, dbDir } = await setup(t);
  await writeFile(join(home, '.assay.yaml'), `db-repository: ${server.base}db/\n`);
  const r = await scanJson([], { HOME: home });
  assert.equal(r.code, 1, r.stderr); // the SBOM's libssl3 finding FAILs
  assert.match(
    r.stderr,
    /assay: vulnerability DB updated from .*\/db\/metadata\.json \(.* in .* s\): no DB at /,
  );
  assert.deepEqual(
    r.image?.findings.map((f) => f.id),
    ['CVE-2024-1002'],
  );
  assert.equal(typeof r.image?.database?.ageHours, 'number');
  assert.ok(existsSync(join(dbDir, 'vulnerabilities.db')));

  const again = await scanJson([], { HOME: home });
  assert.equal(again.code, 1, again.stderr);
  assert.equal(metadataRequests(server), 1, 'a fresh DB is not checked again');
  assert.doesNotMatch(again.stderr, /DB update|vulnerability DB/);
});

test('a DB older than --db-max-age is checked (one conditional request when unchanged)', async (t) => {
  const { server, env } = await setup(t);
  assert.equal((await scanJson([], env)).code, 1);
  const r = await scanJson(['--db-max-age', '0'], env);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /vulnerability DB unchanged \(.*\): the DB is [\d.]+ h old \(limit 0 h\)/);
  assert.equal(server.requestsTo('/db/assay-db.tar.gz').length, 1);
  assert.equal(metadataRequests(server), 2);
});

test('the update fails but a DB exists: scan with it, warn, report its age', async (t) => {
  const { server, env, dbDir } = await setup(t);
  assert.equal((await scanJson([], env)).code, 1);
  server.routes.set('/db/metadata.json', {
    body: Buffer.alloc(0),
    faults: [{ kind: 'status', status: 403, body: 'quota exceeded' }],
  });
  const r = await scanJson(['--db-max-age', '0'], env);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /warning: the DB is [\d.]+ h old \(limit 0 h\), and the update failed: .*403/);
  assert.match(r.stderr, /warning: scanning with the DB in place, [\d.]+ h old/);
  assert.equal(typeof r.image?.database?.ageHours, 'number');
  assert.deepEqual((await readdir(dbDir)).sort(), ['repository.json', 'vulnerabilities.db']);
});

test('no DB and the update fails: a clear error, exit 2, nothing scanned', async (t) => {
  const { server, env, dbDir } = await setup(t);
  server.routes.clear();
  const r = await scanJson([], env);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /assay: no DB at .* and none could be pulled: .*404/s);
  assert.equal(r.stdout, '');
  assert.ok(!existsSync(join(dbDir, 'vulnerabilities.db')));
});

test('--offline and --skip-db-update never download', async (t) => {
  const { server, env } = await setup(t);
  for (const flag of ['--offline', '--skip-db-update']) {
    const r = await scanJson([flag], env);
    assert.equal(r.code, 2, flag);
    assert.match(r.stderr, /no vulnerability DB at .*: run `assay db update`/);
  }
  const viaEnv = await scanJson([], { ...env, ASSAY_SKIP_DB_UPDATE: '1' });
  assert.equal(viaEnv.code, 2);
  assert.equal(server.requests.length, 0);
});

test('--db-max-age must be a number of hours', async (t) => {
  const { env } = await setup(t);
  const r = await scanJson(['--db-max-age', 'soon'], env);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--db-max-age must be a number of hours ≥ 0, got "soon"/);
});
