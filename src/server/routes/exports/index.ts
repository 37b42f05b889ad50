/** GET /api/v1/export/images.csv and /api/v1/export/scan-input.json: streamed, with the list's filters. */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { READ } from '../../http/auth.js';
import { zodSchema } from '../../http/zod-schema.js';
import { type ExportQuery, exportCsv, exportScanInput } from '../../services/exports.js';
import { ImageListQuerySchema } from '../../services/images.js';
import type { RouteDeps } from '../deps.js';

const FilterQuery = ImageListQuerySchema.omit({ limit: true, cursor: true });
const CsvQuery = FilterQuery.extend({ mode: z.enum(['image', 'image_cve']).default('image') });

export function exportsRoutes(app: FastifyInstance, { store }: RouteDeps): void {
  const tags = ['exports'];
  app.get<{ Querystring: z.infer<typeof CsvQuery> }>(
    '/api/v1/export/images.csv',
    {
      config: { roles: READ },
      schema: {
        summary: 'CSV of the filtered images with CVEs: one row per image, or per image and CVE',
        tags,
        querystring: zodSchema(CsvQuery),
      },
    },
    async (req, reply) => {
      const { mode, ...filters } = req.query;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="images-${mode}.csv"`)
        .send(Readable.from(exportCsv(store, filters, mode)));
    },
  );
  app.get<{ Querystring: ExportQuery }>(
    '/api/v1/export/scan-input.json',
    {
      config: { roles: READ },
      schema: {
        summary: 'The filtered images as an `assay scan --input_file` document',
        tags,
        querystring: zodSchema(FilterQuery),
      },
    },
    async (req, reply) =>
      reply.type('application/json').send(Readable.from(exportScanInput(store, req.query))),
  );
}
