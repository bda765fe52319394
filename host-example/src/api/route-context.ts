import type { FastifyRequest } from 'fastify';
import type { AdminService } from '../admin-service';
import type { RouteAccess } from '../extension-routes';
import type { RequestInfo, User } from '../model';

/** What a resource's routes get: the services, and the authenticated actor of a request. */
export interface RouteContext {
  readonly service: AdminService;
  /** The actor of a request, checked against the access the route needs (401/403 otherwise). */
  readonly auth: (req: FastifyRequest, access?: RouteAccess) => User;
}

/** The request as the hooks see it (`UserLogin`, `UserLogout`). */
export function requestInfo(req: FastifyRequest): RequestInfo {
  return { ip: req.ip, userAgent: String(req.headers['user-agent'] ?? ''), method: req.method, url: req.url };
}

/** The bearer token of a request, if any. */
export function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}
