/**
 * `assay db update` as users run it (a child process) against a feed mirror on 127.0.0.1, and
 * pulling a ready-built DB (`--from`) published from the real-format feed excerpts.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { importFeedsDbDir } from '../../scan/testing/advisories.js';
import { publishBundle } from '../../vulndb/distribution/publish.js';
import { generateSigningKeys } from '../../vulndb/distribution/sign.js';
import { VulnDb } from '../../vulndb/store.js';
import { fixture, startMirror } from '../../vulndb/update/test-server.js';
import { runAssay } from '../testing/run-cli.js';
import { progressLine } from './db-pull.js';

const assay = runAssay;

async function setup(t: TestContext) {
  const server = await startMirror();
  const home = await mkdtemp(join(tmpdir(), 'assay-db-update-'));
  t.after(async () => {
    await server.stop();
    await rm(home, { recursive: true, force: true });
  });
  const dir = join(home, 'db');
  const env = { HOME: home, NVD_API_KEY: 'cli-key' };
  return { server, home, dir, env };
}

/** The summary table's STATUS column, by source. */
function statuses(stdout: string): Record<string, string> {
  const rows = stdout.trim().split('\n').slice(1);
  return Object.fromEntries(rows.map((r) => r.split(/\s{2,}/).slice(0, 2) as [string, string]));
}

test('updates the selected sources from a mirror: table on stdout, exit 0, DB in -p', async (t) => {
  const { server, dir, env } = await setup(t);
  const r = await assay(
    [
      'db',
      'update',
      '--mirror',
      server.base,
      '--source',
      'osv:PyPI,debian-tracker',
      '--source',
      'nvd',
      '-p',
      dir,
    ],
    env,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^SOURCE\s+STATUS\s+RECORDS\s+ISSUES\s+DOWNLOADED\s+TIME\s+NOTE/);
  assert.deepEqual(statuses(r.stdout), {
    'osv:PyPI': 'updated',
    'debian-tracker': 'updated',
    nvd: 'updated',
  });
  assert.match(r.stderr, /vulnerability DB updated: .*\(3 updated\)/);
  assert.equal(server.requestsTo('/nvd/cves/2.0')[0]?.headers.apikey, 'cli-key');
  assert.equal(
    server.requestsTo('/epss/epss_scores-current.csv.gz').length,
    0,
    'unselected sources are not fetched',
  );
  const db = VulnDb.open(dir);
  t.after(() => db.close());
  assert.ok(db.advisory('osv', 'PYSEC-2006-1'));

  const again = await assay(
    ['db', 'update', '--mirror', server.base, '--source', 'osv:PyPI', '-p', dir],
    env,
  );
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(statuses(again.stdout), { 'osv:PyPI': 'unchanged' });
  assert.match(again.stdout, /not modified \(HTTP 304\)/);
});

test('a corrupt zip: exit 2, the failure in the table and on stderr, the other source lands', async (t) => {
  const { server, dir, env } = await setup(t);
  const zip = await fixture('osv-PyPI-all.zip');
  server.file('/osv/PyPI/all.zip', zip.subarray(0, 100));
  const r = await assay(
    ['db', 'update', '--mirror', server.base, '--source', 'osv:PyPI,debian-tracker', '-p', dir],
    env,
  );
  assert.equal(r.code, 2);
  assert.deepEqual(statuses(r.stdout), { 'osv:PyPI': 'failed', 'debian-tracker': 'updated' });
  assert.match(r.stderr, /failed osv:PyPI: .*corrupt zip/);
  assert.match(r.stderr, /\(1 updated, 1 failed\)/);
});

test('every source failing: exit 2, the table still printed, and no DB created', async (t) => {
  const { server, dir, env } = await setup(t);
  server.routes.delete('/kev/known_exploited_vulnerabilities.json');
  const r = await assay(['db', 'update', '--mirror', server.base, '--source', 'kev', '-p', dir], env);
  assert.equal(r.code, 2);
  assert.deepEqual(statuses(r.stdout), { kev: 'failed' });
  assert.match(r.stderr, /every selected source failed; the DB was left as it was/);
  assert.throws(() => VulnDb.open(dir));
});

test('precedence: flags > env > config file (mirror and source from the config, source from env)', async (t) => {
  const { server, home, dir, env } = await setup(t);
  const config = join(home, 'assay.yaml');
  await writeFile(config, `mirror: ${server.base}\nsource: [kev]\nvulnerability_db_path: ${dir}\n`);
  const r = await assay(['db', 'update', '--config', config], { ...env, ASSAY_SOURCE: 'debian-tracker' });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(statuses(r.stdout), { 'debian-tracker': 'updated' });
  assert.equal(server.requestsTo('/kev/known_exploited_vulnerabilities.json').length, 0);
  const flag = await assay(['db', 'update', '--config', config, '--source', 'osv:PyPI'], {
    ...env,
    ASSAY_SOURCE: 'debian-tracker',
  });
  assert.deepEqual(statuses(flag.stdout), { 'osv:PyPI': 'updated' });
});

test('--source-url overrides one source; a bad name is a usage error naming the groups', async (t) => {
  const { server, dir, env } = await setup(t);
  server.file('/elsewhere/tracker.json', await fixture('debian-tracker.json'));
  const r = await assay(
    [
      'db',
      'update',
      '--source',
      'debian-tracker',
      '--source-url',
      `debian-tracker=${server.base}elsewhere/tracker.json`,
      '-p',
      dir,
    ],
    env,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(server.requestsTo('/elsewhere/tracker.json').length, 1);
  const bad = await assay(['db', 'update', '--source', 'osv:Cobol', '-p', dir], env);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown source "osv:Cobol"; use a group \(osv, debian-tracker/);
  assert.equal(bad.stdout, '');
});

test('--help documents pulling (--from), the sources, the mirror layout and the environment', async () => {
  const r = await assay(['db', 'update', '--help'], { HOME: tmpdir() });
  assert.equal(r.code, 0);
  for (const s of [
    '--mirror <url>',
    '--source-url <name=url>',
    'BASE/osv/<Ecosystem>/all.zip',
    'NVD_API_KEY',
    'alpine-secdb',
    '--from <source>',
    'ASSAY_DB_REPOSITORY',
    'db-public-key',
    'oci://REGISTRY/REPO:TAG',
  ])
    assert.ok(r.stdout.includes(s), s);
});

test('--format json prints the summary as JSON', async (t) => {
  const { server, dir, env } = await setup(t);
  const r = await assay(
    ['db', 'update', '--mirror', server.base, '--source', 'osv:PyPI', '--format', 'json', '-p', dir],
    env,
  );
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.dir, dir);
  assert.equal(doc.swapped, true);
  assert.deepEqual(
    doc.sources.map((s: { source: string; status: string; records: number }) => [
      s.source,
      s.status,
      s.records,
    ]),
    [['osv:PyPI', 'updated', 3]],
  );
});

// ---- pulling a ready-built DB (--from, ASSAY_DB_REPOSITORY, db-repository) ----

/** A DB built from the real-format feed excerpts, published (signed) and served over HTTP. */
async function publishedServer(t: TestContext) {
  const base = await setup(t);
  const source = join(base.home, 'source-db');
  await importFeedsDbDir(source);
  const keys = generateSigningKeys();
  const pub = await publishBundle(source, join(base.home, 'pub'), { signingKeyPem: keys.privateKeyPem });
  base.server.file('/db/metadata.json', pub.metadataBytes);
  base.server.file('/db/metadata.json.sig', await readFile(pub.signaturePath ?? ''));
  base.server.file('/db/assay-db.tar.gz', await readFile(pub.bundlePath));
  const pubKey = join(base.home, 'good.pub');
  await writeFile(pubKey, keys.publicKeyPem);
  const url = `${base.server.base}db/`;
  return { ...base, source, pub, pubKey, url };
}

async function statusOf(dir: string, env: NodeJS.ProcessEnv) {
  const r = await assay(['db', 'status', '--json', '-p', dir], env);
  assert.equal(r.code, 0, r.stderr);
  const { path: _path, ageHours: _age, sources, ...rest } = JSON.parse(r.stdout);
  return { ...rest, sources: sources.map(({ ageHours: _a, ...s }: { ageHours: number }) => s) };
}

test('--from URL: pulls the published DB; a second run costs one conditional request', async (t) => {
  const { server, dir, env, url, source } = await publishedServer(t);
  const r = await assay(['db', 'update', '--from', url, '-p', dir], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /^vulnerability DB updated from http:\/\/127\.0\.0\.1:\d+\/db\/metadata\.json \([\d.]+ KiB in [\d.]+ s\)\n$/,
  );
  assert.deepEqual(await statusOf(dir, env), await statusOf(source, env));
  const before = server.requests.length;
  const again = await assay(['db', 'update', '--from', url, '-p', dir], env);
  assert.equal(again.code, 0, again.stderr);
  assert.match(
    again.stdout,
    /^vulnerability DB unchanged \(http:\/\/127\.0\.0\.1:\d+\/db\/metadata\.json\)\n$/,
  );
  const paths = server.requests.slice(before).map((q) => q.path);
  assert.deepEqual(paths, ['/db/metadata.json']);
  const json = await assay(['db', 'update', '--from', url, '-p', dir, '--format', 'json'], env);
  assert.equal(JSON.parse(json.stdout).status, 'unchanged');
});

test('sources are tried in order: a dead mirror, then the fallback; all failing = exit 2, DB intact', async (t) => {
  const { dir, env, url, server, source } = await publishedServer(t);
  const dead = `${server.base}missing/`;
  const r = await assay(['db', 'update', '--from', dead, '--from', url, '-p', dir], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /missing\/.*failed: .*404.*trying next/s);
  assert.match(r.stdout, /updated from http:\/\/127\.0\.0\.1:\d+\/db\//);
  server.file('/db/assay-db.tar.gz', Buffer.from('not a bundle'));
  server.file('/db/metadata.json', Buffer.from('{}'));
  const bad = await assay(['db', 'update', '--from', dead, '--from', url, '-p', dir], env);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /none of the 2 DB repositories could be used; the DB in use is unchanged/);
  assert.deepEqual(await statusOf(dir, env), await statusOf(source, env));
  assert.deepEqual((await readdir(dir)).sort(), ['repository.json', 'vulnerabilities.db']);
});

test('--public-key: the signed DB verifies; another key is refused and the DB in use stays', async (t) => {
  const { dir, env, url, pubKey, home, source } = await publishedServer(t);
  const ok = await assay(['db', 'update', '--from', url, '--public-key', pubKey, '-p', dir], env);
  assert.equal(ok.code, 0, ok.stderr);
  const other = join(home, 'other.pub');
  await writeFile(other, generateSigningKeys().publicKeyPem);
  const r = await assay(['db', 'update', '--from', url, '-p', dir], { ...env, ASSAY_DB_PUBLIC_KEY: other });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /signature of .*db\/.* does not verify with the configured public key/);
  assert.deepEqual(await statusOf(dir, env), await statusOf(source, env));
  assert.deepEqual((await readdir(dir)).sort(), ['repository.json', 'vulnerabilities.db']);
});

test('precedence: --from > ASSAY_DB_REPOSITORY > config db-repository; feed flags still build from feeds', async (t) => {
  const { dir, env, url, home, server } = await publishedServer(t);
  const config = join(home, 'assay.yaml');
  await writeFile(config, `db-repository: [${server.base}from-config/]\nvulnerability_db_path: ${dir}\n`);
  const fromConfig = await assay(['db', 'update', '--config', config], env);
  assert.equal(fromConfig.code, 2);
  assert.match(fromConfig.stderr, /from-config\//);
  const fromEnv = await assay(['db', 'update', '--config', config], {
    ...env,
    ASSAY_DB_REPOSITORY: `${server.base}from-env/,${url}`,
  });
  assert.equal(fromEnv.code, 0, fromEnv.stderr);
  assert.match(fromEnv.stderr, /from-env\/metadata\.json failed/);
  assert.equal(server.requestsTo('/from-config/metadata.json').length, 1);
  const flag = await assay(['db', 'update', '--config', config, '--from', url], {
    ...env,
    ASSAY_DB_REPOSITORY: `${server.base}from-env/`,
  });
  assert.equal(flag.code, 0, flag.stderr);
  assert.equal(server.requestsTo('/from-env/metadata.json').length, 1, 'the flag replaced the env list');
  const feeds = await assay(
    ['db', 'update', '--config', config, '--mirror', server.base, '--source', 'kev'],
    env,
  );
  assert.equal(feeds.code, 0, feeds.stderr);
  assert.deepEqual(statuses(feeds.stdout), { kev: 'updated' });
  const both = await assay(['db', 'update', '--from', url, '--source', 'kev', '-p', dir], env);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--from pulls a ready-built DB: it does not go with --source/);
});

test('the token goes only to the --apiurl origin, never to a mirror tried first', async (t) => {
  const { dir, env, server, pub } = await publishedServer(t);
  const manager = await startMirror();
  t.after(() => manager.stop());
  // The manager's layout: the bundle is `bundle` next to `metadata` (unsigned here).
  manager.file('/api/v1/db/bundle', await readFile(pub.bundlePath));
  const meta = { ...pub.metadata, bundle: { ...pub.metadata.bundle, file: 'bundle' } };
  manager.file('/api/v1/db/metadata', Buffer.from(JSON.stringify(meta)));
  const managerUrl = `${manager.base}api/v1/db/metadata`;
  const r = await assay(
    ['db', 'update', '--from', `${server.base}gone/`, '--from', managerUrl, '-a', manager.base, '-p', dir],
    { ...env, ASSAY_TOKEN: 'secret-token' },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(server.requestsTo('/gone/metadata.json')[0]?.headers.authorization, undefined);
  assert.equal(manager.requestsTo('/api/v1/db/metadata')[0]?.headers.authorization, 'Bearer secret-token');
  assert.equal(manager.requestsTo('/api/v1/db/bundle')[0]?.headers.authorization, 'Bearer secret-token');
  assert.ok(!r.stderr.includes('secret-token'));
});

test('progressLine draws a bar with the share and sizes', () => {
  assert.equal(progressLine(512, undefined), 'downloading 512 bytes');
  assert.match(progressLine(50, 100), /^downloading \[#{12}-{12}\] 50% 50 bytes of 100 bytes$/);
});
