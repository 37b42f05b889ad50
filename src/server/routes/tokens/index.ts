/**
 * POST|GET /api/v1/tokens and DELETE /api/v1/tokens/{id} (admin): create a token (the plain value
 * is returned once), list them, revoke one; GET /api/v1/me (any role): who the caller is.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ADMIN, READ, SUBMIT } from '../../http/auth.js';
import { zodSchema } from '../../http/zod-schema.js';
import { createToken, revokeToken } from '../../services/tokens.js';
import { roles } from '../../store/tokens-repo.js';
import type { RouteDeps } from '../deps.js';

const TokenParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });
const TokenBody = z.object({ role: z.enum(roles), name: z.string().trim().min(1).max(200) }).strict();

export function tokensRoutes(app: FastifyInstance, { store }: RouteDeps): void {
  const tags = ['tokens'];
  app.post<{ Body: z.infer<typeof TokenBody> }>(
    '/api/v1/tokens',
    {
      config: { roles: ADMIN },
      schema: {
        summary: 'Create a token; its value is shown only in this response',
        tags,
        body: zodSchema(TokenBody),
      },
    },
    async (req, reply) => {
      const { token, info } = await createToken(store, req.body.role, req.body.name);
      return reply.code(201).send({ ...info, token });
    },
  );
  app.get(
    '/api/v1/me',
    {
      config: { roles: [...new Set([...READ, ...SUBMIT])] },
      schema: { summary: 'The calling token: its id, name and role (the web UI signs in with this)', tags },
    },
    async (req) => {
      const { id, name, role } = req.token!;
      return { id, name, role };
    },
  );
  app.get(
    '/api/v1/tokens',
    { config: { roles: ADMIN }, schema: { summary: 'Tokens (without their values)', tags } },
    async () => ({
      items: await store.tokens.list(),
    }),
  );
  app.delete<{ Params: z.infer<typeof TokenParams> }>(
    '/api/v1/tokens/:id',
    {
      config: { roles: ADMIN },
      schema: {
        summary: 'Revoke a token: requests with it are refused from now on (the last admin token is kept)',
        tags,
        params: zodSchema(TokenParams),
      },
    },
    async (req) => ({ revoked: await revokeToken(store, req.params.id) }),
  );
}
