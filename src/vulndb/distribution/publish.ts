/**
 * Publishes the DB in use as files for any HTTP server or object store: `OUT/assay-db.tar.gz`
 * (the deterministic bundle of `db export`), `OUT/metadata.json` naming it by digest, and
 * `OUT/metadata.json.sig` when signing. Everything is written to temporary files first and
 * renamed into place, the bundle first and the metadata last, so a puller that sees the new
 * metadata finds the new bundle (a puller between the renames sees a digest mismatch and fails
 * cleanly; nothing ever reads a half-written file).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AssayError } from '../../model/errors.js';
import { exportBundle } from '../bundle.js';
import { dbFilePath } from '../store.js';
import { buildPublishedMetadata, serializeMetadata, sha256Digest } from './metadata.js';
import { encodeSignature, signMetadata } from './sign.js';
import { METADATA_FILE, type PublishedMetadata, SIGNATURE_SUFFIX } from './types.js';

export interface PublishOptions {
  /** An Ed25519 private key (PKCS#8 PEM): also writes `metadata.json.sig`. */
  signingKeyPem?: string;
  /** The bundle's file name in `outDir` (default `assay-db.tar.gz`). */
  bundleName?: string;
}

export interface PublishResult {
  bundlePath: string;
  metadataPath: string;
  signaturePath?: string;
  metadata: PublishedMetadata;
  metadataBytes: Buffer;
  signature?: Buffer;
}

export const DEFAULT_BUNDLE_NAME = 'assay-db.tar.gz';

export async function publishBundle(
  dbDir: string,
  outDir: string,
  opts: PublishOptions = {},
): Promise<PublishResult> {
  const bundleName = opts.bundleName ?? DEFAULT_BUNDLE_NAME;
  if (bundleName !== basename(bundleName) || bundleName === METADATA_FILE || bundleName.startsWith('.'))
    throw new AssayError('usage', `bundle name ${bundleName}: a plain file name other than ${METADATA_FILE}`);
  await mkdir(outDir, { recursive: true });
  const tag = randomBytes(6).toString('hex');
  const tmp = (name: string) => join(outDir, `.${name}.${tag}.tmp`);
  const temps = {
    bundle: tmp(bundleName),
    metadata: tmp(METADATA_FILE),
    sig: tmp(METADATA_FILE + SIGNATURE_SUFFIX),
  };
  try {
    const exported = await exportBundle(dbFilePath(dbDir), temps.bundle);
    const digest = await sha256Digest(temps.bundle);
    const metadata = buildPublishedMetadata(exported.metadata, {
      file: bundleName,
      digest,
      size: exported.bytes,
    });
    const metadataBytes = serializeMetadata(metadata);
    const signature = opts.signingKeyPem ? signMetadata(metadataBytes, opts.signingKeyPem) : undefined;
    await writeFile(temps.metadata, metadataBytes);
    if (signature) await writeFile(temps.sig, encodeSignature(signature));
    const result: PublishResult = {
      bundlePath: join(outDir, bundleName),
      metadataPath: join(outDir, METADATA_FILE),
      metadata,
      metadataBytes,
    };
    await rename(temps.bundle, result.bundlePath);
    if (signature) {
      result.signaturePath = join(outDir, METADATA_FILE + SIGNATURE_SUFFIX);
      result.signature = signature;
      await rename(temps.sig, result.signaturePath);
    } else {
      // A signature of an older metadata would fail every verifying pull: remove it.
      await rm(join(outDir, METADATA_FILE + SIGNATURE_SUFFIX), { force: true });
    }
    await rename(temps.metadata, result.metadataPath);
    return result;
  } finally {
    await Promise.all(Object.values(temps).map((p) => rm(p, { force: true })));
  }
}
