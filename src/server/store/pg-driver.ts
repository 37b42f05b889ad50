/** PostgreSQL server through a `pg` connection pool. */
import pg from 'pg';
import { classify, type Sql, type SqlResult, type SqlValue } from './sql.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

async function run<T>(db: Queryable, text: string, params: readonly SqlValue[] = []): Promise<SqlResult<T>> {
  try {
    const r = await db.query(text, [...params]);
    return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
  } catch (err) {
    throw classify(err);
  }
}

function clientSql(client: pg.PoolClient): Sql {
  const self: Sql = {
    query: (text, params) => run(client, text, params),
    exec: async (script) => void (await run(client, script)),
    transaction: (fn) => fn(self),
    close: async () => {},
  };
  return self;
}

async function inTransaction<T>(pool: pg.Pool, fn: (tx: Sql) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw classify(err);
  }
  let broken = false;
  try {
    await run(client, 'BEGIN');
    const out = await fn(clientSql(client));
    await run(client, 'COMMIT');
    return out;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true; // the connection itself failed: drop it from the pool
    }
    throw classify(err);
  } finally {
    client.release(broken);
  }
}

export function openPg(url: string, max = 10): Sql {
  // numeric/bigint come back as strings by default; the schema uses float8/int4 so values arrive as numbers.
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5000 });
  // An idle client whose server went away emits 'error' on the pool; without a listener it would
  // crash the process. The next query gets a fresh connection (or a 503 while the server is down).
  pool.on('error', () => {});
  return {
    query: (text, params) => run(pool, text, params),
    exec: async (script) => void (await run(pool, script)),
    transaction: (fn) => inTransaction(pool, fn),
    close: () => pool.end(),
  };
}
