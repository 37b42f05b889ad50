import assert from 'node:assert/strict';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { isAssayError } from '../../model/errors.js';
import { pullDb } from './pull.js';
import { generateSigningKeys } from './sign.js';
import { dbFacts, listing, published, sourceDbDir, tempDir } from './testdata/helpers.js';

test('a published directory: pulled, then unchanged; its bundle left where it was', async (t) => {
  const pub = await published(t);
  const dbDir = join(await tempDir(t), 'db');
  const first = await pullDb([{ kind: 'file', path: pub.outDir }], { dbDir });
  assert.equal(first.status, 'updated');
  assert.equal(first.source, pub.outDir);
  assert.deepEqual(first.metadata, pub.metadata);
  assert.deepEqual(dbFacts(dbDir), dbFacts(await sourceDbDir()));
  assert.deepEqual(await listing(pub.outDir), ['assay-db.tar.gz', 'metadata.json']);
  assert.deepEqual(await listing(dbDir), ['repository.json', 'vulnerabilities.db']);
  assert.equal((await pullDb([{ kind: 'file', path: pub.outDir }], { dbDir })).status, 'unchanged');
});

test('a bare bundle file: metadata synthesized from its inner metadata and digest', async (t) => {
  const pub = await published(t);
  const dbDir = join(await tempDir(t), 'db');
  const out = await pullDb([{ kind: 'file', path: pub.bundlePath }], { dbDir });
  assert.equal(out.status, 'updated');
  assert.deepEqual(out.metadata, pub.metadata, 'the same document publish wrote');
  assert.deepEqual(dbFacts(dbDir), dbFacts(await sourceDbDir()));
  assert.equal((await pullDb([{ kind: 'file', path: pub.bundlePath }], { dbDir })).status, 'unchanged');
  // A directory publish of the same DB is recognized as the same bundle.
  assert.equal((await pullDb([{ kind: 'file', path: pub.outDir }], { dbDir })).status, 'unchanged');
});

test('signatures: a signed directory verifies; a bare bundle or a missing .sig with a key configured fails', async (t) => {
  const keys = generateSigningKeys();
  const pub = await published(t, { signingKeyPem: keys.privateKeyPem });
  const dbDir = join(await tempDir(t), 'db');
  const publicKey = keys.publicKeyPem;
  await assert.rejects(
    pullDb([{ kind: 'file', path: pub.bundlePath }], { dbDir, publicKey }),
    /assay-db\.tar\.gz is a bare bundle and carries no signature, but a public key is configured/,
  );
  const unsigned = await published(t);
  await assert.rejects(
    pullDb([{ kind: 'file', path: unsigned.outDir }], { dbDir, publicKey }),
    /out publishes no signature but a public key is configured/,
  );
  assert.deepEqual(await listing(dbDir), []);
  assert.equal((await pullDb([{ kind: 'file', path: pub.outDir }], { dbDir, publicKey })).status, 'updated');
});

test('a directory whose bundle does not match its metadata, or without metadata, is refused', async (t) => {
  const pub = await published(t);
  const other = join(await tempDir(t), 'other.tgz');
  await writeFile(other, 'not the bundle');
  await copyFile(other, pub.bundlePath);
  const dbDir = join(await tempDir(t), 'db');
  await assert.rejects(
    pullDb([{ kind: 'file', path: pub.outDir }], { dbDir }),
    (e) =>
      isAssayError(e, 'digest-mismatch') &&
      /assay-db\.tar\.gz: the bundle is 14 bytes, the metadata says \d+/.test(e.message),
  );
  const empty = await tempDir(t);
  await assert.rejects(
    pullDb([{ kind: 'file', path: empty }], { dbDir }),
    (e) => isAssayError(e, 'not-found') && /has no metadata\.json/.test(e.message),
  );
  await assert.rejects(
    pullDb([{ kind: 'file', path: other }], { dbDir }),
    (e) => isAssayError(e) && /other\.tgz: .*not a valid assay DB bundle/.test(e.message),
  );
  assert.deepEqual(await listing(dbDir), []);
  assert.ok((await readFile(other)).length > 0, 'the source file is left alone');
});
