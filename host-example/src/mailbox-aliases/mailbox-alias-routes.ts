import type { FastifyPluginAsync } from 'fastify';
import { body, bool, idOf, idParams, nonEmpty } from '../api/schemas';
import type { RouteContext } from '../api/route-context';
import { pagedQuery, pagedResponse, pageOf, type PageQuery } from '../api/paging';

const aliasBody = body({ address: nonEmpty, recipients: { type: 'array', items: nonEmpty, minItems: 1 }, enabled: bool }, ['address', 'recipients']);

/**
 * The mailbox alias routes: `/api/mailbox-aliases` (listing, creation) and `/api/mailbox-aliases/:id` (deletion).
 *
 * @example
 * ```ts
 * await app.register(mailboxAliasRoutes({ service, auth }));
 * ```
 */
export function mailboxAliasRoutes({ service, auth }: RouteContext): FastifyPluginAsync {
  const aliases = service.resources.mailboxAliases;
  return async (app) => {
    app.get('/api/mailbox-aliases', { schema: { summary: 'List the mailbox aliases you manage (q, limit, cursor)', querystring: pagedQuery(), response: pagedResponse('aliases') } }, async (req) => {
      const page = pageOf(await aliases.listMailboxAliases(auth(req, 'admin')), req.query as PageQuery, { key: (a) => a.address, text: (a) => [a.address, ...a.recipients] });
      return { aliases: page.items, nextCursor: page.nextCursor };
    });
    app.post('/api/mailbox-aliases', { schema: { body: aliasBody } }, async (req, reply) =>
      reply.code(201).send(await aliases.createMailboxAlias(auth(req, 'admin'), req.body as { address: string; recipients: string[] })),
    );
    app.delete('/api/mailbox-aliases/:id', { schema: { params: idParams } }, async (req, reply) => {
      await aliases.deleteMailboxAlias(auth(req, 'admin'), idOf(req));
      return reply.code(204).send();
    });
  };
}
