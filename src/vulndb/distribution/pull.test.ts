import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { isAssayError } from '../../model/errors.js';
import { pullDb } from './pull.js';
import {
  BUNDLE_PATH,
  dbFacts,
  httpRepo,
  listing,
  METADATA_PATH,
  type Published,
  published,
  serve,
  sourceDbDir,
  tempDir,
} from './testdata/helpers.js';
import type { DbRepository, PullOptions } from './types.js';

const FAST = { retry: { retries: 1, backoffMs: 10 }, timeoutMs: 5_000 };

function options(dbDir: string): { opts: PullOptions; messages: string[] } {
  const messages: string[] = [];
  return { opts: { dbDir, ...FAST, onMessage: (l) => messages.push(l) }, messages };
}

async function pulledDir(t: test.TestContext, pub: Published): Promise<string> {
  const server = await serve(t, pub);
  const dbDir = join(await tempDir(t), 'db');
  await pullDb([httpRepo(server.base)], options(dbDir).opts);
  return dbDir;
}

test('a first source answering 500 or 404 is passed over for the next one, and said', async (t) => {
  const pub = await published(t);
  const good = await serve(t, pub);
  const broken = await serve(t, pub);
  broken.routes.set(METADATA_PATH, (_req, res) => void res.writeHead(500).end('oops'));
  const dbDir = join(await tempDir(t), 'db');
  const { opts, messages } = options(dbDir);
  const missing = httpRepo(good.base, '/nothing/metadata.json');
  const out = await pullDb([httpRepo(broken.base), missing, httpRepo(good.base)], opts);
  assert.equal(out.status, 'updated');
  assert.equal(out.source, new URL(METADATA_PATH, good.base).href);
  assert.equal(broken.requestsTo(METADATA_PATH).length, 2, 'one retry, then the next source');
  const said = messages.join('\n');
  assert.match(said, /^trying http:\/\/127\.0\.0\.1:\d+\/db\/metadata\.json$/m);
  assert.match(
    said,
    /db\/metadata\.json failed: DB metadata: .*HTTP 500 Internal Server Error; trying next$/m,
  );
  assert.match(said, /nothing\/metadata\.json failed: DB metadata: .*HTTP 404 Not Found.*; trying next$/m);
  assert.deepEqual(dbFacts(dbDir), dbFacts(await sourceDbDir()));
});

test('when every source fails: one error naming each, the DB in use intact, nothing left behind', async (t) => {
  const pub = await published(t);
  const dbDir = await pulledDir(t, pub);
  const before = { files: await listing(dbDir), db: await readFile(join(dbDir, 'vulnerabilities.db')) };
  const server = await serve(t, pub);
  const corrupt = Buffer.from(await readFile(pub.bundlePath)).fill(0, 100, 200);
  server.file(BUNDLE_PATH, corrupt);
  await rm(join(dbDir, 'repository.json'));
  const repos: DbRepository[] = [
    httpRepo(server.base),
    httpRepo(server.base, '/gone/metadata.json'),
    { kind: 'file', path: join(dbDir, 'no-such-dir') },
  ];
  await assert.rejects(pullDb(repos, options(dbDir).opts), (err) => {
    assert.ok(isAssayError(err));
    const lines = err.message.split('\n');
    assert.match(
      lines[0] ?? '',
      /^none of the 3 DB repositories could be used; the DB in use is unchanged:$/,
    );
    assert.match(
      lines[1] ?? '',
      /^ {2}http:\/\/127\.0\.0\.1:\d+\/db\/metadata\.json: .*the bundle has digest/,
    );
    assert.match(lines[2] ?? '', /^ {2}http:.*\/gone\/metadata\.json: DB metadata: .*HTTP 404/);
    assert.match(lines[3] ?? '', /^ {2}.*no-such-dir: ENOENT/);
    return true;
  });
  assert.deepEqual(
    await listing(dbDir),
    before.files.filter((f) => f !== 'repository.json'),
  );
  assert.deepEqual(await readFile(join(dbDir, 'vulnerabilities.db')), before.db);
});

test('a corrupt repository.json is said and ignored; no repository at all is a usage error', async (t) => {
  const pub = await published(t);
  const dbDir = await pulledDir(t, pub);
  await writeFile(join(dbDir, 'repository.json'), '{"source": 3');
  const server = await serve(t, pub);
  const { opts, messages } = options(dbDir);
  assert.equal((await pullDb([httpRepo(server.base)], opts)).status, 'updated');
  assert.match(messages.join('\n'), /repository\.json is corrupt; ignoring it/);
  assert.equal((await pullDb([httpRepo(server.base)], opts)).status, 'unchanged', 'rewritten');
  await assert.rejects(pullDb([], opts), (e) => isAssayError(e, 'usage'));
});

test('another update holding the build lock: the pull fails clearly and cleans up', async (t) => {
  const pub = await published(t);
  const server = await serve(t, pub);
  const dbDir = join(await tempDir(t), 'db');
  await pullDb([httpRepo(server.base)], options(dbDir).opts);
  await rm(join(dbDir, 'repository.json'));
  await writeFile(join(dbDir, '.build.lock'), `${process.pid}\n`);
  await assert.rejects(
    pullDb([httpRepo(server.base)], options(dbDir).opts),
    /another db update\/import is running/,
  );
  assert.deepEqual(await listing(dbDir), ['.build.lock', 'vulnerabilities.db']);
});

test('temporary directories of a pull that died are removed by the next pull', async (t) => {
  const pub = await published(t);
  const dbDir = await pulledDir(t, pub);
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(dbDir, '.pull-999999999-abc'));
  await writeFile(join(dbDir, '.pull-999999999-abc', 'bundle.tar.gz'), 'half');
  const server = await serve(t, pub);
  await pullDb([httpRepo(server.base)], options(dbDir).opts);
  assert.deepEqual(await listing(dbDir), ['repository.json', 'vulnerabilities.db']);
});

const exec = promisify(execFile);
const child = fileURLToPath(new URL('./testdata/pull-child.ts', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs one pull in a child process whose files may not grow beyond `blocks` 512-byte blocks (dash). */
async function pullWithFileLimit(dbDir: string, url: string, blocks: number) {
  // SIGXFSZ would kill the process; ignored, the write fails with EFBIG instead, as on a full disk.
  const script = `trap '' XFSZ; ulimit -f ${blocks}; exec "$0" --import tsx "$@"`;
  const { stdout } = await exec('sh', ['-c', script, process.execPath, child, dbDir, url], { cwd: root });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
    status?: string;
    code?: string;
    message?: string;
  };
}

test('a disk that fills up during the download or the unpacking: a clear error, the old DB intact', async (t) => {
  const pub = await published(t);
  const dbDir = await pulledDir(t, pub);
  const before = { files: await listing(dbDir), db: await readFile(join(dbDir, 'vulnerabilities.db')) };
  await rm(join(dbDir, 'repository.json'));
  const server = await serve(t, pub);
  const url = new URL(METADATA_PATH, server.base).href;
  const dbSize = before.db.length;
  // A limit below the bundle fails the download; one between the bundle and the DB fails the unpacking.
  for (const limit of [
    Math.floor(pub.metadata.bundle.size / 2),
    Math.floor((pub.metadata.bundle.size + dbSize) / 2),
  ]) {
    const out = await pullWithFileLimit(dbDir, url, Math.floor(limit / 512));
    assert.equal(out.status, undefined, `limit ${limit}: ${JSON.stringify(out)}`);
    assert.match(
      out.message ?? '',
      /EFBIG: file too large.*\(the disk is full or a file size limit was reached\)/,
      `limit ${limit}`,
    );
    assert.doesNotMatch(out.message ?? '', /not a valid|corrupt/, 'a full disk is not a bad bundle');
    assert.match(out.message ?? '', /db\/metadata\.json/, 'names the source');
    assert.deepEqual(
      await listing(dbDir),
      before.files.filter((f) => f !== 'repository.json'),
      `limit ${limit}`,
    );
    assert.deepEqual(await readFile(join(dbDir, 'vulnerabilities.db')), before.db);
  }
  assert.equal(
    (await pullWithFileLimit(dbDir, url, 1 << 20)).status,
    'updated',
    'the same child succeeds with room',
  );
});
