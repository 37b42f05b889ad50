/**
 * The DB as an OCI artifact, pushed to and pulled from a real docker-registry (distribution 2.8;
 * anonymous and htpasswd Basic auth), with a fault proxy in front for 429/500, cut and stalled
 * blobs and corrupt bytes. The bundle is a real export of a DB imported from real feed excerpts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, type TestContext, test } from 'node:test';
import { importFeedsDbDir } from '../../scan/testing/advisories.js';
import { buildImage } from '../../test-support/oci-image.js';
import { startRegistry, type TestRegistry } from '../../test-support/registry.js';
import { type ProxyRule, RegistryProxy } from '../../test-support/registry-proxy.js';
import { exportBundle } from '../bundle.js';
import { DB_FILE } from '../store.js';
import { fetchFromOci, pushDb } from './oci.js';
import { pullDb } from './pull.js';
import {
  DB_ARTIFACT_TYPE,
  DB_METADATA_MEDIA_TYPE,
  type FetchedCandidate,
  type PullOptions,
  type PullState,
} from './types.js';

let work: string;
let registry: TestRegistry;
let basic: TestRegistry;
let proxy: RegistryProxy;
let bundlePath: string;
let bundle: Buffer;
let metadataBytes: Buffer;

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'assay-oci-'));
  [registry, basic] = await Promise.all([startRegistry(), startRegistry({ auth: 'basic' })]);
  proxy = await new RegistryProxy({ host: '127.0.0.1', port: Number(registry.host.split(':')[1]) }).start();
  await importFeedsDbDir(join(work, 'db'));
  bundlePath = join(work, 'assay-db.tar.gz');
  const exported = await exportBundle(join(work, 'db', DB_FILE), bundlePath);
  bundle = await readFile(bundlePath);
  // Built here by hand, following PublishedMetadataSchema (the publish code is not ours).
  const m = exported.metadata;
  const metadata = {
    mediaType: DB_METADATA_MEDIA_TYPE,
    schemaVersion: m.schemaVersion,
    ...(m.builtAt ? { builtAt: m.builtAt } : {}),
    dbSha256: m.sha256,
    bundle: { file: 'assay-db.tar.gz', digest: sha256(bundle), size: bundle.length, compression: 'gzip' },
    sources: m.sources.map((s) => ({
      id: s.id,
      importer: s.importer,
      records: 1,
      importedAt: '2026-11-30T00:00:00Z',
    })),
  };
  metadataBytes = Buffer.from(`${JSON.stringify(metadata, null, 2)}\n`);
  assert.ok(bundle.length > 4096, `a bundle worth cutting (${bundle.length} bytes)`);
});

after(async () => {
  await proxy?.stop();
  await Promise.all([registry?.stop(), basic?.stop()]);
  await rm(work, { recursive: true, force: true });
});

const fast = { retry: { retries: 2, backoffMs: 5 } };

async function pull(
  t: TestContext,
  ref: string,
  state?: PullState,
  extra: Partial<PullOptions> = {},
): Promise<{ got: 'unchanged' | FetchedCandidate; tempDir: string }> {
  const tempDir = await mkdtemp(join(work, 'pull-'));
  t.after(() => rm(tempDir, { recursive: true, force: true }));
  const opts = { dbDir: work, tempDir, wantSignature: true, ...fast, ...extra };
  return { got: await fetchFromOci({ kind: 'oci', ref }, state, opts), tempDir };
}

function stateOf(manifestDigest: string): PullState {
  return { source: 'x', manifestDigest, bundleDigest: sha256(bundle), dbSha256: 'x', pulledAt: 'x' };
}

function candidate(got: 'unchanged' | FetchedCandidate): FetchedCandidate {
  assert.notEqual(got, 'unchanged');
  return got as FetchedCandidate;
}

async function rejectsWith(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(p, (err: Error & { code?: string }) => {
    assert.equal(err.code, code, err.message);
    assert.match(err.message, message);
    return true;
  });
}

test('push, pull back equal bytes; unchanged costs one request; a second push is the same manifest', async (t) => {
  const ref = `${proxy.host}/assay/db:latest`;
  const signature = Buffer.from('a-signature-of-64-bytes'.padEnd(64, '.'));
  const pushed = await pushDb(ref, { metadataBytes, bundlePath, signature }, { chunkSize: 16 * 1024 });
  assert.equal(pushed.bundleDigest, sha256(bundle));
  assert.equal(pushed.bytes, bundle.length + metadataBytes.length);

  const raw = await fetch(`${registry.url}/v2/assay/db/manifests/latest`, {
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
  });
  const manifest = (await raw.json()) as Record<string, unknown>;
  assert.equal(manifest.artifactType, DB_ARTIFACT_TYPE);
  assert.deepEqual((manifest.layers as { annotations: unknown }[])[0]?.annotations, {
    'org.opencontainers.image.title': 'assay-db.tar.gz',
  });

  const { got, tempDir } = await pull(t, ref);
  const c = candidate(got);
  assert.deepEqual(await readFile(c.bundleFile), bundle);
  assert.deepEqual(c.metadataBytes, metadataBytes);
  assert.deepEqual(c.signature, signature);
  assert.equal(c.manifestDigest, pushed.manifestDigest);
  assert.deepEqual(await readdir(tempDir), [c.bundleFile.slice(tempDir.length + 1)]);

  proxy.reset();
  assert.equal((await pull(t, ref, stateOf(pushed.manifestDigest))).got, 'unchanged');
  assert.deepEqual(
    proxy.requests.map((r) => `${r.method} ${r.path}`),
    ['HEAD /v2/assay/db/manifests/latest'],
  );

  proxy.reset();
  const again = await pushDb(ref, { metadataBytes, bundlePath, signature });
  assert.equal(again.manifestDigest, pushed.manifestDigest);
  assert.equal(again.bytes, 0, 'blobs already present are not uploaded again');
  assert.equal(proxy.requests.filter((r) => r.method === 'PATCH').length, 0);
});

test('htpasswd Basic auth: push and pull with credentials; a wrong password names the source', async (t) => {
  const ref = `${basic.host}/secure/db:1`;
  const credentials = { username: basic.username, password: basic.password };
  await pushDb(ref, { metadataBytes, bundlePath }, { credentials });
  const c = candidate((await pull(t, ref, undefined, { registryCredentials: credentials })).got);
  assert.deepEqual(await readFile(c.bundleFile), bundle);
  assert.equal(c.signature, undefined);

  const wrong = { username: basic.username, password: 'not-it' };
  await rejectsWith(
    pull(t, ref, undefined, { registryCredentials: wrong }),
    'unauthorized',
    /^oci:\/\/127\.0\.0\.1:\d+\/secure\/db:1: registry .* rejected user "alice" from --username\/--password/,
  );
  await rejectsWith(
    pushDb(ref, { metadataBytes, bundlePath }, { credentials: wrong }),
    'unauthorized',
    /rejected user "alice" from --username\/--password; check the password, and that this account may push to/,
  );
  const dockerConfigDir = join(work, 'empty-docker-config');
  await rejectsWith(
    pull(t, ref, undefined, { registryCredentials: { dockerConfigDir } }),
    'unauthorized',
    /no credentials found/,
  );
});

test('an unknown tag: nothing published there', async (t) => {
  await rejectsWith(
    pull(t, `${registry.host}/assay/db:nope`),
    'not-found',
    /nothing published at oci:\/\/127\.0\.0\.1:\d+\/assay\/db:nope/,
  );
});

test('a container image at the reference is not a DB artifact', async (t) => {
  const image = await buildImage({ layers: [{ files: [{ path: 'etc/hello', content: 'hi' }] }] });
  await registry.push(image, 'assay/not-db', 'v1');
  await rejectsWith(
    pull(t, `${registry.host}/assay/not-db:v1`),
    'unsupported-media-type',
    /not an assay DB artifact \(config media type application\/vnd\.oci\.image\.config\.v1\+json/,
  );
});

async function faulty(t: TestContext, rules: ProxyRule[], extra: Partial<PullOptions> = {}) {
  const ref = `${proxy.host}/assay/db:latest`;
  await pushDb(ref, { metadataBytes, bundlePath });
  proxy.reset(rules);
  return pull(t, ref, undefined, extra);
}

const BLOB = /\/blobs\/sha256:/;

test('429 with Retry-After, then success', async (t) => {
  const started = Date.now();
  const rule = {
    method: 'HEAD',
    path: /manifests/,
    fault: { kind: 'status', status: 429, headers: { 'retry-after': '1' } },
    times: 1,
  } as const;
  const c = candidate((await faulty(t, [rule])).got);
  assert.ok(Date.now() - started >= 900, 'waited for Retry-After');
  assert.deepEqual(await readFile(c.bundleFile), bundle);
});

test('500 forever: a registry error after the retries', async (t) => {
  const rule = { method: 'GET', path: BLOB, fault: { kind: 'status', status: 500 } } as const;
  await rejectsWith(
    faulty(t, [rule]),
    'registry',
    /^oci:\/\/.*: DB metadata .*registry error HTTP 500, still after retries/,
  );
});

test('a blob connection cut half way is resumed with Range; the bytes are exact', async (t) => {
  const messages: string[] = [];
  const third = Math.floor(bundle.length / 3);
  const rule: ProxyRule = {
    method: 'GET',
    path: new RegExp(sha256(bundle).slice(7)),
    fault: { kind: 'cut', afterBytes: third },
    times: 2,
  };
  const { got } = await faulty(t, [rule], { onMessage: (l) => messages.push(l) });
  assert.deepEqual(await readFile(candidate(got).bundleFile), bundle);
  const ranges = proxy.requests.filter((r) => r.headers.range).map((r) => r.headers.range);
  assert.deepEqual(ranges, [`bytes=${third}-`, `bytes=${2 * third}-`]);
  assert.match(messages.join('\n'), new RegExp(`connection lost after ${third} bytes; resuming`));
});

test('a blob that stalls: timeout error, no partial file left', async (t) => {
  const rule = {
    method: 'GET',
    path: new RegExp(sha256(bundle).slice(7)),
    fault: { kind: 'hang', afterBytes: Math.floor(bundle.length / 2) },
  } as const;
  const tempBefore = await readdir(work);
  await rejectsWith(
    faulty(t, [rule], { timeoutMs: 300 }),
    'timeout',
    /^oci:\/\/.*: DB bundle \(sha256:.*no data from .* for 300 ms while reading the response/,
  );
  await noPartials(tempBefore);
});

/** The pull directories created since `before` are empty: no half-downloaded bundle. */
async function noPartials(before: string[]): Promise<void> {
  const pulls = (await readdir(work)).filter((n) => n.startsWith('pull-') && !before.includes(n));
  assert.ok(pulls.length > 0);
  for (const dir of pulls) assert.deepEqual(await readdir(join(work, dir)), []);
}

test('corrupt blob bytes: digest mismatch, no partial file left', async (t) => {
  const rule = {
    method: 'GET',
    path: new RegExp(sha256(bundle).slice(7)),
    fault: { kind: 'corrupt' },
  } as const;
  const tempBefore = await readdir(work);
  await rejectsWith(
    faulty(t, [rule]),
    'digest-mismatch',
    /DB bundle .* downloaded content has digest sha256:\w+, the manifest says/,
  );
  await noPartials(tempBefore);
});

test('403 after Basic auth: forbidden, naming whom the registry refused', async (t) => {
  const server = createServer((req, res) => {
    if (!req.headers.authorization) res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
    else
      res
        .writeHead(403, { 'content-type': 'application/json' })
        .end('{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  await rejectsWith(
    pull(t, `${host}/assay/db:1`, undefined, { registryCredentials: { username: 'bob', password: 'pw' } }),
    'forbidden',
    /access denied \(HTTP 403\).*authenticated as user "bob" from --username\/--password, asked for pull/,
  );
});

test('a push whose PATCH is lost continues via the upload status; the pull is exact', async (t) => {
  const ref = `${proxy.host}/assay/resumed:1`;
  proxy.reset([{ method: 'PATCH', path: /\/blobs\/uploads\//, fault: { kind: 'drop-request' }, times: 1 }]);
  const progress: number[] = [];
  await pushDb(ref, { metadataBytes, bundlePath }, { chunkSize: 4096, onProgress: (d) => progress.push(d) });
  assert.ok(proxy.requests.some((r) => r.fault === 'drop-request'));
  assert.equal(progress.at(-1), bundle.length);
  const done: number[] = [];
  const c = candidate((await pull(t, ref, undefined, { onProgress: (d) => done.push(d) })).got);
  assert.deepEqual(await readFile(c.bundleFile), bundle);
  assert.equal(done.at(-1), bundle.length);
});

test('through pullDb: a fresh DB directory gets the pushed DB, then it is unchanged', async () => {
  const ref = `${registry.host}/assay/e2e:1`;
  await pushDb(ref, { metadataBytes, bundlePath });
  const dbDir = join(work, 'fresh-db');
  const first = await pullDb([{ kind: 'oci', ref }], { dbDir, ...fast });
  assert.equal(first.status, 'updated');
  const db = await readFile(join(dbDir, DB_FILE));
  assert.equal(createHash('sha256').update(db).digest('hex'), first.metadata.dbSha256);
  const second = await pullDb([{ kind: 'oci', ref }], { dbDir, ...fast });
  assert.equal(second.status, 'unchanged');
});
