import type { FastifyPluginAsync } from 'fastify';
import { anyObject, body, bool, idOf, idParams, int, nonEmpty, str, type Json } from '../api/schemas';
import { listQueryOf, listQuerySchema } from '../api/list-query';
import type { RouteContext } from '../api/route-context';

const domainBody = { name: nonEmpty, quota: int, enabled: bool, extra: anyObject };

/**
 * The domain routes: `/api/domains` (listing with filters, creation), `/api/domains/:id` (read, change,
 * delete, owner, forms) and `/api/domains/menu`.
 *
 * @example
 * ```ts
 * await app.register(domainRoutes({ service, auth }));
 * ```
 */
export function domainRoutes({ service, auth }: RouteContext): FastifyPluginAsync {
  const domains = service.resources.domains;
  return async (app) => {
    // Extensions' filters (`ExtraDomainFilters`) are extra parameters: the service refuses unknown ones, naming them.
    const listSchema = { ...listQuerySchema({ type: str }), additionalProperties: { type: 'string' } };
    app.get('/api/domains', { schema: { querystring: listSchema } }, async (req) => {
      const { type = '', q: _q, limit: _limit, cursor: _cursor, ...filters } = req.query as Record<string, string>;
      const { items, nextCursor, filters: names } = await domains.list(auth(req, 'admin'), { ...listQueryOf(req), type, filters });
      return { entries: items, filters: names, ...(nextCursor !== undefined ? { nextCursor } : {}) };
    });
    app.post('/api/domains', { schema: { body: body(domainBody, ['name']) } }, async (req, reply) => {
      const domain = await domains.createDomain(auth(req, 'admin'), req.body as { name: string });
      return reply.code(201).send(domain);
    });
    app.get('/api/domains/menu', async (req) => ({ entries: await domains.domainMenu(auth(req, 'admin')) }));
    app.get('/api/domains/:id', { schema: { params: idParams } }, async (req) => domains.requireDomain(auth(req, 'admin'), idOf(req)));
    app.patch('/api/domains/:id', { schema: { params: idParams, body: body(domainBody) } }, async (req) => domains.updateDomain(auth(req, 'admin'), idOf(req), req.body as Json));
    app.delete('/api/domains/:id', { schema: { params: idParams } }, async (req, reply) => {
      await domains.deleteDomain(auth(req, 'admin'), idOf(req));
      return reply.code(204).send();
    });
    app.put('/api/domains/:id/owner', { schema: { params: idParams, body: body({ owner: nonEmpty }, ['owner']) } }, async (req) =>
      domains.transferDomain(auth(req, 'admin'), idOf(req), (req.body as { owner: string }).owner),
    );
    app.get('/api/domains/:id/forms', { schema: { params: idParams } }, async (req) => domains.domainForms(auth(req, 'admin'), idOf(req)));
  };
}
