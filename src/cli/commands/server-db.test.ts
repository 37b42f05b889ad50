/**
 * The manager as the DB source of a cluster, through the real processes: `assay server
 * --db-path … --db-sign-key …` serving a DB built from the real-format feed excerpts, and a
 * scanner in a fresh HOME pulling it with `assay db update --from MANAGER/api/v1/db/metadata`.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { importFeedsDbDir } from '../../scan/testing/advisories.js';
import { runAssay } from '../testing/run-cli.js';

const BIN = new URL('../bin.ts', import.meta.url).pathname;

/** Starts `assay server` and resolves with its URL once it prints it. */
async function startManager(t: TestContext, args: string[], home: string): Promise<string> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', BIN, 'server', ...args], {
    env: { PATH: process.env.PATH, HOME: home, NO_COLOR: '1' },
  });
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d;
      const m = /listening on (http:\/\/\S+) /.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`assay server exited ${code}: ${err}`)));
  });
}

function comparable(stdout: string): unknown {
  const { path: _p, ageHours: _a, sources, ...rest } = JSON.parse(stdout);
  return { ...rest, sources: sources.map(({ ageHours: _s, ...s }: { ageHours: number }) => s) };
}

test('a scanner pulls the signed DB from `assay server` with its scanner token', async (t) => {
  const home = await mkdtemp(join(tmpdir(), 'assay-server-db-'));
  t.after(() => rm(home, { recursive: true, force: true }));
  const [dataDir, dbPath, key] = [join(home, 'data'), join(home, 'server-db'), join(home, 'k')];
  await importFeedsDbDir(dbPath);
  assert.equal((await runAssay(['db', 'keygen', '--out', key], { HOME: home })).code, 0);
  const created = await runAssay(['server', 'token', 'create', '--role', 'scanner', '--data-dir', dataDir], {
    HOME: home,
  });
  assert.equal(created.code, 0, created.stderr);
  const token = created.stdout.trim();
  const url = await startManager(
    t,
    ['--listen', '127.0.0.1:0', '--data-dir', dataDir, '--db-path', dbPath, '--db-sign-key', `${key}.key`],
    home,
  );

  const scanner = await mkdtemp(join(tmpdir(), 'assay-scanner-home-'));
  t.after(() => rm(scanner, { recursive: true, force: true }));
  const env = { HOME: scanner, ASSAY_API_URL: url, ASSAY_TOKEN: token, ASSAY_DB_PUBLIC_KEY: `${key}.pub` };
  const from = `${url}/api/v1/db/metadata`;
  const denied = await runAssay(['db', 'update', '--from', from], { ...env, ASSAY_TOKEN: 'assay_wrong' });
  assert.equal(denied.code, 2);
  assert.match(denied.stderr, /401/);
  const pull = await runAssay(['db', 'update', '--from', from], env);
  assert.equal(pull.code, 0, pull.stderr);
  assert.match(
    pull.stdout,
    /^vulnerability DB updated from http:\/\/127\.0\.0\.1:\d+\/api\/v1\/db\/metadata/,
  );
  const again = await runAssay(['db', 'update'], { ...env, ASSAY_DB_REPOSITORY: from });
  assert.match(again.stdout, /^vulnerability DB unchanged/);
  const [mine, theirs] = await Promise.all([
    runAssay(['db', 'status', '--json', '-p', dbPath], { HOME: home }),
    runAssay(['db', 'status', '--json'], { HOME: scanner }),
  ]);
  assert.deepEqual(comparable(theirs.stdout), comparable(mine.stdout));
});
