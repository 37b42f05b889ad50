/**
 * The web UI: the Vite build in `dist/web` served at `/`. Hashed assets are cached for a year,
 * `index.html` is revalidated, and any other GET that asks for HTML (a deep link such as
 * `/image/sha256:…`) gets `index.html` so the single-page app routes it. API paths never fall
 * back: an unknown `/api/…` stays a JSON 404.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { NotFoundFallback } from './http/error-handler.js';

/** `dist/web` next to the compiled server (`dist/server/web.js`), or under the repository when run from source. */
export function defaultWebRoot(): string | null {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const candidate of [join(here, '..', 'web'), join(here, '..', '..', 'dist', 'web')])
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  return null;
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Assay</title></head>
<body><main><h1>The Assay web UI is not built</h1>
<p>The API is running. Build the UI with <code>npm run build</code> and restart <code>assay server</code>.</p>
</main></body></html>`;

/** Serves the UI from `root` (null: a page saying how to build it) and returns the deep-link fallback. */
export async function registerWeb(app: FastifyInstance, root: string | null): Promise<NotFoundFallback> {
  if (root)
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      setHeaders(reply, path) {
        reply.header(
          'cache-control',
          path.includes(`${join('/', 'assets', '/')}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  let indexHtml: string | undefined;
  return async (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    const wantsHtml = /\btext\/html\b/.test(req.headers.accept ?? '');
    if ((req.method !== 'GET' && req.method !== 'HEAD') || path.startsWith('/api/') || !wantsHtml)
      return false;
    if (root) indexHtml ??= await readFile(join(root, 'index.html'), 'utf8');
    await reply
      .code(root ? 200 : 503)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(root ? indexHtml : NOT_BUILT);
    return true;
  };
}
