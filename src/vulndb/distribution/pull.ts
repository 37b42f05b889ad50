/**
 * `assay db update --from …`: tries each repository in order (a mirror first, a fallback
 * after) until one yields the DB, and swaps it in only after every check passed: the signature
 * over the metadata (when a public key is configured), the schema version, the bundle's digest
 * against the (signed) metadata, and the DB's own sha256, schema and integrity inside the bundle.
 * All downloads go to a temporary directory inside the DB directory (the same file system, so
 * the final swap is a rename) that is removed whatever happens; the DB in use is only ever
 * replaced whole, under the build lock.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AssayError, type ErrorCode, errorMessage, isAssayError } from '../../model/errors.js';
import { DB_FILE, dbFilePath, swapDbFile } from '../db-file.js';
import { parsePublishedMetadata } from './metadata.js';
import { publicKeyFingerprint, verifyMetadata } from './sign.js';
import { dbFileIdentity, repositoryLabel, usableState, writePullState } from './state.js';
import type {
  DbFetcher,
  DbRepository,
  FetchedCandidate,
  PublishedMetadata,
  PullOptions,
  PullOutcome,
  PullState,
} from './types.js';

// Each transport loads when first used: an unchanged check over HTTP needs no registry client.
const FETCHERS: Record<DbRepository['kind'], () => Promise<DbFetcher>> = {
  http: async () => (await import('./http.js')).fetchFromHttp,
  oci: async () => (await import('./oci.js')).fetchFromOci,
  file: async () => (await import('./file.js')).fetchFromFile,
};

const TEMP_PREFIX = '.pull-';

export async function pullDb(repos: readonly DbRepository[], opts: PullOptions): Promise<PullOutcome> {
  if (repos.length === 0)
    throw new AssayError(
      'usage',
      'no DB repository: pass --from, set ASSAY_DB_REPOSITORY or the config key db-repository',
    );
  await mkdir(opts.dbDir, { recursive: true });
  await removeStaleTempDirs(opts.dbDir);
  const state = await stateToCheck(opts);
  const failures: { label: string; error: unknown }[] = [];
  for (const [i, repo] of repos.entries()) {
    const label = repositoryLabel(repo);
    opts.onMessage?.(`trying ${label}`);
    try {
      return await pullFrom(repo, label, state, opts);
    } catch (err) {
      if (opts.signal?.aborted) throw new AssayError('aborted', `${label}: aborted`, { cause: err });
      failures.push({ label, error: err });
      const next = i + 1 < repos.length ? '; trying next' : '';
      opts.onMessage?.(`${label} failed: ${reason(label, err)}${next}`);
    }
  }
  throw allFailed(failures, existsSync(dbFilePath(opts.dbDir)));
}

/** The last pull's state, unless the DB it describes is gone or a (new) public key must verify this one. */
async function stateToCheck(opts: PullOptions): Promise<PullState | undefined> {
  const state = await usableState(opts.dbDir, opts.onMessage);
  if (!state || !opts.publicKey) return state;
  return state.publicKey === publicKeyFingerprint(opts.publicKey) ? state : undefined;
}

function reason(label: string, err: unknown): string {
  const text = errorMessage(err);
  return text.startsWith(`${label}: `) ? text.slice(label.length + 2) : text;
}

function allFailed(failures: readonly { label: string; error: unknown }[], hadDb: boolean): AssayError {
  const codes = new Set<ErrorCode>(failures.map((f) => (isAssayError(f.error) ? f.error.code : 'internal')));
  const code: ErrorCode = codes.size === 1 ? [...codes][0]! : 'network';
  const lines = failures.map((f) => `  ${f.label}: ${reason(f.label, f.error)}`);
  const head =
    failures.length === 1
      ? 'the DB could not be pulled'
      : `none of the ${failures.length} DB repositories could be used`;
  const kept = hadDb ? '; the DB in use is unchanged' : '';
  return new AssayError(code, `${head}${kept}:\n${lines.join('\n')}`, {
    cause: failures.at(-1)?.error,
  });
}

async function pullFrom(
  repo: DbRepository,
  label: string,
  state: PullState | undefined,
  opts: PullOptions,
): Promise<PullOutcome> {
  const tempDir = await mkdtemp(join(opts.dbDir, `${TEMP_PREFIX}${process.pid}-`));
  try {
    const fetcher = await FETCHERS[repo.kind]();
    const got = await fetcher(repo, state, {
      ...opts,
      tempDir,
      wantSignature: opts.publicKey !== undefined,
    });
    if (got === 'unchanged') return unchanged(label, state, opts);
    return await install(got, label, tempDir, opts);
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
}

function unchanged(label: string, state: PullState | undefined, opts: PullOptions): PullOutcome {
  if (!state?.metadata)
    // A fetcher only answers 'unchanged' against a state; one without metadata predates this field.
    throw new AssayError(
      'internal',
      `${label} answered unchanged, but ${opts.dbDir} has no record of the last pull`,
    );
  opts.onMessage?.(`${label}: the DB is up to date (${state.metadata.bundle.digest})`);
  return { status: 'unchanged', source: label, metadata: state.metadata, downloaded: 0 };
}

async function install(
  got: FetchedCandidate,
  label: string,
  tempDir: string,
  opts: PullOptions,
): Promise<PullOutcome> {
  if (opts.publicKey) verifyMetadata(got.metadataBytes, got.signature, opts.publicKey, label);
  const metadata = parsePublishedMetadata(got.metadataBytes, label);
  const dbFileToSwap = await unpack(got.bundleFile, metadata, label, tempDir);
  await swapDbFile(opts.dbDir, dbFileToSwap, async () => {
    const dbFile = await dbFileIdentity(opts.dbDir);
    await writePullState(opts.dbDir, {
      source: label,
      ...(got.etag ? { etag: got.etag } : {}),
      ...(got.manifestDigest ? { manifestDigest: got.manifestDigest } : {}),
      bundleDigest: metadata.bundle.digest,
      dbSha256: metadata.dbSha256,
      pulledAt: new Date().toISOString(),
      metadata,
      ...(dbFile ? { dbFile } : {}),
      ...(opts.publicKey ? { publicKey: publicKeyFingerprint(opts.publicKey) } : {}),
    });
  });
  opts.onMessage?.(`${label}: pulled the DB (${metadata.bundle.digest}, ${metadata.bundle.size} bytes)`);
  return { status: 'updated', source: label, metadata, downloaded: got.downloaded };
}

/** The bundle's DB, checked against the metadata, in a file in `tempDir`; the bundle is removed. */
async function unpack(
  bundleFile: string,
  metadata: PublishedMetadata,
  label: string,
  tempDir: string,
): Promise<string> {
  // Each transport checked the bundle's digest against these very metadata bytes (the contract of
  // DbFetcher; hashing 100 MB again would cost a second read); the size is a cheap second look.
  const size = (await stat(bundleFile)).size;
  if (size !== metadata.bundle.size)
    throw new AssayError(
      'digest-mismatch',
      `${label}: the bundle is ${size} bytes, the metadata says ${metadata.bundle.size}`,
    );
  // The bundle reader (tar, SQLite checks) loads only when there is something new to unpack.
  const { extractBundle } = await import('../bundle.js');
  const extracted = await extractBundle(bundleFile, join(tempDir, DB_FILE)).catch((err: unknown) => {
    throw unpackError(err, label);
  });
  // The bundle is no longer needed: give its space back before the swap.
  await rm(bundleFile, { force: true });
  if (extracted.metadata.sha256 !== metadata.dbSha256)
    throw new AssayError(
      'digest-mismatch',
      `${label}: the bundle holds a DB with sha256 ${extracted.metadata.sha256}, the metadata says ${metadata.dbSha256}`,
    );
  return extracted.file;
}

function unpackError(err: unknown, label: string): AssayError {
  return new AssayError(isAssayError(err) ? err.code : 'invalid-input', `${label}: ${errorMessage(err)}`, {
    cause: err,
  });
}

/** Temporary directories of pulls whose process died (the pid is in the name). */
async function removeStaleTempDirs(dbDir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dbDir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = /^\.pull-(\d+)-/.exec(name)?.[1];
    if (pid && !alive(Number(pid))) await rm(join(dbDir, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
