/**
 * Maps errors to responses: client errors keep their message (it names the field or the limit),
 * a database that cannot be reached is 503 with Retry-After, and every other 5xx is a bare
 * "internal server error" whose detail goes only to the log.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import { isUnavailable } from '../store/sql.js';

function clientStatus(err: FastifyError): number | undefined {
  const s = err.statusCode;
  return typeof s === 'number' && s >= 400 && s < 500 ? s : undefined;
}

/** Answers a request that matched no route before the JSON 404 (the web UI's deep links); true if it did. */
export type NotFoundFallback = (req: FastifyRequest, reply: FastifyReply) => Promise<boolean>;

export function installErrorHandler(app: FastifyInstance, fallback?: NotFoundFallback): void {
  app.setErrorHandler<FastifyError>(async (err, req, reply) => {
    if (err instanceof ApiError) return reply.code(err.statusCode).send({ error: err.message });
    if (isUnavailable(err)) {
      req.log.warn({ err }, 'database unavailable');
      return reply.code(503).header('retry-after', '5').send({ error: 'service unavailable' });
    }
    const status = clientStatus(err);
    if (status !== undefined) return reply.code(status).send({ error: err.message });
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: 'internal server error' });
  });
  app.setNotFoundHandler(async (req, reply) => {
    if (fallback && (await fallback(req, reply))) return reply;
    return reply.code(404).send({ error: 'not found' });
  });
}
