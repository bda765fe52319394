import type { FastifyPluginAsync } from 'fastify';
import { body, idOf, idParams, nonEmpty } from '../api/schemas';
import type { RouteContext } from '../api/route-context';
import { pagedQuery, pagedResponse, pageOf, type PageQuery } from '../api/paging';

/**
 * The domain alias routes: `/api/domain-aliases` (listing, creation) and `/api/domain-aliases/:id` (deletion).
 *
 * @example
 * ```ts
 * await app.register(domainAliasRoutes({ service, auth }));
 * ```
 */
export function domainAliasRoutes({ service, auth }: RouteContext): FastifyPluginAsync {
  const aliases = service.resources.domainAliases;
  return async (app) => {
    app.get('/api/domain-aliases', { schema: { summary: 'List the domain aliases you manage (q, limit, cursor)', querystring: pagedQuery(), response: pagedResponse('aliases') } }, async (req) => {
      const page = pageOf(await aliases.listDomainAliases(auth(req, 'admin')), req.query as PageQuery, { key: (a) => a.name, text: (a) => [a.name, a.targetName] });
      return { aliases: page.items, nextCursor: page.nextCursor };
    });
    app.post('/api/domain-aliases', { schema: { body: body({ name: nonEmpty, target: nonEmpty }, ['name', 'target']) } }, async (req, reply) =>
      reply.code(201).send(await aliases.createDomainAlias(auth(req, 'admin'), req.body as { name: string; target: string })),
    );
    app.delete('/api/domain-aliases/:id', { schema: { params: idParams } }, async (req, reply) => {
      await aliases.deleteDomainAlias(auth(req, 'admin'), idOf(req));
      return reply.code(204).send();
    });
  };
}
