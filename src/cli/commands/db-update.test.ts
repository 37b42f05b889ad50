/**
 * `assay db update` as users run it (a child process) against a feed mirror on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { VulnDb } from '../../vulndb/store.js';
import { fixture, startMirror } from '../../vulndb/update/test-server.js';
import { runAssay } from '../testing/run-cli.js';

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

test('--help documents the sources, the mirror layout and the environment', async () => {
  const r = await assay(['db', 'update', '--help'], { HOME: tmpdir() });
  assert.equal(r.code, 0);
  for (const s of [
    '--mirror <url>',
    '--source-url <name=url>',
    'BASE/osv/<Ecosystem>/all.zip',
    'NVD_API_KEY',
    'alpine-secdb',
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
