/**
 * Bearer-token auth. Every route names the roles it admits in `config.roles`; routes without it
 * are public (health, readiness, metrics, the OpenAPI document). Missing or unknown token → 401,
 * a known token with the wrong role → 403; neither says more than that.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from '../services/tokens.js';
import type { Store } from '../store/store.js';
import type { Role, TokenInfo } from '../store/tokens-repo.js';

declare module 'fastify' {
  interface FastifyRequest {
    token: TokenInfo | null;
  }
  interface FastifyContextConfig {
    roles?: readonly Role[];
  }
}

export const READ: readonly Role[] = ['admin', 'viewer'];
export const ADMIN: readonly Role[] = ['admin'];
export const SUBMIT: readonly Role[] = ['admin', 'scanner'];

/** The bearer token of a request, if it has a well-formed Authorization header. */
export function bearerToken(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m?.[1];
}

async function deny(reply: FastifyReply, status: 401 | 403): Promise<void> {
  if (status === 401) reply.header('www-authenticate', 'Bearer');
  await reply.code(status).send({ error: status === 401 ? 'unauthorized' : 'forbidden' });
}

export function installAuth(app: FastifyInstance, store: Store): void {
  app.decorateRequest('token', null);
  app.addHook('onRequest', async (req, reply) => {
    const roles = req.routeOptions.config.roles;
    if (roles === undefined || req.is404) return;
    const token = bearerToken(req);
    const info = token ? await authenticate(store, token) : undefined;
    if (!info) return deny(reply, 401);
    if (!roles.includes(info.role)) return deny(reply, 403);
    req.token = info;
  });
}

/** Who did it, for exception authorship and cancellations. */
export function actor(req: FastifyRequest): string {
  return req.token ? `${req.token.name} (token ${req.token.id})` : 'anonymous';
}
