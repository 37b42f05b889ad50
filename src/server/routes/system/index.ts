/** Public operational routes: liveness, readiness (the store answers), Prometheus metrics, the OpenAPI document. */
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../deps.js';

export function systemRoutes(app: FastifyInstance, { store, metrics }: RouteDeps): void {
  const hide = { hide: true };
  app.get('/healthz', { schema: { summary: 'Liveness', tags: ['system'] } }, async () => ({ status: 'ok' }));
  app.get(
    '/readyz',
    { schema: { summary: 'Readiness: the database answers', tags: ['system'] } },
    async (_req, reply) => {
      try {
        await store.ping();
        return { status: 'ready', store: store.kind };
      } catch {
        return reply.code(503).send({ status: 'unavailable', store: store.kind });
      }
    },
  );
  app.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics', tags: ['system'] } },
    async (_req, reply) => {
      const byResult = await store.images.countByResult().catch(() => ({}));
      return reply.type('text/plain; version=0.0.4').send(metrics.render(byResult));
    },
  );
  app.get('/openapi.json', { schema: { ...hide } }, async () => app.swagger());
}
