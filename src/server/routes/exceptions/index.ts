/** Vulnerability, content and repository exceptions, and their export in the one exception document shape. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ContentKindSchema } from '../../../model/result.js';
import { ADMIN, actor, READ } from '../../http/auth.js';
import { zodSchema } from '../../http/zod-schema.js';
import {
  addContentException,
  addRepositoryExceptions,
  addVulnerabilityException,
  type ContentExceptionInput,
  ContentExceptionInputSchema,
  cancelContentException,
  cancelRepositoryExceptions,
  cancelVulnerabilityException,
  exportExceptions,
  listContentExceptions,
  listExceptions,
  type RepositoryExceptionInput,
  RepositoryExceptionInputSchema,
  type VulnerabilityExceptionInput,
  VulnerabilityExceptionInputSchema,
} from '../../services/exceptions.js';
import type { StoredException } from '../../store/exceptions-repo.js';
import type { RouteDeps } from '../deps.js';

const IdQuery = z.object({ id: z.coerce.number().int().min(1) }).strict();
const KindQuery = z.object({ kind: ContentKindSchema.optional() }).strict();
const flat = (s: StoredException) => ({ id: s.id, ...s.entry });
const repositoryView = (s: StoredException) => ({
  id: s.id,
  repository: s.entry.target,
  reason: s.entry.reason,
  author: s.entry.author ?? null,
  created: s.entry.created ?? null,
  ...(s.entry.cancelled ? { cancelled: s.entry.cancelled } : {}),
});

export function exceptionsRoutes(app: FastifyInstance, { store }: RouteDeps): void {
  const tags = ['exceptions'];
  const vuln = '/api/v1/exceptions/vulnerabilities';
  app.post<{ Body: VulnerabilityExceptionInput }>(
    vuln,
    {
      config: { roles: ADMIN },
      schema: {
        summary: 'Except a vulnerability (optionally scoped)',
        tags,
        body: zodSchema(VulnerabilityExceptionInputSchema),
      },
    },
    async (req, reply) =>
      reply.code(201).send(flat(await addVulnerabilityException(store, req.body, actor(req)))),
  );
  app.get(
    vuln,
    { config: { roles: READ }, schema: { summary: 'Live vulnerability exceptions', tags } },
    async () => ({
      items: (await listExceptions(store, 'vulnerability')).map(flat),
    }),
  );
  app.delete<{ Querystring: z.infer<typeof IdQuery> }>(
    vuln,
    {
      config: { roles: ADMIN },
      schema: { summary: 'Cancel a vulnerability exception', tags, querystring: zodSchema(IdQuery) },
    },
    async (req) => flat(await cancelVulnerabilityException(store, req.query.id, actor(req))),
  );
  contentRoutes(app, store);
  const repo = '/api/v1/exceptions/repositories';
  app.post<{ Body: RepositoryExceptionInput }>(
    repo,
    {
      config: { roles: ADMIN },
      schema: {
        summary: 'Except whole repositories (they leave the main list)',
        tags,
        body: zodSchema(RepositoryExceptionInputSchema),
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send({ items: (await addRepositoryExceptions(store, req.body, actor(req))).map(repositoryView) }),
  );
  app.get(
    repo,
    { config: { roles: READ }, schema: { summary: 'The Excepted view: excepted repositories', tags } },
    async () => ({
      items: (await listExceptions(store, 'repository')).map(repositoryView),
    }),
  );
  app.post<{ Body: RepositoryExceptionInput }>(
    `${repo}/cancel`,
    {
      config: { roles: ADMIN },
      schema: {
        summary: 'Cancel repository exceptions (records who and why)',
        tags,
        body: zodSchema(RepositoryExceptionInputSchema),
      },
    },
    async (req) => ({
      items: (await cancelRepositoryExceptions(store, req.body, actor(req))).map(repositoryView),
    }),
  );
  app.get(
    '/api/v1/exceptions/export',
    {
      config: { roles: READ },
      schema: { summary: 'Every exception in the shape `scan --ignore-file` reads', tags },
    },
    async () => exportExceptions(store),
  );
}

/** Secret (`RULE[:PATH-GLOB]`), threat (SHA-256 or `ID[:PATH-GLOB]`) and config (check id) exceptions. */
function contentRoutes(app: FastifyInstance, store: RouteDeps['store']): void {
  const tags = ['exceptions'];
  const path = '/api/v1/exceptions/content';
  app.post<{ Body: ContentExceptionInput }>(
    path,
    {
      config: { roles: ADMIN },
      schema: {
        summary: 'Except secret, threat or config findings (optionally scoped)',
        tags,
        body: zodSchema(ContentExceptionInputSchema),
      },
    },
    async (req, reply) => reply.code(201).send(flat(await addContentException(store, req.body, actor(req)))),
  );
  app.get<{ Querystring: z.infer<typeof KindQuery> }>(
    path,
    {
      config: { roles: READ },
      schema: { summary: 'Live content exceptions (of one kind)', tags, querystring: zodSchema(KindQuery) },
    },
    async (req) => ({ items: (await listContentExceptions(store, req.query.kind)).map(flat) }),
  );
  app.delete<{ Querystring: z.infer<typeof IdQuery> }>(
    path,
    {
      config: { roles: ADMIN },
      schema: { summary: 'Cancel a content exception', tags, querystring: zodSchema(IdQuery) },
    },
    async (req) => flat(await cancelContentException(store, req.query.id, actor(req))),
  );
}
