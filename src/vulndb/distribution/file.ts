/**
 * The local transport: a directory as `publishBundle` writes it (metadata.json, its optional
 * .sig and the bundle it names), e.g. a mounted share or a USB stick, or a bare bundle file of
 * `db export` (its metadata is then synthesized from the bundle's inner metadata.json and its
 * digest; such a file carries no signature). The bundle is copied into the pull's temporary
 * directory while hashed, so the user's file is never moved and cannot change under the check.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { AssayError, errorMessage } from '../../model/errors.js';
import { BUNDLE_METADATA } from '../bundle.js';
import {
  buildPublishedMetadata,
  parsePublishedMetadata,
  serializeMetadata,
  sha256Digest,
} from './metadata.js';
import { decodeSignature } from './sign.js';
import {
  type DbFetcher,
  MAX_METADATA_BYTES,
  METADATA_FILE,
  type PublishedMetadata,
  SIGNATURE_SUFFIX,
} from './types.js';

type FetchOptions = Parameters<DbFetcher>[2];

export const fetchFromFile: DbFetcher = async (repo, state, opts) => {
  if (repo.kind !== 'file') throw new AssayError('internal', 'fetchFromFile: not a file repository');
  const path = repo.path;
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    throw new AssayError('not-found', `${path}: ${errorMessage(err)}`, { cause: err });
  }
  return isDir ? fromDirectory(path, state?.bundleDigest, opts) : fromBundle(path, state?.bundleDigest, opts);
};

async function fromDirectory(dir: string, lastDigest: string | undefined, opts: FetchOptions) {
  const metadataBytes = await readSmall(join(dir, METADATA_FILE), dir, 'metadata');
  const metadata = parsePublishedMetadata(metadataBytes, dir);
  if (metadata.bundle.digest === lastDigest) return 'unchanged' as const;
  let signature: Buffer | undefined;
  if (opts.wantSignature)
    signature = decodeSignature(
      await readSmall(join(dir, METADATA_FILE + SIGNATURE_SUFFIX), dir, 'signature'),
      dir,
    );
  const bundleFile = await copyBundle(resolve(dir, metadata.bundle.file), metadata, opts);
  return { metadataBytes, ...(signature ? { signature } : {}), bundleFile, downloaded: metadata.bundle.size };
}

async function fromBundle(path: string, lastDigest: string | undefined, opts: FetchOptions) {
  if (opts.wantSignature)
    throw new AssayError(
      'invalid-input',
      `${path} is a bare bundle and carries no signature, but a public key is configured: pull from the directory \`db publish\` wrote (metadata.json + metadata.json.sig)`,
    );
  const digest = await sha256Digest(path);
  if (digest === lastDigest) return 'unchanged' as const;
  const size = (await stat(path)).size;
  const bundleFile = join(opts.tempDir, 'bundle.tar.gz');
  const copied = await copyHashed(path, bundleFile, opts);
  if (copied.digest !== digest) {
    await rm(bundleFile, { force: true });
    throw new AssayError('digest-mismatch', `${path} changed while it was read; try again`);
  }
  try {
    const inner = await readInnerMetadata(bundleFile, path);
    const metadata = buildPublishedMetadata(inner, { file: basename(path), digest, size });
    return { metadataBytes: serializeMetadata(metadata), bundleFile, downloaded: size };
  } catch (err) {
    await rm(bundleFile, { force: true });
    throw err;
  }
}

async function readSmall(path: string, dir: string, what: 'metadata' | 'signature'): Promise<Buffer> {
  try {
    const size = (await stat(path)).size;
    if (size > MAX_METADATA_BYTES)
      throw new AssayError(
        'too-large',
        `${path} is ${size} bytes, more than the ${MAX_METADATA_BYTES}-byte limit`,
      );
    return await readFile(path);
  } catch (err) {
    if (err instanceof AssayError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new AssayError('invalid-input', `${path}: ${errorMessage(err)}`, { cause: err });
    if (what === 'signature')
      throw new AssayError('invalid-input', `${dir} publishes no signature but a public key is configured`);
    throw new AssayError(
      'not-found',
      `${dir} has no ${METADATA_FILE}: pull from a directory \`db publish\` wrote, or from a bundle file`,
    );
  }
}

async function copyBundle(source: string, metadata: PublishedMetadata, opts: FetchOptions): Promise<string> {
  const dest = join(opts.tempDir, 'bundle.tar.gz');
  try {
    const { digest, size } = await copyHashed(source, dest, opts);
    if (size !== metadata.bundle.size)
      throw new AssayError(
        'digest-mismatch',
        `${source}: the bundle is ${size} bytes, the metadata says ${metadata.bundle.size}`,
      );
    if (digest !== metadata.bundle.digest)
      throw new AssayError(
        'digest-mismatch',
        `${source}: the bundle has digest ${digest}, the metadata says ${metadata.bundle.digest}`,
      );
    return dest;
  } catch (err) {
    await rm(dest, { force: true });
    if (err instanceof AssayError) throw err;
    throw new AssayError('invalid-input', `${source}: ${errorMessage(err)}`, { cause: err });
  }
}

async function copyHashed(
  source: string,
  dest: string,
  opts: FetchOptions,
): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    createReadStream(source, { highWaterMark: 1 << 20 }),
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        hash.update(chunk);
        size += chunk.length;
        opts.onProgress?.(size, undefined);
        yield chunk;
      }
    },
    createWriteStream(dest),
    ...(opts.signal ? [{ signal: opts.signal }] : []),
  );
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

const innerSchemaFields = ['schemaVersion', 'sha256', 'sources'] as const;

/** The first entry of a bundle, its metadata.json (bundle.ts writes it first). */
async function readInnerMetadata(file: string, label: string) {
  const extract = tar.extract();
  const input = createReadStream(file)
    .pipe(createGunzip())
    .on('error', (err) => extract.destroy(err));
  input.pipe(extract);
  try {
    for await (const entry of extract) {
      if (entry.header.name !== BUNDLE_METADATA || (entry.header.size ?? 0) > MAX_METADATA_BYTES) break;
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(Buffer.from(c as Uint8Array));
      const doc = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      if (innerSchemaFields.every((f) => f in doc)) return innerMetadata(doc, label);
      break;
    }
  } catch (err) {
    if (err instanceof AssayError) throw err;
    throw new AssayError('invalid-input', `${label}: not a valid assay DB bundle: ${errorMessage(err)}`, {
      cause: err,
    });
  } finally {
    input.destroy();
    extract.destroy();
  }
  throw new AssayError(
    'invalid-input',
    `${label}: not a valid assay DB bundle: it does not start with ${BUNDLE_METADATA}`,
  );
}

function innerMetadata(doc: Record<string, unknown>, label: string) {
  const { schemaVersion, builtAt, sha256, sources } = doc;
  if (typeof schemaVersion !== 'number' || typeof sha256 !== 'string' || !Array.isArray(sources))
    throw new AssayError(
      'invalid-input',
      `${label}: not a valid assay DB bundle: its ${BUNDLE_METADATA} lacks fields`,
    );
  const listed = sources.filter(
    (s): s is { id: string; importer: string } =>
      typeof s === 'object' && s !== null && typeof s.id === 'string' && typeof s.importer === 'string',
  );
  return { schemaVersion, ...(typeof builtAt === 'string' ? { builtAt } : {}), sha256, sources: listed };
}
