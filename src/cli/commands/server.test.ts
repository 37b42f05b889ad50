/** `assay server token create` as an operator runs it: a child process on a fresh embedded store. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { authenticate } from '../../server/services/tokens.js';
import { openStore } from '../../server/store/store.js';
import { runAssay } from '../testing/run-cli.js';

test('server token create prints a token that the store accepts with its role', async (t) => {
  const home = await mkdtemp(join(tmpdir(), 'assay-server-cli-'));
  t.after(() => rm(home, { recursive: true, force: true }));
  const dataDir = join(home, 'data');
  const bad = await runAssay(['server', 'token', 'create', '--role', 'root', '--data-dir', dataDir], {
    HOME: home,
  });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--role must be one of admin, scanner, viewer/);

  const ok = await runAssay(
    ['server', 'token', 'create', '--role', 'scanner', '--name', 'ci', '--data-dir', dataDir],
    {
      HOME: home,
    },
  );
  assert.equal(ok.code, 0, ok.stderr);
  const token = ok.stdout.trim();
  assert.match(token, /^assay_[\w-]{43}$/);
  const store = await openStore({ dataDir });
  t.after(() => store.close());
  const info = await authenticate(store, token);
  assert.deepEqual([info?.role, info?.name], ['scanner', 'ci']);
});

test('server token list and revoke: a revoked token no longer authenticates; the last admin stays', async (t) => {
  const home = await mkdtemp(join(tmpdir(), 'assay-server-cli-'));
  t.after(() => rm(home, { recursive: true, force: true }));
  const dataDir = join(home, 'data');
  const run = (args: string[]) =>
    runAssay(['server', 'token', ...args, '--data-dir', dataDir], { HOME: home });
  const admin = await run(['create', '--role', 'admin', '--name', 'ops']);
  const scanner = await run(['create', '--role', 'scanner', '--name', 'ci']);
  assert.equal(scanner.code, 0, scanner.stderr);
  const ids = Object.fromEntries(
    [admin, scanner].map((r) => {
      const m = /created (\w+) token "[^"]+" \(id (\d+)\)/.exec(r.stderr);
      return [m?.[1], m?.[2]];
    }),
  );
  const list = await run(['list']);
  assert.equal(list.code, 0, list.stderr);
  const lines = list.stdout.trim().split('\n');
  assert.match(lines[0] ?? '', /^ID\s+ROLE\s+NAME\s+CREATED\s+LAST USED$/);
  assert.match(
    lines[2] ?? '',
    new RegExp(`^${ids.scanner}\\s+scanner\\s+ci\\s+\\d{4}-\\d\\d-\\d\\dT\\S+\\s+never$`),
  );
  assert.ok(!list.stdout.includes(scanner.stdout.trim()), 'token values are never listed');

  const revoked = await run(['revoke', String(ids.scanner)]);
  assert.equal(revoked.code, 0, revoked.stderr);
  assert.match(revoked.stderr, /revoked scanner token "ci"/);
  const lastAdmin = await run(['revoke', String(ids.admin)]);
  assert.equal(lastAdmin.code, 2);
  assert.match(lastAdmin.stderr, /last admin token cannot be revoked/);
  const unknown = await run(['revoke', '999']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /token 999 not found/);

  const store = await openStore({ dataDir });
  t.after(() => store.close());
  assert.equal(await authenticate(store, scanner.stdout.trim()), undefined);
  assert.equal((await authenticate(store, admin.stdout.trim()))?.role, 'admin');
});
