/** The image list, detail and lifecycle (dismiss, undismiss, delete). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ADMIN, READ } from '../../http/auth.js';
import { zodSchema } from '../../http/zod-schema.js';
import {
  deleteImage,
  type ImageListQuery,
  ImageListQuerySchema,
  imageDetail,
  listImages,
  setDismissed,
} from '../../services/images.js';
import type { RouteDeps } from '../deps.js';

const DigestParams = z.object({ digest: z.string().min(1).max(300) });
type Digest = { Params: z.infer<typeof DigestParams> };

export function imagesRoutes(app: FastifyInstance, { store }: RouteDeps): void {
  const tags = ['images'];
  app.get<{ Querystring: ImageListQuery }>(
    '/api/v1/images',
    {
      config: { roles: READ },
      schema: {
        summary: 'List images with filters, sort and cursor pagination',
        tags,
        querystring: zodSchema(ImageListQuerySchema),
      },
    },
    async (req) => listImages(store, req.query),
  );
  app.get<Digest>(
    '/api/v1/images/:digest',
    {
      config: { roles: READ },
      schema: {
        summary: 'One image with its effective findings, packages and layers',
        tags,
        params: zodSchema(DigestParams),
      },
    },
    async (req) => imageDetail(store, req.params.digest),
  );
  for (const [action, dismissed] of [
    ['dismiss', true],
    ['undismiss', false],
  ] as const)
    app.post<Digest>(
      `/api/v1/images/:digest/${action}`,
      {
        config: { roles: ADMIN },
        schema: {
          summary: `${action === 'dismiss' ? 'Hide' : 'Show again'} an image in the main list`,
          tags,
          params: zodSchema(DigestParams),
        },
      },
      async (req, reply) => {
        await setDismissed(store, req.params.digest, dismissed);
        return reply.code(204).send();
      },
    );
  app.delete<Digest>(
    '/api/v1/images/:digest',
    {
      config: { roles: ADMIN },
      schema: { summary: 'Delete an image and its findings', tags, params: zodSchema(DigestParams) },
    },
    async (req, reply) => {
      await deleteImage(store, req.params.digest);
      return reply.code(204).send();
    },
  );
}
