/**
 * Embedded PostgreSQL (PGlite, https://pglite.dev/docs/api): one in-process connection over a data
 * directory. PGlite serialises queries and transactions itself, so no pool is needed.
 */
import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { classify, type Sql, type SqlResult, type SqlValue } from './sql.js';

type Queryable = Pick<Transaction, 'query' | 'exec'>;

async function run<T>(db: Queryable, text: string, params: readonly SqlValue[] = []): Promise<SqlResult<T>> {
  try {
    const r = await db.query<T>(text, [...params]);
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
  } catch (err) {
    throw classify(err);
  }
}

async function exec(db: Queryable, script: string): Promise<void> {
  try {
    await db.exec(script);
  } catch (err) {
    throw classify(err);
  }
}

function txSql(tx: Transaction): Sql {
  const self: Sql = {
    query: (text, params) => run(tx, text, params),
    exec: (script) => exec(tx, script),
    transaction: (fn) => fn(self),
    close: async () => {},
  };
  return self;
}

/** Start from a dumped data directory instead of running initdb (tests). */
export interface PgliteSeed {
  dataDir: Blob;
}

/** `dataDir` undefined = in memory (tests). */
export async function openPglite(
  dataDir?: string,
  seed?: PgliteSeed,
): Promise<Sql & { readonly db: PGlite }> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(seed ? { loadDataDir: seed.dataDir } : {}),
  });
  return {
    db,
    query: (text, params) => run(db, text, params),
    exec: (script) => exec(db, script),
    transaction: async (fn) => {
      try {
        return await db.transaction((tx) => fn(txSql(tx)));
      } catch (err) {
        throw classify(err);
      }
    },
    close: async () => {
      if (!db.closed) await db.close();
    },
  };
}
