import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { isAssayError } from '../../model/errors.js';
import { DB_SCHEMA_VERSION } from '../types.js';
import type { FeedServer, Route } from '../update/test-server.js';
import { serializeMetadata } from './metadata.js';
import { pullDb } from './pull.js';
import { encodeSignature, generateSigningKeys, signMetadata } from './sign.js';
import { readPullState } from './state.js';
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
import type { PullOptions } from './types.js';

const FAST = { retry: { retries: 2, backoffMs: 10 }, timeoutMs: 5_000 };

function options(dbDir: string, extra: Partial<PullOptions> = {}) {
  const messages: string[] = [];
  return { opts: { dbDir, ...FAST, onMessage: (l: string) => messages.push(l), ...extra }, messages };
}

/** A DB directory holding a DB pulled from `pub` (for "the DB in use stays intact"). */
async function pulledDir(t: test.TestContext, pub: Published): Promise<string> {
  const server = await serve(t, pub);
  const dbDir = join(await tempDir(t), 'db');
  await pullDb([httpRepo(server.base)], options(dbDir).opts);
  await server.stop();
  return dbDir;
}

test('pull into a fresh directory gives the same DB facts; the next pull is one conditional request', async (t) => {
  const pub = await published(t);
  const server = await serve(t, pub);
  const dbDir = join(await tempDir(t), 'db');
  const progress: number[] = [];
  const { opts, messages } = options(dbDir, { onProgress: (done) => progress.push(done) });
  const first = await pullDb([httpRepo(server.base)], opts);
  assert.equal(first.status, 'updated');
  assert.equal(first.source, new URL(METADATA_PATH, server.base).href);
  assert.equal(first.downloaded, pub.metadataBytes.length + pub.metadata.bundle.size);
  assert.deepEqual(first.metadata, pub.metadata);
  assert.equal(progress.at(-1), pub.metadata.bundle.size);
  assert.deepEqual(dbFacts(dbDir), dbFacts(await sourceDbDir()));
  assert.ok(
    dbFacts(dbDir).lodash.length > 0 && dbFacts(dbDir).ids[0]?.advisories.length,
    'the facts are not empty',
  );
  assert.deepEqual(await listing(dbDir), ['repository.json', 'vulnerabilities.db']);
  assert.match(messages[0] ?? '', /^trying http:\/\/127\.0\.0\.1:\d+\/db\/metadata\.json$/);
  const state = await readPullState(dbDir);
  assert.equal(state?.bundleDigest, pub.metadata.bundle.digest);
  assert.equal(state?.etag, routeOf(server, METADATA_PATH).etag);

  const before = server.requests.length;
  const second = await pullDb([httpRepo(server.base)], opts);
  assert.deepEqual(second, { ...first, status: 'unchanged', downloaded: 0 });
  const requests = server.requests.slice(before);
  assert.equal(requests.length, 1, 'one small request');
  assert.equal(requests[0]?.path, METADATA_PATH);
  assert.equal(requests[0]?.headers['if-none-match'], state?.etag);
});

function routeOf(server: FeedServer, path: string): Route {
  const route = server.routes.get(path);
  assert.ok(route && typeof route !== 'function');
  return route;
}

test('unchanged by digest when the ETag differs (another mirror): no bundle download', async (t) => {
  const pub = await published(t);
  const dbDir = await pulledDir(t, pub);
  const mirror = await serve(t, pub);
  mirror.file(METADATA_PATH, pub.metadataBytes, { etag: '"another-etag"' });
  const out = await pullDb([httpRepo(mirror.base)], options(dbDir).opts);
  assert.equal(out.status, 'unchanged');
  assert.deepEqual(
    mirror.requests.map((r) => r.path),
    [METADATA_PATH],
  );
});

test('a deleted DB with a stale repository.json, or a DB rebuilt since, is downloaded again', async (t) => {
  const pub = await published(t);
  const server = await serve(t, pub);
  const dbDir = join(await tempDir(t), 'db');
  await pullDb([httpRepo(server.base)], options(dbDir).opts);
  await rm(join(dbDir, 'vulnerabilities.db'));
  assert.equal((await pullDb([httpRepo(server.base)], options(dbDir).opts)).status, 'updated');
  // Another file in place (what `db update` or `db import` leave): not the pulled DB any more.
  const db = join(dbDir, 'vulnerabilities.db');
  const bytes = await readFile(db);
  await rm(db);
  await writeFile(db, bytes);
  assert.equal((await pullDb([httpRepo(server.base)], options(dbDir).opts)).status, 'updated');
  assert.equal(server.requestsTo(BUNDLE_PATH).length, 3);
});

test('a connection dropped mid-bundle is resumed with Range and If-Range', async (t) => {
  const pub = await published(t);
  const cut = Math.floor(pub.metadata.bundle.size / 3);
  const server = await serve(t, pub, { faults: [{ kind: 'drop', afterBytes: cut }] });
  const dbDir = join(await tempDir(t), 'db');
  const { opts, messages } = options(dbDir);
  const out = await pullDb([httpRepo(server.base)], opts);
  assert.equal(out.status, 'updated');
  const [firstTry, resumed] = server.requestsTo(BUNDLE_PATH);
  assert.equal(firstTry?.headers.range, undefined);
  assert.equal(resumed?.headers.range, `bytes=${cut}-`);
  assert.ok(resumed?.headers['if-range'], 'If-Range guards the resume');
  assert.ok(
    messages.some((m) => /connection lost after \d+ bytes.*resuming/.test(m)),
    messages.join('\n'),
  );
  assert.deepEqual(dbFacts(dbDir), dbFacts(await sourceDbDir()));
});

test('a server that advertises ranges but ignores Range: the download restarts from 0 and is still right', async (t) => {
  const pub = await published(t);
  const server = await serve(t, pub, { ranges: 'ignore', faults: [{ kind: 'drop', afterBytes: 1000 }] });
  const dbDir = join(await tempDir(t), 'db');
  const out = await pullDb([httpRepo(server.base)], options(dbDir).opts);
  assert.equal(out.status, 'updated');
  assert.equal(out.downloaded, pub.metadataBytes.length + pub.metadata.bundle.size);
  assert.equal(server.requestsTo(BUNDLE_PATH)[1]?.headers.range, 'bytes=1000-', 'it asked for the rest');
  assert.deepEqual(dbFacts(dbDir), dbFacts(await sourceDbDir()));
});

async function failsIntact(
  t: test.TestContext,
  pub: Published,
  setup: (server: FeedServer) => void,
  check: (err: unknown) => boolean,
  extra: Partial<PullOptions> = {},
) {
  const dbDir = await pulledDir(t, pub);
  const before = { files: await listing(dbDir), db: await readFile(join(dbDir, 'vulnerabilities.db')) };
  const state = await readFile(join(dbDir, 'repository.json'));
  await rm(join(dbDir, 'repository.json')); // no conditional shortcut: the whole fetch must run
  const server = await serve(t, pub);
  setup(server);
  await assert.rejects(pullDb([httpRepo(server.base)], options(dbDir, extra).opts), check);
  assert.deepEqual(
    await listing(dbDir),
    before.files.filter((f) => f !== 'repository.json'),
  );
  assert.deepEqual(
    await readFile(join(dbDir, 'vulnerabilities.db')),
    before.db,
    'the DB in use is untouched',
  );
  assert.ok(state.length > 0);
  return server;
}

test('a bundle with the wrong digest is rejected; the DB in use stays', async (t) => {
  const pub = await published(t);
  const corrupt = Buffer.from(await readFile(pub.bundlePath));
  const mid = corrupt.length >> 1;
  corrupt[mid] = (corrupt[mid] ?? 0) ^ 0xff;
  await failsIntact(
    t,
    pub,
    (s) => s.file(BUNDLE_PATH, corrupt),
    (e) =>
      isAssayError(e, 'digest-mismatch') &&
      /assay-db\.tar\.gz: the bundle has digest sha256:\w+, the metadata says/.test(e.message),
  );
});

test('a truncated bundle is rejected naming both sizes', async (t) => {
  const pub = await published(t);
  const bundle = await readFile(pub.bundlePath);
  await failsIntact(
    t,
    pub,
    (s) => s.file(BUNDLE_PATH, bundle.subarray(0, bundle.length - 100)),
    (e) =>
      isAssayError(e, 'digest-mismatch') &&
      new RegExp(`is ${bundle.length - 100} bytes, the metadata says ${bundle.length}`).test(e.message),
  );
});

test('a bundle whose DB is not the one the metadata names is refused', async (t) => {
  const pub = await published(t);
  const other = serializeMetadata({ ...pub.metadata, dbSha256: 'f'.repeat(64) });
  await failsIntact(
    t,
    pub,
    (s) => s.file(METADATA_PATH, other),
    (e) =>
      isAssayError(e, 'digest-mismatch') &&
      new RegExp(`the bundle holds a DB with sha256 ${pub.metadata.dbSha256}, the metadata says f{64}`).test(
        e.message,
      ),
  );
});

test('a connection that keeps dropping fails after the retries, naming the URL', async (t) => {
  const pub = await published(t);
  const drops = Array.from({ length: 5 }, () => ({ kind: 'drop' as const, afterBytes: 10 }));
  await failsIntact(
    t,
    pub,
    (s) => {
      routeOf(s, BUNDLE_PATH).faults = drops;
    },
    (e) =>
      isAssayError(e, 'network') &&
      /DB bundle: http:\/\/127\.0\.0\.1:\d+\/db\/assay-db\.tar\.gz: connection lost/.test(e.message),
  );
});

test('metadata of a newer DB schema is refused before any bundle download', async (t) => {
  const pub = await published(t);
  const newer = Buffer.from(JSON.stringify({ ...pub.metadata, schemaVersion: DB_SCHEMA_VERSION + 1 }));
  const server = await failsIntact(
    t,
    pub,
    (s) => s.file(METADATA_PATH, newer),
    (e) =>
      isAssayError(e, 'database') &&
      e.message.includes(
        `published with DB schema ${DB_SCHEMA_VERSION + 1}; this assay reads schema ${DB_SCHEMA_VERSION}: upgrade assay`,
      ),
  );
  assert.equal(server.requestsTo(BUNDLE_PATH).length, 0);
});

test('with a public key: a missing, foreign or stale signature fails; a good one pulls', async (t) => {
  const keys = generateSigningKeys();
  const pub = await published(t, { signingKeyPem: keys.privateKeyPem });
  const withKey = { publicKey: keys.publicKeyPem };
  await failsIntact(
    t,
    pub,
    (s) => s.routes.delete(`${METADATA_PATH}.sig`),
    (e) =>
      /metadata\.json publishes no signature \(.*metadata\.json\.sig: HTTP 404\) but a public key is configured/.test(
        String(e),
      ),
    withKey,
  );
  const foreign = signMetadata(pub.metadataBytes, generateSigningKeys().privateKeyPem);
  await failsIntact(
    t,
    pub,
    (s) => s.file(`${METADATA_PATH}.sig`, Buffer.from(encodeSignature(foreign))),
    (e) =>
      /signature of http:\/\/127\.0\.0\.1:\d+\/db\/metadata\.json does not verify with the configured public key/.test(
        String(e),
      ),
    withKey,
  );
  // Metadata edited after signing (a bundle swapped in by whoever controls the mirror).
  const edited = serializeMetadata({ ...pub.metadata, builtAt: '2030-01-01T00:00:00Z' });
  await failsIntact(
    t,
    pub,
    (s) => s.file(METADATA_PATH, edited),
    (e) => /does not verify/.test(String(e)),
    withKey,
  );

  const server = await serve(t, pub);
  const dbDir = join(await tempDir(t), 'db');
  assert.equal((await pullDb([httpRepo(server.base)], options(dbDir, withKey).opts)).status, 'updated');
  assert.equal((await pullDb([httpRepo(server.base)], options(dbDir, withKey).opts)).status, 'unchanged');
  // A key configured after an unverified pull: the DB is fetched and verified once more.
  const plain = join(await tempDir(t), 'db');
  await pullDb([httpRepo(server.base)], options(plain).opts);
  assert.equal((await pullDb([httpRepo(server.base)], options(plain, withKey).opts)).status, 'updated');
});

test('429 with Retry-After is waited out and said', async (t) => {
  const pub = await published(t);
  const server = await serve(t, pub);
  routeOf(server, METADATA_PATH).faults = [{ kind: 'status', status: 429, headers: { 'retry-after': '0' } }];
  const dbDir = join(await tempDir(t), 'db');
  const { opts, messages } = options(dbDir);
  assert.equal((await pullDb([httpRepo(server.base)], opts)).status, 'updated');
  assert.ok(
    messages.some((m) => /HTTP 429 .*Retry-After: 0/.test(m)),
    messages.join('\n'),
  );
});

test('the bearer token goes to its origin only, not to a bundle host elsewhere', async (t) => {
  const pub = await published(t);
  const cdn = await serve(t, pub);
  const api = await serve(t, pub);
  const href = new URL(BUNDLE_PATH, cdn.base).href;
  api.file(
    METADATA_PATH,
    serializeMetadata({ ...pub.metadata, bundle: { ...pub.metadata.bundle, file: href } }),
  );
  const dbDir = join(await tempDir(t), 'db');
  const auth = { origin: api.base.replace(/\/$/, ''), token: 'secret-token' };
  assert.equal((await pullDb([httpRepo(api.base)], options(dbDir, { auth }).opts)).status, 'updated');
  assert.equal(api.requestsTo(METADATA_PATH)[0]?.headers.authorization, 'Bearer secret-token');
  assert.equal(api.requestsTo(BUNDLE_PATH).length, 0);
  assert.equal(cdn.requestsTo(BUNDLE_PATH)[0]?.headers.authorization, undefined);
});

test('a server that never answers times out with a clear error', async (t) => {
  const pub = await published(t);
  const server = await serve(t, pub);
  server.routes.set(METADATA_PATH, () => undefined);
  const dbDir = join(await tempDir(t), 'db');
  await assert.rejects(
    pullDb([httpRepo(server.base)], options(dbDir, { timeoutMs: 200, retry: { retries: 0 } }).opts),
    (e) =>
      isAssayError(e, 'timeout') &&
      /DB metadata: http:\/\/127\.0\.0\.1:\d+\/db\/metadata\.json: no response within 200 ms/.test(e.message),
  );
  assert.deepEqual(await listing(dbDir), []);
});
