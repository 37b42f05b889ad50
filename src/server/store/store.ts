/**
 * The manager's store: repositories over one SQL connection (or transaction). `transaction(fn)`
 * hands the callback a Store whose every repository uses that transaction, so a write and the
 * read after it can never straddle two connections (STYLE principle 12).
 */
import { defaultDataDir } from '../paths.js';
import { type ContentFindingsRepository, contentFindingsRepository } from './content-findings-repo.js';
import { type ExceptionsRepository, exceptionsRepository } from './exceptions-repo.js';
import { type FindingsRepository, findingsRepository } from './findings-repo.js';
import { type ImageListRepository, imageListRepository } from './image-list.js';
import { type ImagesRepository, imagesRepository } from './images-repo.js';
import { migrate } from './migrate.js';
import { type OverviewRepository, overviewRepository } from './overview-repo.js';
import { openPg } from './pg-driver.js';
import { openPglite, type PgliteSeed } from './pglite-driver.js';
import { type SettingsRepository, settingsRepository } from './settings-repo.js';
import type { Sql } from './sql.js';
import { type TokensRepository, tokensRepository } from './tokens-repo.js';

export interface Store {
  readonly images: ImagesRepository;
  readonly imageList: ImageListRepository;
  readonly overview: OverviewRepository;
  readonly findings: FindingsRepository;
  readonly contentFindings: ContentFindingsRepository;
  readonly exceptions: ExceptionsRepository;
  readonly settings: SettingsRepository;
  readonly tokens: TokensRepository;
  /** Which engine: for logs and /readyz. */
  readonly kind: 'postgres' | 'pglite';
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function createStore(sql: Sql, kind: Store['kind']): Store {
  return {
    images: imagesRepository(sql),
    imageList: imageListRepository(sql),
    overview: overviewRepository(sql),
    findings: findingsRepository(sql),
    contentFindings: contentFindingsRepository(sql),
    exceptions: exceptionsRepository(sql),
    settings: settingsRepository(sql),
    tokens: tokensRepository(sql),
    kind,
    transaction: (fn) => sql.transaction((tx) => fn(createStore(tx, kind))),
    ping: async () => void (await sql.query('SELECT 1')),
    close: () => sql.close(),
  };
}

export interface OpenStoreOptions {
  /** A `postgres://` or `postgresql://` URL: use that server. Otherwise the embedded PGlite. */
  url?: string;
  /** PGlite data directory (default `$XDG_DATA_HOME/assay`); `memory` keeps it in memory. */
  dataDir?: string;
  /** Connection pool size for PostgreSQL. */
  poolSize?: number;
  /** PGlite only: start from this dumped (already migrated) data directory — test speed. */
  pgliteSeed?: PgliteSeed;
}

async function openSql(opts: OpenStoreOptions): Promise<{ sql: Sql; kind: Store['kind'] }> {
  if (opts.url && /^postgres(ql)?:\/\//.test(opts.url))
    return { sql: openPg(opts.url, opts.poolSize), kind: 'postgres' };
  if (opts.url) throw new Error(`the database must be a postgres:// URL, got ${opts.url.split(':', 1)[0]}:…`);
  const dir = opts.dataDir === 'memory' ? undefined : (opts.dataDir ?? defaultDataDir());
  return { sql: await openPglite(dir, opts.pgliteSeed), kind: 'pglite' };
}

/** Opens the store and applies pending migrations (safe when several replicas start at once). */
export async function openStore(opts: OpenStoreOptions = {}): Promise<Store> {
  const { sql, kind } = await openSql(opts);
  try {
    await migrate(sql);
  } catch (err) {
    await sql.close().catch(() => {});
    throw err;
  }
  return createStore(sql, kind);
}
