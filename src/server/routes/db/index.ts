/**
 * GET /api/v1/db/metadata, /metadata.sig and /bundle: the manager's vulnerability DB for its
 * scanners (`assay db update --from https://MANAGER/api/v1/db/metadata`). ETag = the bundle's
 * digest on all three, so an unchanged DB costs one 304; the bundle honours Range for resumes.
 */
import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DB_BUNDLE_MEDIA_TYPE } from '../../../vulndb/distribution/types.js';
import { ApiError } from '../../errors.js';
import type { DbBundleService, PublishedDb } from '../../services/db-bundle.js';
import type { Role } from '../../store/tokens-repo.js';
import { notModified, rangeOf } from './conditional.js';

/** "Role scanner or higher" (issue 12): the DB is what a scanner needs; viewers only read results. */
export const DB_PULL: readonly Role[] = ['admin', 'scanner'];

const tags = ['db'];

export function dbRoutes(app: FastifyInstance, service: DbBundleService | undefined): void {
  const config = { roles: DB_PULL };
  app.get(
    '/api/v1/db/metadata',
    {
      config,
      schema: { summary: 'The published metadata of the vulnerability DB this manager serves', tags },
    },
    async (req, reply) => {
      const db = await published(service);
      return sendBytes(req, reply, db, db.metadataBytes, 'application/json');
    },
  );
  app.get(
    '/api/v1/db/metadata.sig',
    { config, schema: { summary: "The metadata's Ed25519 signature (404 when unsigned)", tags } },
    async (req, reply) => {
      const db = await published(service);
      if (!db.signature)
        throw new ApiError(404, 'the DB metadata is not signed: start the manager with --db-sign-key FILE');
      return sendBytes(req, reply, db, db.signature, 'application/octet-stream');
    },
  );
  app.get(
    '/api/v1/db/bundle',
    { config, schema: { summary: 'The DB bundle (tar.gz); Range and If-Range honoured', tags } },
    async (req, reply) => sendBundle(req, reply, await published(service)),
  );
}

async function published(service: DbBundleService | undefined): Promise<PublishedDb> {
  if (!service) throw new ApiError(404, 'this manager serves no vulnerability DB');
  const db = await service.get();
  if (!db)
    throw new ApiError(
      404,
      `the manager has no vulnerability DB yet: run \`assay db update\` on the server host (DB path ${service.dbPath}, set with --db-path)`,
    );
  return db;
}

/** The strong validator shared by the three resources: the bundle digest changes with any DB change. */
function etagOf(db: PublishedDb): string {
  return `"${db.metadata.bundle.digest}"`;
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function common(reply: FastifyReply, etag: string): FastifyReply {
  // Revalidate every time: the URLs are not content-addressed, only the ETag is.
  return reply.header('etag', etag).header('cache-control', 'no-cache').header('accept-ranges', 'bytes');
}

function sendBytes(req: FastifyRequest, reply: FastifyReply, db: PublishedDb, body: Buffer, type: string) {
  const etag = etagOf(db);
  common(reply, etag);
  if (notModified(header(req, 'if-none-match'), etag)) return reply.code(304).send();
  return reply.type(type).header('content-length', body.length).send(body);
}

function sendBundle(req: FastifyRequest, reply: FastifyReply, db: PublishedDb) {
  const etag = etagOf(db);
  const size = db.metadata.bundle.size;
  common(reply, etag).type(DB_BUNDLE_MEDIA_TYPE);
  if (notModified(header(req, 'if-none-match'), etag)) return reply.code(304).send();
  const range = rangeOf(header(req, 'range'), header(req, 'if-range'), etag, size);
  if (range.kind === 'unsatisfiable')
    return reply.code(416).header('content-range', `bytes */${size}`).send();
  if (range.kind === 'full')
    return reply.header('content-length', size).send(createReadStream(db.bundlePath));
  return reply
    .code(206)
    .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
    .header('content-length', range.end - range.start + 1)
    .send(createReadStream(db.bundlePath, { start: range.start, end: range.end }));
}
