/**
 * Ed25519 signatures over the exact bytes of the published metadata (RFC 8032), with
 * node:crypto: the metadata names the bundle's digest, so a verified signature vouches for the
 * whole DB. Keys are PEM: PKCS#8 private, SPKI public (`assay db keygen` writes both).
 * A signature travels as base64 text (the `.sig` file, the OCI annotation); raw 64 bytes are
 * accepted too.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AssayError, errorMessage } from '../../model/errors.js';

const SIGNATURE_BYTES = 64;

export interface SigningKeys {
  privateKeyPem: string;
  publicKeyPem: string;
}

export function generateSigningKeys(): SigningKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

export function signMetadata(bytes: Buffer, privateKeyPem: string, label = 'the signing key'): Buffer {
  return sign(null, bytes, privateKey(privateKeyPem, label));
}

/** Throws unless `signature` is a valid signature of `bytes` by `publicKeyPem`. */
export function verifyMetadata(
  bytes: Buffer,
  signature: Buffer | undefined,
  publicKeyPem: string,
  sourceLabel: string,
): void {
  const key = publicKey(publicKeyPem, 'the configured public key');
  if (!signature)
    throw new AssayError(
      'invalid-input',
      `${sourceLabel} publishes no signature but a public key is configured`,
    );
  const ok = signature.length === SIGNATURE_BYTES && verify(null, bytes, key, signature);
  if (!ok)
    throw new AssayError(
      'invalid-input',
      `signature of ${sourceLabel} does not verify with the configured public key`,
    );
}

/** `sha256:<hex>` of the public key's SPKI DER: which key a pull was verified with. */
export function publicKeyFingerprint(publicKeyPem: string): string {
  const der = publicKey(publicKeyPem, 'the configured public key').export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

/** The text form of a signature. */
export function encodeSignature(signature: Buffer): string {
  return `${signature.toString('base64')}\n`;
}

/** A signature as fetched: base64 text, or the raw 64 bytes. */
export function decodeSignature(data: Buffer, sourceLabel: string): Buffer {
  const text = data.toString('latin1').trim();
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    const raw = Buffer.from(text, 'base64');
    if (raw.length === SIGNATURE_BYTES) return raw;
  }
  if (data.length === SIGNATURE_BYTES) return data;
  throw new AssayError(
    'invalid-input',
    `signature of ${sourceLabel} is not an Ed25519 signature (${data.length} bytes, neither base64 nor raw)`,
  );
}

export async function loadPrivateKeyFile(path: string): Promise<string> {
  const pem = await readKeyFile(path);
  privateKey(pem, path);
  return pem;
}

export async function loadPublicKeyFile(path: string): Promise<string> {
  const pem = await readKeyFile(path);
  publicKey(pem, path);
  return pem;
}

async function readKeyFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new AssayError('usage', `cannot read the key ${path}: ${errorMessage(err)}`, { cause: err });
  }
}

function privateKey(pem: string, label: string): KeyObject {
  if (!pem.includes('-----BEGIN')) throw notPem(label, 'private');
  if (/-----BEGIN PUBLIC KEY-----/.test(pem))
    throw new AssayError('usage', `${label} is a public key; signing needs the private key`);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw new AssayError('usage', `${label} is not a usable PEM private key: ${errorMessage(err)}`);
  }
  return ed25519(key, label);
}

function publicKey(pem: string, label: string): KeyObject {
  if (!pem.includes('-----BEGIN')) throw notPem(label, 'public');
  // createPublicKey would derive the public half of a private key: refuse instead, so the
  // private key does not get copied to every scanner.
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem))
    throw new AssayError('usage', `${label} is a private key; configure the public key instead`);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw new AssayError('usage', `${label} is not a usable PEM public key: ${errorMessage(err)}`);
  }
  return ed25519(key, label);
}

function ed25519(key: KeyObject, label: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519')
    throw new AssayError(
      'usage',
      `${label} is a ${key.asymmetricKeyType ?? 'unknown'} key; assay DB signatures use Ed25519 (\`assay db keygen\`)`,
    );
  return key;
}

function notPem(label: string, kind: string): AssayError {
  return new AssayError(
    'usage',
    `${label} is not a PEM ${kind} key (no "-----BEGIN" line); \`assay db keygen\` writes Ed25519 keys in PEM`,
  );
}
