/**
 * The manager process: open the store (migrating it), make sure an admin token exists, listen,
 * re-evaluate expiring exceptions every minute, and close cleanly on SIGINT/SIGTERM.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { AssayError } from '../model/errors.js';
import { defaultDbDir } from '../paths.js';
import { buildApp } from './app.js';
import { lockDataDir } from './data-dir-lock.js';
import { defaultDataDir } from './paths.js';
import { DbBundleService } from './services/db-bundle.js';
import { sweepExpiredExceptions } from './services/exceptions.js';
import { ensureFirstAdmin } from './services/tokens.js';
import { openStore, type Store } from './store/store.js';
import { defaultWebRoot } from './web.js';

export interface ServerOptions {
  /** `host:port`, default 127.0.0.1:8080. */
  listen?: string;
  /** A postgres:// URL; without it the embedded PGlite store in `dataDir`. */
  database?: string;
  dataDir?: string;
  /** Structured JSON logs (Fastify's pino) to stdout. */
  log?: boolean;
  /** The web UI build to serve; default `dist/web` of this installation, null for none. */
  webRoot?: string | null;
  /** The vulnerability DB directory served at /api/v1/db/* (default: the scanner's default DB dir). */
  dbPath?: string;
  /** An Ed25519 private key (PEM) that signs the served DB's metadata. */
  dbSigningKeyPem?: string;
}

export interface RunningServer {
  url: string;
  /** Printed once on the first start of an empty store. */
  firstAdminToken?: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

const SWEEP_MS = 60_000;

export function parseListen(listen = '127.0.0.1:8080'): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(listen);
  const port = Number(m?.[3]);
  if (!m || port > 65_535)
    throw new AssayError('usage', `--listen must be HOST:PORT (e.g. 127.0.0.1:8080), got ${listen}`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

/** Opens the configured store; for PGlite also takes the data directory's lock. */
export async function openConfiguredStore(opts: Pick<ServerOptions, 'database' | 'dataDir'>): Promise<Store> {
  if (opts.database) return openStore({ url: opts.database });
  const dataDir = opts.dataDir ?? defaultDataDir();
  await mkdir(dataDir, { recursive: true });
  const unlock = await lockDataDir(dataDir);
  try {
    const store = await openStore({ dataDir });
    return { ...store, close: () => store.close().finally(unlock) };
  } catch (err) {
    await unlock();
    throw err;
  }
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const { host, port } = parseListen(opts.listen);
  const store = await openConfiguredStore(opts);
  const firstAdminToken = await ensureFirstAdmin(store);
  const db = dbService(opts);
  const app = await buildApp({
    store,
    logger: opts.log ? { level: 'info' } : false,
    webRoot: opts.webRoot === undefined ? defaultWebRoot() : opts.webRoot,
    db,
  });
  // Publishing a large DB takes longer than a puller waits for a first byte: do it ahead of the
  // requests, at start and whenever the DB file changed since (checked with the sweep).
  const publishDb = () =>
    db.get().catch((err) => app.log.warn({ err }, 'publishing the vulnerability DB failed'));
  let since = new Date();
  const timer = setInterval(() => {
    void publishDb();
    const now = new Date();
    sweepExpiredExceptions(store, since)
      .then(() => (since = now))
      .catch((err) => app.log.warn({ err }, 'exception expiry sweep failed'));
  }, SWEEP_MS);
  timer.unref();
  try {
    await app.listen({ host, port });
  } catch (err) {
    clearInterval(timer);
    await app.close();
    await store.close();
    throw err;
  }
  void publishDb();
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${bound}`,
    ...(firstAdminToken ? { firstAdminToken } : {}),
    app,
    close: async () => {
      clearInterval(timer);
      await app.close();
      await store.close();
    },
  };
}

/** The DB is published into the data dir, so a restart reuses the copy of an unchanged DB. */
function dbService(opts: ServerOptions): DbBundleService {
  return new DbBundleService({
    dbDir: opts.dbPath ?? defaultDbDir(),
    workDir: join(opts.dataDir ?? defaultDataDir(), 'db-published'),
    ...(opts.dbSigningKeyPem ? { signingKeyPem: opts.dbSigningKeyPem } : {}),
  });
}

/** Closes the server on the first SIGINT/SIGTERM; resolves once closed. */
export function closeOnSignals(server: RunningServer): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.close().then(resolve, reject);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
