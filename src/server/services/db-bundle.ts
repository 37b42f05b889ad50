/**
 * The vulnerability DB the manager serves to its scanners (GET /api/v1/db/*): the DB directory
 * the server was started with (`--db-path`), published with publishBundle into a work directory
 * on the first request, and published again when the DB file changes (an `assay db update` on
 * the server host swaps in a new file, so its inode, size or mtime change). A published copy
 * survives restarts: its `source.json` remembers which DB file it was made from.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errorMessage } from '../../model/errors.js';
import { publishBundle } from '../../vulndb/distribution/publish.js';
import {
  METADATA_FILE,
  type PublishedMetadata,
  PublishedMetadataSchema,
  SIGNATURE_SUFFIX,
} from '../../vulndb/distribution/types.js';
import { dbFilePath } from '../../vulndb/store.js';

export interface PublishedDb {
  /** The metadata document's exact bytes (what the signature covers). */
  metadataBytes: Buffer;
  metadata: PublishedMetadata;
  signature?: Buffer;
  bundlePath: string;
}

export interface DbBundleOptions {
  /** The DB directory (`vulnerabilities.db`). */
  dbDir: string;
  /** Where published copies are kept (the server's data dir or a temp dir). */
  workDir: string;
  /** An Ed25519 private key (PEM) to sign the metadata with. */
  signingKeyPem?: string;
}

/** The name the bundle gets in the metadata: resolved against /api/v1/db/metadata it is /api/v1/db/bundle. */
export const MANAGER_BUNDLE_NAME = 'bundle';
const SOURCE_FILE = 'source.json';
const PREFIX = 'published-';

export class DbBundleService {
  private current: { key: string; db: PublishedDb } | undefined;
  private pending: Promise<PublishedDb> | undefined;

  constructor(readonly opts: DbBundleOptions) {}

  get dbPath(): string {
    return dbFilePath(this.opts.dbDir);
  }

  /** The published DB as of the DB file now; undefined when there is no DB file. */
  async get(): Promise<PublishedDb | undefined> {
    const key = await fileKey(this.dbPath);
    if (key === undefined) return undefined;
    if (this.current?.key === key) return this.current.db;
    // One publish at a time: concurrent requests during a publish share it.
    this.pending ??= this.refresh(key).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async refresh(key: string): Promise<PublishedDb> {
    await mkdir(this.opts.workDir, { recursive: true });
    const db = (await this.reuse(key)) ?? (await this.publish(key));
    this.current = { key, db };
    return db;
  }

  /** A copy published earlier (before a restart) from the same DB file and with the same signing. */
  private async reuse(key: string): Promise<PublishedDb | undefined> {
    for (const name of await readdir(this.opts.workDir)) {
      if (!name.startsWith(PREFIX)) continue;
      const dir = join(this.opts.workDir, name);
      const source = await readFile(join(dir, SOURCE_FILE), 'utf8').catch(() => '');
      if (source !== sourceText(key, this.opts.signingKeyPem)) continue;
      const loaded = await load(dir).catch(() => undefined);
      if (loaded) return loaded;
    }
    return undefined;
  }

  private async publish(key: string): Promise<PublishedDb> {
    const dir = join(this.opts.workDir, `${PREFIX}${randomBytes(6).toString('hex')}`);
    await mkdir(dir);
    try {
      const r = await publishBundle(this.opts.dbDir, dir, {
        bundleName: MANAGER_BUNDLE_NAME,
        ...(this.opts.signingKeyPem ? { signingKeyPem: this.opts.signingKeyPem } : {}),
      });
      // Written last: a directory without it is an unfinished publish and never reused.
      await writeFile(join(dir, SOURCE_FILE), sourceText(key, this.opts.signingKeyPem));
      await this.removeOthers(dir);
      return {
        metadataBytes: r.metadataBytes,
        metadata: r.metadata,
        bundlePath: r.bundlePath,
        ...(r.signature ? { signature: r.signature } : {}),
      };
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`cannot publish the DB ${this.dbPath}: ${errorMessage(err)}`, { cause: err });
    }
  }

  /**
   * Older copies go once a new one is complete, except the one served until now: a request that
   * was handed it a moment ago may not have opened the bundle yet. A download streaming from a
   * removed copy keeps reading its open file (POSIX unlink); its resume gets the new ETag.
   */
  private async removeOthers(keep: string): Promise<void> {
    const serving = this.current ? dirname(this.current.db.bundlePath) : undefined;
    for (const name of await readdir(this.opts.workDir)) {
      const path = join(this.opts.workDir, name);
      if (name.startsWith(PREFIX) && path !== keep && path !== serving)
        await rm(path, { recursive: true, force: true });
    }
  }
}

/** Identifies one DB file: a swap (rename) changes the inode, an edit in place the size or mtime. */
async function fileKey(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path);
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** The DB file and the signing key (by hash: no secret on disk twice) a copy was published from. */
function sourceText(key: string, signingKeyPem: string | undefined): string {
  const signer = signingKeyPem ? createHash('sha256').update(signingKeyPem).digest('hex') : null;
  return `${JSON.stringify({ key, signer })}\n`;
}

async function load(dir: string): Promise<PublishedDb> {
  const metadataBytes = await readFile(join(dir, METADATA_FILE));
  const metadata = PublishedMetadataSchema.parse(JSON.parse(metadataBytes.toString('utf8')));
  const bundlePath = join(dir, metadata.bundle.file);
  if ((await stat(bundlePath)).size !== metadata.bundle.size) throw new Error('bundle size differs');
  const signature = await readFile(join(dir, `${METADATA_FILE}${SIGNATURE_SUFFIX}`)).catch(() => undefined);
  return { metadataBytes, metadata, bundlePath, ...(signature ? { signature } : {}) };
}
