import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { isAssayError } from '../../model/errors.js';
import { exportBundle } from '../bundle.js';
import { dbFilePath } from '../store.js';
import { sha256Digest } from './metadata.js';
import { publishBundle } from './publish.js';
import { decodeSignature, generateSigningKeys, verifyMetadata } from './sign.js';
import { listing, published, sourceDbDir, tempDir } from './testdata/helpers.js';

test('publish writes the bundle, metadata naming its digest and size, and nothing else', async (t) => {
  const pub = await published(t);
  assert.deepEqual(await listing(pub.outDir), ['assay-db.tar.gz', 'metadata.json']);
  const bundle = await readFile(pub.bundlePath);
  assert.equal(pub.metadata.bundle.size, bundle.length);
  assert.equal(pub.metadata.bundle.digest, await sha256Digest(pub.bundlePath));
  assert.deepEqual(await readFile(pub.metadataPath), pub.metadataBytes);
  // The bundle is exactly `db export`'s: mirrors of either compare equal.
  const exported = join(await tempDir(t), 'export.tar.gz');
  const r = await exportBundle(dbFilePath(await sourceDbDir()), exported);
  assert.deepEqual(await readFile(exported), bundle);
  assert.equal(pub.metadata.dbSha256, r.metadata.sha256);
});

test('publishing twice gives the same bytes; a signed publish adds a verifying .sig; unsigned removes it', async (t) => {
  const keys = generateSigningKeys();
  const out = join(await tempDir(t), 'pub');
  const db = await sourceDbDir();
  const signed = await publishBundle(db, out, { signingKeyPem: keys.privateKeyPem, bundleName: 'db.tgz' });
  assert.deepEqual(await listing(out), ['db.tgz', 'metadata.json', 'metadata.json.sig']);
  const sig = decodeSignature(await readFile(join(out, 'metadata.json.sig')), out);
  verifyMetadata(await readFile(join(out, 'metadata.json')), sig, keys.publicKeyPem, out);
  const again = await publishBundle(db, out, { signingKeyPem: keys.privateKeyPem, bundleName: 'db.tgz' });
  assert.deepEqual(again.metadataBytes, signed.metadataBytes);
  assert.deepEqual(again.signature, signed.signature, 'Ed25519 signatures are deterministic');
  await publishBundle(db, out, { bundleName: 'db.tgz' });
  assert.deepEqual(await listing(out), ['db.tgz', 'metadata.json']);
});

test('publish refuses a bundle name that is a path, and a DB directory without a DB', async (t) => {
  const dir = await tempDir(t);
  await assert.rejects(publishBundle(await sourceDbDir(), dir, { bundleName: '../x.tgz' }), (e) =>
    isAssayError(e, 'usage'),
  );
  await assert.rejects(publishBundle(join(dir, 'nodb'), join(dir, 'out')), (e) =>
    isAssayError(e, 'database'),
  );
  assert.deepEqual(await listing(join(dir, 'out')), []);
});
