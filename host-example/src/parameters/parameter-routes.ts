import type { FastifyPluginAsync } from 'fastify';
import { anyObject, type Json } from '../api/schemas';
import type { RouteContext } from '../api/route-context';

/**
 * The administration parameter routes (SuperAdmins): `GET` and `PUT /api/parameters/:app`.
 * A user's own preferences are under `/api/me/parameters/:app` (sessions).
 *
 * @example
 * ```ts
 * await app.register(parameterRoutes({ service, auth }));
 * ```
 */
export function parameterRoutes({ service, auth }: RouteContext): FastifyPluginAsync {
  const parameters = service.resources.parameters;
  return async (app) => {
    app.get('/api/parameters/:app', async (req) => parameters.parameters(auth(req, 'superadmin'), (req.params as { app: string }).app, 'A'));
    app.put('/api/parameters/:app', { schema: { body: anyObject } }, async (req) =>
      parameters.setParameters(auth(req, 'superadmin'), (req.params as { app: string }).app, 'A', req.body as Json),
    );
  };
}
