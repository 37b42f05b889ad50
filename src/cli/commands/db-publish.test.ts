/**
 * `assay db keygen|publish|push` as users run them (child processes), and the end to
 * end: a DB built from the real-format feed excerpts is pushed to a real docker-registry with
 * Basic auth, pulled by a second fresh HOME with `db update --from oci://…`, and answers
 * `db status --json` and `db search` exactly like the source DB.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, type TestContext, test } from 'node:test';
import { importFeedsDbDir } from '../../scan/testing/advisories.js';
import { startRegistry, type TestRegistry } from '../../test-support/registry.js';
import { parsePublishedMetadata } from '../../vulndb/distribution/metadata.js';
import { decodeSignature, verifyMetadata } from '../../vulndb/distribution/sign.js';
import { runAssay } from '../testing/run-cli.js';

let work: string;
let source: string;
let registry: TestRegistry;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'assay-db-publish-'));
  source = join(work, 'source-db');
  [registry] = await Promise.all([
    startRegistry({ auth: 'basic', username: 'ci', password: 'pushpass' }),
    importFeedsDbDir(source),
  ]);
});
after(async () => {
  await registry?.stop();
  await rm(work, { recursive: true, force: true });
});

async function freshHome(t: TestContext): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'assay-home-'));
  t.after(() => rm(home, { recursive: true, force: true }));
  return home;
}

test('keygen writes PREFIX.key (0600) and PREFIX.pub, and never overwrites', async (t) => {
  const home = await freshHome(t);
  const prefix = join(home, 'release');
  const r = await runAssay(['db', 'keygen', '--out', prefix], { HOME: home });
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await stat(`${prefix}.key`)).mode & 0o777, 0o600);
  assert.match(await readFile(`${prefix}.pub`, 'utf8'), /^-----BEGIN PUBLIC KEY-----/);
  const key = await readFile(`${prefix}.key`, 'utf8');
  const again = await runAssay(['db', 'keygen', '--out', prefix], { HOME: home });
  assert.equal(again.code, 2);
  assert.match(again.stderr, /release\.key exists: keygen never overwrites a key/);
  assert.equal(await readFile(`${prefix}.key`, 'utf8'), key);
  // Only the .pub exists: the new .key is not left behind alone.
  await writeFile(join(home, 'half.pub'), 'x');
  assert.equal((await runAssay(['db', 'keygen', '--out', join(home, 'half')], { HOME: home })).code, 2);
  assert.deepEqual((await readdir(home)).sort(), ['half.pub', 'release.key', 'release.pub']);
});

test('publish writes bundle + metadata.json (+ .sig with --sign-key), the same bytes every time', async (t) => {
  const home = await freshHome(t);
  const prefix = join(home, 'k');
  assert.equal((await runAssay(['db', 'keygen', '--out', prefix], { HOME: home })).code, 0);
  const out = join(home, 'site');
  const r = await runAssay(['db', 'publish', '-p', source, '--sign-key', `${prefix}.key`, out], {
    HOME: home,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /published .*site: assay-db\.tar\.gz, metadata\.json, metadata\.json\.sig \(.*, sha256:[0-9a-f]{64}, signed\)/,
  );
  assert.deepEqual((await readdir(out)).sort(), ['assay-db.tar.gz', 'metadata.json', 'metadata.json.sig']);
  const bytes = await readFile(join(out, 'metadata.json'));
  const meta = parsePublishedMetadata(bytes, 'test');
  assert.equal(meta.bundle.size, (await stat(join(out, 'assay-db.tar.gz'))).size);
  const sig = decodeSignature(await readFile(join(out, 'metadata.json.sig')), 'test');
  verifyMetadata(bytes, sig, await readFile(`${prefix}.pub`, 'utf8'), 'test');
  const unsigned = await runAssay(['db', 'publish', '-p', source, out], { HOME: home });
  assert.equal(unsigned.code, 0, unsigned.stderr);
  assert.deepEqual(await readFile(join(out, 'metadata.json')), bytes, 'deterministic');
  assert.deepEqual((await readdir(out)).sort(), ['assay-db.tar.gz', 'metadata.json'], 'a stale .sig goes');
  const wrongKey = await runAssay(['db', 'publish', '-p', source, '--sign-key', `${prefix}.pub`, out], {
    HOME: home,
  });
  assert.equal(wrongKey.code, 2);
  assert.match(wrongKey.stderr, /k\.pub is a public key; signing needs the private key/);
});

test('push needs credentials for a Basic-auth registry, and oci://REPO:TAG', async (t) => {
  const home = await freshHome(t);
  const ref = `oci://${registry.host}/security/assay-db:denied`;
  const r = await runAssay(['db', 'push', '-p', source, ref], { HOME: home });
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    new RegExp(`assay: .*${registry.host}/security/assay-db.*(401|unauthorized|credentials)`, 'i'),
  );
  const bad = await runAssay(['db', 'push', '-p', source, 'https://example.com/x'], { HOME: home });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /push needs oci:\/\/REGISTRY\/REPOSITORY:TAG/);
});

/** `db status --json` without the fields that depend on where and when it runs. */
function comparableStatus(stdout: string): unknown {
  const { path: _p, ageHours: _a, sources, ...rest } = JSON.parse(stdout);
  return { ...rest, sources: sources.map(({ ageHours: _s, ...s }: { ageHours: number }) => s) };
}

test('end to end: push (signed) to a Basic-auth registry, pull from a fresh HOME, identical answers', async (t) => {
  const publisher = await freshHome(t);
  const keygen = await runAssay(['db', 'keygen', '--out', join(publisher, 'k')], { HOME: publisher });
  assert.equal(keygen.code, 0, keygen.stderr);
  const ref = `oci://${registry.host}/security/assay-db:latest`;
  const push = await runAssay(
    ['db', 'push', '-p', source, '--sign-key', join(publisher, 'k.key'), '--username', 'ci', ref],
    { HOME: publisher, ASSAY_PASSWORD: 'pushpass' },
  );
  assert.equal(push.code, 0, push.stderr);
  assert.match(push.stdout, /^sha256:[0-9a-f]{64}\n$/);
  assert.match(push.stderr, /pushed oci:\/\/.*assay-db:latest \(.*, bundle sha256:[0-9a-f]{64}, signed\)/);

  // The scanner: a fresh HOME whose docker config holds the registry login.
  const scanner = await freshHome(t);
  await mkdir(join(scanner, '.docker'));
  const auth = Buffer.from('ci:pushpass').toString('base64');
  await writeFile(
    join(scanner, '.docker', 'config.json'),
    JSON.stringify({ auths: { [registry.host]: { auth } } }),
  );
  const pubKey = join(scanner, 'db.pub');
  await writeFile(pubKey, await readFile(join(publisher, 'k.pub')));
  const env = { HOME: scanner, ASSAY_DB_PUBLIC_KEY: pubKey };
  const pull = await runAssay(['db', 'update', '--from', ref], env);
  assert.equal(pull.code, 0, pull.stderr);
  assert.match(pull.stdout, /^vulnerability DB updated from oci:\/\/.*assay-db:latest \(.* in [\d.]+ s\)\n$/);
  const again = await runAssay(['db', 'update', '--from', ref], env);
  assert.match(again.stdout, /^vulnerability DB unchanged \(oci:\/\/.*\)\n$/);

  const [mine, theirs] = await Promise.all([
    runAssay(['db', 'status', '--json', '-p', source], { HOME: publisher }),
    runAssay(['db', 'status', '--json'], { HOME: scanner }),
  ]);
  assert.equal(theirs.code, 0, theirs.stderr);
  assert.deepEqual(comparableStatus(theirs.stdout), comparableStatus(mine.stdout));
  for (const id of ['CVE-2024-1002', 'CVE-2024-2001', 'CVE-2021-23337']) {
    const [a, b] = await Promise.all([
      runAssay(['db', 'search', id, '-p', source], { HOME: publisher }),
      runAssay(['db', 'search', id], { HOME: scanner }),
    ]);
    assert.equal(b.code, 0, b.stderr);
    assert.ok(a.stdout.includes(id) && !a.stdout.startsWith('no records'), id);
    assert.equal(b.stdout, a.stdout, id);
  }
});

test('--help teaches publish, push and keygen with examples', async () => {
  for (const [cmd, needle] of [
    ['publish', 'assay db update --from https://'],
    ['push', 'assay db push oci://'],
    ['keygen', 'assay db keygen --out'],
  ] as const) {
    const r = await runAssay(['db', cmd, '--help'], { HOME: tmpdir() });
    assert.equal(r.code, 0);
    assert.ok(r.stdout.includes(needle), `${cmd}: ${needle}`);
  }
});
