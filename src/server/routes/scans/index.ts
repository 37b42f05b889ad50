/** POST /api/v1/scans: one ImageResult from `assay scan` (unknown fields are stripped, per the zod schema). */
import type { FastifyInstance } from 'fastify';
import { type ImageResult, ImageResultSchema } from '../../../model/result.js';
import { SUBMIT } from '../../http/auth.js';
import { zodSchema } from '../../http/zod-schema.js';
import { ingestResult } from '../../services/scans.js';
import type { RouteDeps } from '../deps.js';

export function scansRoutes(app: FastifyInstance, { store }: RouteDeps): void {
  app.post<{ Body: ImageResult }>(
    '/api/v1/scans',
    {
      config: { roles: SUBMIT },
      schema: {
        summary: 'Submit one image result (idempotent per image digest and scan time)',
        tags: ['scans'],
        body: zodSchema(ImageResultSchema),
      },
    },
    async (req, reply) => {
      const out = await ingestResult(store, req.body);
      return reply.code(out.outcome === 'created' ? 201 : 200).send(out);
    },
  );
}
