/**
 * The manager's composition root: a Fastify instance built from its dependencies. It never
 * listens (main.ts owns the process), so tests drive it with `app.inject` (STYLE principle 13).
 */
import { constants as zlibConstants } from 'node:zlib';
import compress from '@fastify/compress';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { assayVersion } from '../version.js';
import { bearerToken, installAuth } from './http/auth.js';
import { installErrorHandler } from './http/error-handler.js';
import { HttpMetrics } from './http/metrics.js';
import { zodValidatorCompiler } from './http/zod-schema.js';
import { dbRoutes } from './routes/db/index.js';
import type { RouteDeps } from './routes/deps.js';
import { exceptionsRoutes } from './routes/exceptions/index.js';
import { exportsRoutes } from './routes/exports/index.js';
import { imagesRoutes } from './routes/images/index.js';
import { overviewRoutes } from './routes/overview/index.js';
import { scansRoutes } from './routes/scans/index.js';
import { settingsRoutes } from './routes/settings/index.js';
import { systemRoutes } from './routes/system/index.js';
import { tokensRoutes } from './routes/tokens/index.js';
import type { DbBundleService } from './services/db-bundle.js';
import { hashToken } from './services/tokens.js';
import type { Store } from './store/store.js';
import { registerWeb } from './web.js';

export interface AppDeps {
  store: Store;
  logger?: FastifyServerOptions['logger'];
  /** Largest accepted request body; a result with thousands of findings is a few MB. */
  bodyLimit?: number;
  /** Requests per token (or per address without one) per minute. */
  rateLimitPerMinute?: number;
  metrics?: HttpMetrics;
  /** The web UI's build directory (`dist/web`); null or absent: `/` explains how to build it. */
  webRoot?: string | null;
  /** The vulnerability DB served at /api/v1/db/*; absent: those routes answer 404. */
  db?: DbBundleService;
  /** Extra routes registered after the core ones. */
  plugins?: ((app: FastifyInstance, deps: RouteDeps) => void)[];
}

export const DEFAULT_BODY_LIMIT = 32 * 1024 * 1024;

const routes = [
  scansRoutes,
  imagesRoutes,
  overviewRoutes,
  settingsRoutes,
  exceptionsRoutes,
  exportsRoutes,
  tokensRoutes,
  systemRoutes,
];

async function registerPlugins(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await app.register(helmet, { global: true });
  // JSON, CSV and the UI's assets shrink 5-10x (a 2,000-finding image is 1.6 MB of JSON); brotli
  // at quality 4 costs about what gzip does. Bundles (application/gzip) are never recompressed.
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
  });
  await app.register(rateLimit, {
    global: true,
    max: deps.rateLimitPerMinute ?? 1200,
    timeWindow: 60_000,
    // Keyed by token (hashed, so no secret sits in memory as a map key), else by address.
    keyGenerator: (req) => {
      const token = bearerToken(req);
      return token ? `t:${hashToken(token)}` : `a:${req.ip}`;
    },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Assay manager API', version: assayVersion() },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: deps.logger ?? false, bodyLimit: deps.bodyLimit ?? DEFAULT_BODY_LIMIT });
  const metrics = deps.metrics ?? new HttpMetrics();
  app.setValidatorCompiler(zodValidatorCompiler);
  await registerPlugins(app, deps);
  installErrorHandler(app, await registerWeb(app, deps.webRoot ?? null));
  installAuth(app, deps.store);
  app.addHook('onResponse', async (req, reply) => {
    metrics.observe(
      req.method,
      req.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });
  const routeDeps: RouteDeps = { store: deps.store, metrics };
  for (const add of [...routes, ...(deps.plugins ?? [])]) add(app, routeDeps);
  dbRoutes(app, deps.db);
  await app.ready();
  return app;
}
