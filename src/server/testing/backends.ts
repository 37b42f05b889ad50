/**
 * Runs the same tests on both store engines: PGlite in memory and a real PostgreSQL server, where
 * every test file gets its own fresh database (so files can run in parallel) dropped afterwards.
 * PostgreSQL missing is a failure with the fix, never a silent skip.
 */
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import pg from 'pg';
import { migrate } from '../store/migrate.js';
import { openPglite, type PgliteSeed } from '../store/pglite-driver.js';
import { openStore, type Store } from '../store/store.js';

export const backends = ['pglite', 'postgres'] as const;
export type Backend = (typeof backends)[number];

export const TEST_PG_URL =
  process.env.ASSAY_TEST_PG_URL ?? 'postgres://assay:assay@127.0.0.1:5432/assay_test';

type Hook = Pick<TestContext, 'after'>;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL for tests is unreachable at ${TEST_PG_URL.replace(/:[^:@/]*@/, ':***@')}: run scripts/install-test-deps.sh (or set ASSAY_TEST_PG_URL)`,
      { cause: err },
    );
  }
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Creates a throw-away database; `drop` removes it (and its connections). */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `assay_t_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => void (await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

/** Runs a statement on the test server as the test role, on the given database. */
export async function onDatabase(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

let seed: Promise<PgliteSeed> | undefined;

/**
 * initdb dominates PGlite's start-up (seconds, tens of seconds on a loaded machine), so each test
 * process builds one migrated data directory and every test store starts from a copy of it.
 */
function pgliteSeed(): Promise<PgliteSeed> {
  seed ??= (async () => {
    const sql = await openPglite(undefined, undefined);
    await migrate(sql);
    const dataDir = await sql.db.dumpDataDir('none');
    await sql.close();
    return { dataDir };
  })();
  return seed;
}

export async function openTestStore(backend: Backend, t: Hook): Promise<{ store: Store; url?: string }> {
  if (backend === 'pglite') {
    const store = await openStore({ dataDir: 'memory', pgliteSeed: await pgliteSeed() });
    t.after(() => store.close());
    return { store };
  }
  const db = await createTestDatabase();
  let store: Store;
  try {
    store = await openStore({ url: db.url, poolSize: 12 });
  } catch (err) {
    await db.drop();
    throw err;
  }
  t.after(async () => {
    await store.close().catch(() => {});
    await db.drop();
  });
  return { store, url: db.url };
}
