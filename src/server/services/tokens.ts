/**
 * API tokens: 32 random bytes shown once at creation, stored as SHA-256 (a fast hash is enough
 * for high-entropy secrets; there is nothing to brute-force like a password).
 */
import { createHash, randomBytes } from 'node:crypto';
import { ApiError, notFound } from '../errors.js';
import type { Store } from '../store/store.js';
import type { Role, TokenInfo } from '../store/tokens-repo.js';

const PREFIX = 'assay_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createToken(
  store: Store,
  role: Role,
  name: string,
): Promise<{ token: string; info: TokenInfo }> {
  const token = PREFIX + randomBytes(32).toString('base64url');
  const info = await store.tokens.insert(name, role, hashToken(token));
  return { token, info };
}

/**
 * Revokes a token at once (authentication reads the table on every request, so the next request
 * with it is a 401). The last admin token is kept: without it nobody could create tokens again
 * except through the store directly.
 */
export async function revokeToken(store: Store, id: number): Promise<TokenInfo> {
  return store.transaction(async (tx) => {
    const { token, admins } = await tx.tokens.lockForRevoke(id);
    if (!token) throw notFound(`token ${id}`);
    if (token.role === 'admin' && admins <= 1)
      throw new ApiError(409, 'the last admin token cannot be revoked: create another admin token first');
    await tx.tokens.remove(id);
    return token;
  });
}

/** The token's identity, or undefined for an unknown token. */
export async function authenticate(store: Store, token: string): Promise<TokenInfo | undefined> {
  if (!token.startsWith(PREFIX) || token.length > 200) return undefined;
  return store.tokens.findByHash(hashToken(token));
}

/**
 * Creates the first admin token when there are no tokens at all; the caller prints it once.
 * Serialised by an advisory lock so two replicas starting together create only one.
 */
export async function ensureFirstAdmin(store: Store): Promise<string | undefined> {
  return store.transaction(async (tx) => {
    await tx.settings.thresholds('update');
    if ((await tx.tokens.count()) > 0) return undefined;
    const { token } = await createToken(tx, 'admin', 'first-admin');
    return token;
  });
}
