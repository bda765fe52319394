import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pagedQuery, pagedResponse, pageOf, type PageQuery } from '../api/paging';
import type { RouteAccess } from '../extension-routes';
import type { HostSpecs } from '../hooks';
import type { User } from '../model';
import type { ExtensionPackages } from './extension-packages';

/**
 * `/api/extension-packages`: list (admins), add and remove (SuperAdmins) extension packages of
 * the running host, without a restart.
 */
export function registerPackageRoutes(app: FastifyInstance, deps: { packages: ExtensionPackages<HostSpecs>; auth: (req: FastifyRequest, access: RouteAccess) => User }): void {
  const { packages, auth } = deps;
  app.get('/api/extension-packages', { schema: { summary: 'List the extension packages (q, limit, cursor)', querystring: pagedQuery(), response: pagedResponse('packages') } }, async (req) => {
    auth(req, 'admin');
    // The order packages were added in, as the list always had: the position is the key.
    const page = pageOf(packages.list().map((p, at) => ({ p, at })), req.query as PageQuery, { key: ({ at }) => at, text: ({ p }) => [p.name, p.state, p.source] });
    return { packages: page.items.map(({ p }) => p), nextCursor: page.nextCursor };
  });
  app.post(
    '/api/extension-packages',
    { schema: { body: { type: 'object', properties: { source: { type: 'string', minLength: 1 } }, required: ['source'], additionalProperties: false } } },
    async (req, reply) => {
      auth(req, 'superadmin');
      const status = await packages.add((req.body as { source: string }).source);
      return reply.code(status.state === 'loaded' ? 201 : 422).send(status);
    },
  );
  app.delete('/api/extension-packages/:name', async (req, reply) => {
    auth(req, 'superadmin');
    await packages.remove(decodeURIComponent((req.params as { name: string }).name));
    return reply.code(204).send();
  });
}
