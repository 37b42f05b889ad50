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
