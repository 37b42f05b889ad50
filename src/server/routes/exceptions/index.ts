/** Vulnerability and repository exceptions, and their export in the one exception document shape. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ADMIN, actor, READ } from '../../http/auth.js';
import { zodSchema } from '../../http/zod-schema.js';
import {
  addRepositoryExceptions,
  addVulnerabilityException,
  cancelRepositoryExceptions,
  cancelVulnerabilityException,
  exportExceptions,
  listExceptions,
  type RepositoryExceptionInput,
  RepositoryExceptionInputSchema,
  type VulnerabilityExceptionInput,
  VulnerabilityExceptionInputSchema,
} from '../../services/exceptions.js';
import type { StoredException } from '../../store/exceptions-repo.js';
import type { RouteDeps } from '../deps.js';

const IdQuery = z.object({ id: z.coerce.number().int().min(1) }).strict();
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
