import type { FastifyPluginAsync } from 'fastify';
import { body, bool, idOf, idParams, nonEmpty, type Json } from '../api/schemas';
import type { RouteContext } from '../api/route-context';
import { pagedQuery, pagedResponse, pageOf, type PageQuery } from '../api/paging';

const relayBody = { name: nonEmpty, targetHost: nonEmpty, service: nonEmpty, enabled: bool };

/**
 * The relay domain routes: `/api/relaydomains[/:id[/forms]]` and `/api/relaydomain-aliases[/:id]`.
 *
 * @example
 * ```ts
 * await app.register(relayDomainRoutes({ service, auth }));
 * ```
 */
export function relayDomainRoutes({ service, auth }: RouteContext): FastifyPluginAsync {
  const relays = service.resources.relayDomains;
  return async (app) => {
    app.get('/api/relaydomains', { schema: { summary: 'List the relay domains you manage (q, limit, cursor)', querystring: pagedQuery(), response: pagedResponse('relaydomains') } }, async (req) => {
      const page = pageOf(await relays.listRelayDomains(auth(req, 'admin')), req.query as PageQuery, { key: (d) => d.name, text: (d) => [d.name, d.targetHost, d.service] });
      return { relaydomains: page.items, nextCursor: page.nextCursor };
    });
    app.post('/api/relaydomains', { schema: { body: body(relayBody, ['name', 'targetHost']) } }, async (req, reply) =>
      reply.code(201).send(await relays.createRelayDomain(auth(req, 'admin'), req.body as { name: string; targetHost: string })),
    );
    app.get('/api/relaydomains/:id', { schema: { params: idParams } }, async (req) => relays.requireRelayDomain(auth(req, 'admin'), idOf(req)));
    app.patch('/api/relaydomains/:id', { schema: { params: idParams, body: body(relayBody) } }, async (req) => relays.updateRelayDomain(auth(req, 'admin'), idOf(req), req.body as Json));
    app.delete('/api/relaydomains/:id', { schema: { params: idParams } }, async (req, reply) => {
      await relays.deleteRelayDomain(auth(req, 'admin'), idOf(req));
      return reply.code(204).send();
    });
    app.get('/api/relaydomains/:id/forms', { schema: { params: idParams } }, async (req) => relays.relayDomainForms(auth(req, 'admin'), idOf(req)));
    app.get('/api/relaydomain-aliases', { schema: { summary: 'List the relay domain aliases (q, limit, cursor)', querystring: pagedQuery(), response: pagedResponse('aliases') } }, async (req) => {
      const page = pageOf(await relays.listRelayDomainAliases(auth(req, 'admin')), req.query as PageQuery, { key: (a) => a.name, text: (a) => [a.name, a.targetName] });
      return { aliases: page.items, nextCursor: page.nextCursor };
    });
    app.post('/api/relaydomain-aliases', { schema: { body: body({ name: nonEmpty, target: nonEmpty }, ['name', 'target']) } }, async (req, reply) =>
      reply.code(201).send(await relays.createRelayDomainAlias(auth(req, 'admin'), req.body as { name: string; target: string })),
    );
    app.delete('/api/relaydomain-aliases/:id', { schema: { params: idParams } }, async (req, reply) => {
      await relays.deleteRelayDomainAlias(auth(req, 'admin'), idOf(req));
      return reply.code(204).send();
    });
  };
}
