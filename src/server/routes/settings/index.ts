/** GET|PUT /api/v1/settings/thresholds: a PUT re-grades every stored image at once. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ADMIN, READ } from '../../http/auth.js';
import { zodSchema } from '../../http/zod-schema.js';
import { getThresholds, putThresholds } from '../../services/thresholds.js';
import type { RouteDeps } from '../deps.js';

// The object shape only; 0 ≤ warn ≤ fail is checked by the service with ThresholdsSchema's message.
const ThresholdsBody = z
  .object({ warn: z.number().min(0).max(10), fail: z.number().min(0).max(10) })
  .strict();

export function settingsRoutes(app: FastifyInstance, { store }: RouteDeps): void {
  const tags = ['settings'];
  app.get(
    '/api/v1/settings/thresholds',
    { config: { roles: READ }, schema: { summary: 'Grading thresholds', tags } },
    async () => getThresholds(store),
  );
  app.put<{ Body: z.infer<typeof ThresholdsBody> }>(
    '/api/v1/settings/thresholds',
    {
      config: { roles: ADMIN },
      schema: {
        summary: 'Change thresholds and re-grade every image',
        tags,
        body: zodSchema(ThresholdsBody),
      },
    },
    async (req) => putThresholds(store, req.body),
  );
}
