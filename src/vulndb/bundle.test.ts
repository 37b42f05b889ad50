import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { isAssayError } from '../model/errors.js';
import { buildDb } from './build.js';
import { exportBundle, extractBundle, isBundleHead } from './bundle.js';
import { readHead } from './detect.js';
import { dbFilePath } from './store.js';
import { scriptedImporter } from './testing/scripted-importer.js';
import { DB_SCHEMA_VERSION } from './types.js';

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'assay-bundle-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function exported(t: TestContext): Promise<{ dir: string; bundle: string }> {
  const dir = await tempDir(t);
  await buildDb(join(dir, 'db'), (b) =>
    b.importWith(
      scriptedImporter(
        [
          { snapshot: 'kev' },
          { kev: { cve: 'CVE-2024-1', dateAdded: '2024-01-01', knownRansomwareCampaignUse: false } },
        ],
        'kev',
      ),
      'kev.json',
    ),
  );
  const bundle = join(dir, 'db.tar.gz');
  await exportBundle(dbFilePath(join(dir, 'db')), bundle);
  return { dir, bundle };
}

/** The bundle's entries, for re-packing altered copies. */
async function entries(bundle: string): Promise<Array<{ name: string; data: Buffer }>> {
  const extract = tar.extract();
  const out: Array<{ name: string; data: Buffer }> = [];
  const done = (async () => {
    for await (const e of extract) {
      const chunks: Buffer[] = [];
      for await (const c of e) chunks.push(c as Buffer);
      out.push({ name: e.header.name, data: Buffer.concat(chunks) });
    }
  })();
  extract.end(gunzipSync(await readFile(bundle)));
  await done;
  return out;
}

async function repack(path: string, files: Array<{ name: string; data: Buffer }>): Promise<void> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of pack) chunks.push(c as Buffer);
  })();
  for (const f of files) pack.entry({ name: f.name }, f.data);
  pack.finalize();
  await done;
  await writeFile(path, gzipSync(Buffer.concat(chunks)));
}

test('a bundle round-trips: detected by content, sha256 and schema checked, file beside the DB', async (t) => {
  const { dir, bundle } = await exported(t);
  assert.ok(isBundleHead(await readHead(bundle)));
  const { file, metadata } = await extractBundle(bundle, dbFilePath(join(dir, 'db')));
  assert.equal(metadata.schemaVersion, DB_SCHEMA_VERSION);
  assert.deepEqual(
    metadata.sources.map((s) => s.id),
    ['kev'],
  );
  assert.ok(file.startsWith(join(dir, 'db', 'vulnerabilities.db.bundle-')));
  assert.ok(existsSync(file));
});

test('a tampered DB, a foreign schema version, a missing or an extra entry are refused, leaving nothing behind', async (t) => {
  const { dir, bundle } = await exported(t);
  const good = await entries(bundle);
  const meta = JSON.parse(good[0]!.data.toString('utf8'));
  const db = good[1]!;
  const flipped = Buffer.from(db.data);
  flipped[flipped.length - 1] = (flipped.at(-1) ?? 0) ^ 0xff;
  const cases: Array<[string, Array<{ name: string; data: Buffer }>, RegExp]> = [
    [
      'tampered',
      [good[0]!, { name: db.name, data: flipped }],
      /vulnerabilities\.db has sha256 [0-9a-f]{64}, metadata says/,
    ],
    [
      'schema',
      [{ name: 'metadata.json', data: Buffer.from(JSON.stringify({ ...meta, schemaVersion: 99 })) }, db],
      new RegExp(`bundle has schema version 99, this assay needs ${DB_SCHEMA_VERSION}`),
    ],
    ['no-db', [good[0]!], /no vulnerabilities\.db/],
    ['extra', [...good, { name: '../evil', data: Buffer.from('x') }], /unexpected entry \.\.\/evil/],
    ['bad-json', [{ name: 'metadata.json', data: Buffer.from('{') }, db], /metadata\.json is not JSON/],
  ];
  for (const [name, files, message] of cases) {
    const path = join(dir, `${name}.tar.gz`);
    await repack(path, files);
    await assert.rejects(extractBundle(path, dbFilePath(join(dir, 'db'))), (err: unknown) => {
      assert.ok(isAssayError(err), name);
      assert.match(err.message, message, name);
      return true;
    });
  }
  assert.deepEqual(readdirSync(join(dir, 'db')), ['vulnerabilities.db']);
});

test('a compaction that fails (in its child process) names the DB and the destination, leaving nothing', async (t) => {
  const { dir } = await exported(t);
  const db = dbFilePath(join(dir, 'db'));
  await assert.rejects(exportBundle(db, join(dir, 'no-such-dir', 'out.tar.gz')), (err) => {
    assert.ok(isAssayError(err, 'database'));
    assert.match(
      err.message,
      /^cannot compact .*vulnerabilities\.db into .*no-such-dir.*: unable to open database/,
    );
    return true;
  });
  assert.deepEqual(readdirSync(dir).sort(), ['db', 'db.tar.gz']);
});
