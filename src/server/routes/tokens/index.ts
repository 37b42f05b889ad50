/** POST|GET /api/v1/tokens (admin): create a token (the plain value is returned once) and list them. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ADMIN } from '../../http/auth.js';
import { zodSchema } from '../../http/zod-schema.js';
import { createToken } from '../../services/tokens.js';
import { roles } from '../../store/tokens-repo.js';
import type { RouteDeps } from '../deps.js';

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
    '/api/v1/tokens',
    { config: { roles: ADMIN }, schema: { summary: 'Tokens (without their values)', tags } },
    async () => ({
      items: await store.tokens.list(),
    }),
  );
}
