/** GET /api/v1/repositories and GET /api/v1/summary. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { READ } from '../../http/auth.js';
import { zodSchema } from '../../http/zod-schema.js';
import type { RouteDeps } from '../deps.js';

const RepositoriesQuery = z
  .object({
    q: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export function overviewRoutes(app: FastifyInstance, { store }: RouteDeps): void {
  app.get<{ Querystring: z.infer<typeof RepositoriesQuery> }>(
    '/api/v1/repositories',
    {
      config: { roles: READ },
      schema: {
        summary: 'Images grouped by repository, with the latest tag and worst result',
        tags: ['images'],
        querystring: zodSchema(RepositoriesQuery),
      },
    },
    async (req) => ({ items: await store.overview.repositories(req.query) }),
  );
  app.get(
    '/api/v1/summary',
    {
      config: { roles: READ },
      schema: {
        summary: 'Images by result and the five repositories with most FAIL images',
        tags: ['images'],
      },
    },
    async () => store.overview.summary(),
  );
}
