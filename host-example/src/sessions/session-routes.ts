import type { FastifyPluginAsync } from 'fastify';
import { anyObject, body, nonEmpty, str, type Json } from '../api/schemas';
import { bearer, requestInfo, type RouteContext } from '../api/route-context';

/**
 * The session routes: `/api/login`, `/api/logout`, and the logged-in user's own `/api/me`,
 * `/api/me/password` and `/api/me/parameters/:app`.
 *
 * @example
 * ```ts
 * await app.register(sessionRoutes({ service, auth }));
 * ```
 */
export function sessionRoutes({ service, auth }: RouteContext): FastifyPluginAsync {
  const { sessions, accounts, parameters } = service.resources;
  return async (app) => {
    app.post('/api/login', { schema: { body: body({ username: nonEmpty, password: nonEmpty }, ['username', 'password']) } }, async (req) => {
      const { username, password } = req.body as { username: string; password: string };
      const { token, user } = await sessions.login(requestInfo(req), username, password);
      return { token, user };
    });
    app.post('/api/logout', async (req, reply) => {
      auth(req);
      await sessions.logout(requestInfo(req), bearer(req) ?? '');
      return reply.code(204).send();
    });
    app.get('/api/me', async (req) => {
      const user = auth(req);
      return { user, mailbox: (await service.repo.mailboxOfUser(user.id)) ?? null };
    });
    app.post('/api/me/password', { schema: { body: body({ oldPassword: str, newPassword: str }, ['newPassword']) } }, async (req, reply) => {
      const user = auth(req);
      const b = req.body as { oldPassword?: string; newPassword: string };
      await accounts.changePassword(user, user.id, b.newPassword, b.oldPassword);
      return reply.code(204).send();
    });
    app.get('/api/me/parameters/:app', async (req) => parameters.parameters(auth(req), (req.params as { app: string }).app, 'U'));
    app.put('/api/me/parameters/:app', { schema: { body: anyObject } }, async (req) => parameters.setParameters(auth(req), (req.params as { app: string }).app, 'U', req.body as Json));
  };
}
