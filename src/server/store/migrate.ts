/**
 * Applies pending migrations on start. All of them run in one transaction holding a
 * transaction-level advisory lock, so two replicas starting together neither race nor half-apply:
 * the second waits, then finds nothing left to do.
 * https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
 */
import { migrations as all, type Migration } from './migrations.js';
import type { Sql } from './sql.js';

/** An arbitrary constant naming "assay schema migrations" in pg_advisory_xact_lock's key space. */
const MIGRATION_LOCK = 74_201_107;

export async function migrate(sql: Sql, migrations: readonly Migration[] = all): Promise<number[]> {
  return sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(done.rows.map((r) => r.version));
    const ran: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      ran.push(m.version);
    }
    return ran;
  });
}
