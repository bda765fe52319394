import type { FastifyPluginAsync } from 'fastify';
import { anyObject, body, bool, idOf, idParams, int, nonEmpty, str, type Json } from '../api/schemas';
import { listQueryOf, listQuerySchema } from '../api/list-query';
import type { RouteContext } from '../api/route-context';

const accountBody = { username: nonEmpty, password: str, role: nonEmpty, firstName: str, lastName: str, email: str, mobile: str, enabled: bool, quota: int, extra: anyObject };
const { password: _password, ...accountChanges } = accountBody;

/**
 * The account routes: `/api/accounts` (listing, creation), `/api/accounts/:id` (read, change, delete,
 * forms, password, limits) and `/api/roles`, `/api/limit-templates`.
 *
 * @example
 * ```ts
 * await app.register(accountRoutes({ service, auth }));
 * ```
 */
export function accountRoutes({ service, auth }: RouteContext): FastifyPluginAsync {
  const { accounts, limits } = service.resources;
  return async (app) => {
    app.get('/api/accounts', { schema: { querystring: listQuerySchema() } }, async (req) => {
      const { items, nextCursor } = await accounts.list(auth(req, 'admin'), listQueryOf(req));
      return { accounts: items, ...(nextCursor !== undefined ? { nextCursor } : {}) };
    });
    app.post('/api/accounts', { schema: { body: body(accountBody, ['username', 'password']) } }, async (req, reply) =>
      reply.code(201).send(await accounts.createAccount(auth(req, 'admin'), req.body as { username: string; password: string })),
    );
    app.get('/api/accounts/:id', { schema: { params: idParams } }, async (req) => {
      const account = await accounts.requireAccount(auth(req), idOf(req), true);
      return { account, mailbox: (await service.repo.mailboxOfUser(account.id)) ?? null };
    });
    const changes = body({ ...accountChanges, forms: { type: 'object', additionalProperties: anyObject } });
    app.patch('/api/accounts/:id', { schema: { params: idParams, body: changes } }, async (req) => accounts.updateAccount(auth(req, 'admin'), idOf(req), req.body as Json));
    app.delete('/api/accounts/:id', { schema: { params: idParams, querystring: body({ keepdir: { type: 'string', enum: ['true', 'false'] } }) } }, async (req, reply) => {
      await accounts.deleteAccount(auth(req, 'admin'), idOf(req), { keepdir: (req.query as { keepdir?: string }).keepdir === 'true' });
      return reply.code(204).send();
    });
    app.get('/api/accounts/:id/forms', { schema: { params: idParams } }, async (req) => accounts.accountForms(auth(req), idOf(req)));
    app.post('/api/accounts/:id/password', { schema: { params: idParams, body: body({ password: str }, ['password']) } }, async (req, reply) => {
      await accounts.changePassword(auth(req, 'admin'), idOf(req), (req.body as { password: string }).password);
      return reply.code(204).send();
    });
    app.get('/api/accounts/:id/limits', { schema: { params: idParams } }, async (req) => limits.limits(auth(req, 'admin'), idOf(req)));
    app.put('/api/accounts/:id/limits', { schema: { params: idParams, body: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } } } }, async (req) =>
      limits.setLimits(auth(req, 'admin'), idOf(req), req.body as Record<string, number>),
    );
    app.get('/api/roles', async (req) => ({ roles: await accounts.roles(auth(req)) }));
    app.get('/api/limit-templates', async (req) => {
      auth(req, 'admin');
      return { templates: await limits.limitTemplates() };
    });
  };
}
