/**
 * The manager process: open the store (migrating it), make sure an admin token exists, listen,
 * re-evaluate expiring exceptions every minute, and close cleanly on SIGINT/SIGTERM.
 */
import { mkdir } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { AssayError } from '../model/errors.js';
import { buildApp } from './app.js';
import { lockDataDir } from './data-dir-lock.js';
import { defaultDataDir } from './paths.js';
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
  const app = await buildApp({
    store,
    logger: opts.log ? { level: 'info' } : false,
    webRoot: opts.webRoot === undefined ? defaultWebRoot() : opts.webRoot,
  });
  let since = new Date();
  const timer = setInterval(() => {
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
