/** API tokens: only their SHA-256 is stored, so a leaked database does not leak usable tokens. */
import type { Sql } from './sql.js';

export const roles = ['admin', 'scanner', 'viewer'] as const;
export type Role = (typeof roles)[number];

export interface TokenInfo {
  id: number;
  name: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
}

interface TokenRow {
  id: number;
  name: string;
  role: Role;
  created_at: Date;
  last_used_at: Date | null;
}

const toInfo = (r: TokenRow): TokenInfo => ({
  id: r.id,
  name: r.name,
  role: r.role,
  createdAt: new Date(r.created_at).toISOString(),
  lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
});

export function tokensRepository(sql: Sql) {
  return {
    async insert(name: string, role: Role, hash: string): Promise<TokenInfo> {
      const r = await sql.query<TokenRow>(
        'INSERT INTO tokens (name, role, hash) VALUES ($1, $2, $3) RETURNING id, name, role, created_at, last_used_at',
        [name, role, hash],
      );
      const row = r.rows[0];
      if (!row) throw new Error('INSERT … RETURNING gave no row');
      return toInfo(row);
    },

    /** The token with this hash; records its use at most once a minute to keep reads cheap. */
    async findByHash(hash: string): Promise<TokenInfo | undefined> {
      const r = await sql.query<TokenRow>(
        'SELECT id, name, role, created_at, last_used_at FROM tokens WHERE hash = $1',
        [hash],
      );
      const row = r.rows[0];
      if (!row) return undefined;
      if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000)
        await sql.query('UPDATE tokens SET last_used_at = now() WHERE id = $1', [row.id]);
      return toInfo(row);
    },

    async count(): Promise<number> {
      const r = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM tokens');
      return r.rows[0]?.n ?? 0;
    },

    /** Locks the token and every admin token (so two revocations of the last admins serialise). */
    async lockForRevoke(id: number): Promise<{ token?: TokenInfo; admins: number }> {
      const r = await sql.query<TokenRow>(
        `SELECT id, name, role, created_at, last_used_at FROM tokens
          WHERE id = $1 OR role = 'admin' ORDER BY id FOR UPDATE`,
        [id],
      );
      const row = r.rows.find((x) => x.id === id);
      return {
        ...(row ? { token: toInfo(row) } : {}),
        admins: r.rows.filter((x) => x.role === 'admin').length,
      };
    },

    async remove(id: number): Promise<boolean> {
      const r = await sql.query('DELETE FROM tokens WHERE id = $1', [id]);
      return r.rowCount > 0;
    },

    async list(): Promise<TokenInfo[]> {
      const r = await sql.query<TokenRow>(
        'SELECT id, name, role, created_at, last_used_at FROM tokens ORDER BY id',
      );
      return r.rows.map(toInfo);
    },
  };
}

export type TokensRepository = ReturnType<typeof tokensRepository>;
