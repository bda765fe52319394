import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RouteAccess } from '../extension-routes';
import type { User } from '../model';
import type { HostMetrics } from './host-metrics';

/**
 * `GET /metrics`: the Prometheus text exposition, for administrators only, like the rest of the
 * API (configure Prometheus with `authorization: { credentials: <token> }` of an admin session).
 */
export function registerMetricsRoute(app: FastifyInstance, deps: { metrics: HostMetrics; auth: (req: FastifyRequest, access: RouteAccess) => Promise<User> }): void {
  app.get('/metrics', async (req, reply) => {
    await deps.auth(req, 'admin');
    return reply.type(deps.metrics.contentType).send(await deps.metrics.text());
  });
}
