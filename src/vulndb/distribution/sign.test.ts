import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { isAssayError } from '../../model/errors.js';
import {
  decodeSignature,
  encodeSignature,
  generateSigningKeys,
  loadPrivateKeyFile,
  loadPublicKeyFile,
  signMetadata,
  verifyMetadata,
} from './sign.js';
import { tempDir } from './testdata/helpers.js';

const doc = Buffer.from('{"mediaType":"x"}\n');

function fails(fn: () => unknown, pattern: RegExp) {
  assert.throws(fn, (err) => isAssayError(err) && pattern.test(err.message));
}

test('a signature verifies with its public key, and not over other bytes or with another key', () => {
  const keys = generateSigningKeys();
  assert.match(keys.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
  assert.match(keys.publicKeyPem, /^-----BEGIN PUBLIC KEY-----/);
  const sig = signMetadata(doc, keys.privateKeyPem);
  assert.equal(sig.length, 64);
  verifyMetadata(doc, sig, keys.publicKeyPem, 'src');
  fails(
    () => verifyMetadata(Buffer.from(`${doc} `), sig, keys.publicKeyPem, 'http://m/db'),
    /^signature of http:\/\/m\/db does not verify with the configured public key$/,
  );
  fails(() => verifyMetadata(doc, sig, generateSigningKeys().publicKeyPem, 'src'), /does not verify/);
  fails(() => verifyMetadata(doc, sig.subarray(0, 10), keys.publicKeyPem, 'src'), /does not verify/);
  fails(
    () => verifyMetadata(doc, undefined, keys.publicKeyPem, 'src'),
    /^src publishes no signature but a public key is configured$/,
  );
});

test('signatures travel as base64 text; raw bytes are accepted; anything else is refused', () => {
  const sig = signMetadata(doc, generateSigningKeys().privateKeyPem);
  assert.deepEqual(decodeSignature(Buffer.from(encodeSignature(sig)), 's'), sig);
  assert.deepEqual(decodeSignature(sig, 's'), sig);
  fails(
    () => decodeSignature(Buffer.from('not a signature'), 'mirror'),
    /signature of mirror is not an Ed25519 signature/,
  );
});

test('key files: wrong type, not PEM, swapped halves and missing files are clear errors', async (t) => {
  const dir = await tempDir(t);
  const keys = generateSigningKeys();
  const rsa = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const file = async (name: string, text: string) => {
    const p = join(dir, name);
    await writeFile(p, text);
    return p;
  };
  assert.equal(await loadPrivateKeyFile(await file('k', keys.privateKeyPem)), keys.privateKeyPem);
  assert.equal(await loadPublicKeyFile(await file('k.pub', keys.publicKeyPem)), keys.publicKeyPem);
  const rejected = async (p: Promise<unknown>, pattern: RegExp) =>
    assert.rejects(p, (err) => isAssayError(err, 'usage') && pattern.test(err.message));
  await rejected(
    loadPublicKeyFile(await file('rsa.pub', rsa.publicKey)),
    /rsa\.pub is a rsa key; assay DB signatures use Ed25519/,
  );
  await rejected(loadPrivateKeyFile(await file('rsa', rsa.privateKey)), /is a rsa key/);
  await rejected(loadPublicKeyFile(await file('junk', 'hello')), /junk is not a PEM public key/);
  await rejected(
    loadPrivateKeyFile(await file('pub-as-priv', keys.publicKeyPem)),
    /is a public key; signing needs the private key/,
  );
  await rejected(
    loadPublicKeyFile(await file('priv-as-pub', keys.privateKeyPem)),
    /is a private key; configure the public key/,
  );
  await rejected(loadPublicKeyFile(join(dir, 'missing.pub')), /cannot read the key .*missing\.pub: ENOENT/);
  await rejected(
    loadPublicKeyFile(await file('broken', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n')),
    /not a usable PEM public key/,
  );
});
