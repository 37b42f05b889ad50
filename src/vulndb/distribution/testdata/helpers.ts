/**
 * Shared by the distribution tests: a real DB built from the real-format feed excerpts, published
 * with `publishBundle`, served by the feed test server on 127.0.0.1, and the facts `db status`
 * and `db search` would print about a DB directory, to compare a pulled DB with its origin.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { importFeedsDbDir } from '../../../scan/testing/advisories.js';
import { searchId, searchPackage } from '../../search.js';
import { VulnDb } from '../../store.js';
import { FeedServer, type Route } from '../../update/test-server.js';
import { type PublishOptions, type PublishResult, publishBundle } from '../publish.js';
import type { DbRepository } from '../types.js';

export async function tempDir(t: TestContext, prefix = 'assay-dist-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

let built: Promise<string> | undefined;

/** One DB directory per test process, built from the feed fixtures (never written to by tests). */
export function sourceDbDir(): Promise<string> {
  built ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'assay-dist-src-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    await importFeedsDbDir(dir);
    return dir;
  })();
  return built;
}

export interface Published extends PublishResult {
  outDir: string;
}

export async function published(t: TestContext, opts: PublishOptions = {}): Promise<Published> {
  const outDir = join(await tempDir(t, 'assay-dist-out-'), 'out');
  return { ...(await publishBundle(await sourceDbDir(), outDir, opts)), outDir };
}

export const METADATA_PATH = '/db/metadata.json';
export const BUNDLE_PATH = '/db/assay-db.tar.gz';

/** The HTTP repository of a published directory served by `serve` (or any `path` on `base`). */
export function httpRepo(base: string, path = METADATA_PATH): DbRepository {
  return { kind: 'http', url: new URL(path, base).href };
}

/** Serves a published directory under `/db/`; `bundle` overrides the bundle route's options. */
export async function serve(t: TestContext, pub: Published, bundle: Partial<Route> = {}): Promise<FeedServer> {
  const server = await new FeedServer().start();
  t.after(() => server.stop());
  server.file(METADATA_PATH, pub.metadataBytes);
  if (pub.signaturePath) server.file(`${METADATA_PATH}.sig`, await readFile(pub.signaturePath));
  server.file(BUNDLE_PATH, await readFile(pub.bundlePath), bundle);
  return server;
}

/** What `db status` and `db search` say about the DB in `dir`. */
export function dbFacts(dir: string) {
  const db = VulnDb.open(dir);
  try {
    const info = db.info();
    return {
      schemaVersion: info.schemaVersion,
      builtAt: info.builtAt,
      sources: info.sources.map((s) => ({ id: s.id, importer: s.importer, records: s.records })),
      ids: ['CVE-2024-1001', 'CVE-2024-2001', 'GHSA-35jh-r3h4-6jhm'].map((id) => searchId(db, id)),
      lodash: searchPackage(db, { name: 'lodash', version: '4.17.20' }),
    };
  } finally {
    db.close();
  }
}

/** A directory's entries, sorted (for "nothing half-written left behind"). */
export async function listing(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}
