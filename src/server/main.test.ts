import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isAssayError } from '../model/errors.js';
import { openConfiguredStore, parseListen, startServer } from './main.js';
import { defaultDataDir } from './paths.js';

test('parseListen takes HOST:PORT, [v6]:PORT and :PORT', () => {
  assert.deepEqual(parseListen(), { host: '127.0.0.1', port: 8080 });
  assert.deepEqual(parseListen('[::1]:9000'), { host: '::1', port: 9000 });
  assert.deepEqual(parseListen(':8081'), { host: '0.0.0.0', port: 8081 });
  for (const bad of ['8080', 'host:', 'host:99999', 'a:b:c'])
    assert.throws(
      () => parseListen(bad),
      (e) => isAssayError(e, 'usage'),
      bad,
    );
});

test('the data directory defaults to XDG_DATA_HOME, else ~/.local/share', () => {
  assert.equal(defaultDataDir({ XDG_DATA_HOME: '/x/data' }), '/x/data/assay');
  assert.equal(defaultDataDir({ HOME: '/home/u' }), '/home/u/.local/share/assay');
});

test('the embedded server: first admin token once, data directory locked, clean close', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'assay-server-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const dataDir = join(dir, 'data');
  const first = await startServer({ listen: '127.0.0.1:0', dataDir });
  let closed = false;
  t.after(() => (closed ? undefined : first.close()));
  assert.match(first.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.match(first.firstAdminToken ?? '', /^assay_/);
  const res = await fetch(`${first.url}/api/v1/summary`, {
    headers: { authorization: `Bearer ${first.firstAdminToken}` },
  });
  assert.equal(res.status, 200);
  await assert.rejects(openConfiguredStore({ dataDir }), /in use by process/);
  await first.close();
  closed = true;

  const second = await startServer({ listen: '127.0.0.1:0', dataDir });
  t.after(() => second.close());
  assert.equal(second.firstAdminToken, undefined);
  const again = await fetch(`${second.url}/api/v1/summary`, {
    headers: { authorization: `Bearer ${first.firstAdminToken}` },
  });
  assert.equal(again.status, 200);
});
