import { httpEventName } from '@plugboard/rules';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { actingScope } from '../hook-events';
import { inRequestContext } from '../telemetry/request-spans';
import type { User } from '../model';
import type { OperationCall, Operations } from '../operations/operations';

/** Routes anyone may call: logging in, and what the login page shows. */
const PUBLIC_ROUTES = new Set(['POST /api/login', 'GET /api/announcements']);

/** What {@link routeOperations} needs. */
export interface RouteOperationDeps {
  readonly operations: Operations;
  /** Authenticates a request's actor (throws 401). */
  readonly authenticate: (req: FastifyRequest) => Promise<User>;
  /** Whether post events are dispatched (a rules engine is there). */
  readonly post: boolean;
}

/** The operation an API request is. */
function callOf(req: FastifyRequest, actor: User): OperationCall {
  return {
    method: req.method,
    route: req.routeOptions.url ?? req.url,
    actor,
    eventId: String(req.id),
    body: req.body,
    query: req.query as Record<string, unknown>,
    params: req.params as Record<string, string>,
    ip: req.ip,
    path: req.url,
    secretPaths: (req.routeOptions.config as { secretPaths?: string[] } | undefined)?.secretPaths ?? [],
  };
}

/**
 * Makes every `/api/` route an operation: routes are wrapped as they are declared (so routes added later,
 * by extensions or the admin page, are too), authenticating first (in `onRequest`, before body parsing:
 * an anonymous request to a protected route is a 401 whatever its body, and raises no event), then the
 * operation's pre event before the handler in the caller's scope, and its post event once the response
 * is sent (so post rules never delay or change it). Returns the actor of a request and the API's event names.
 *
 * @example
 * ```ts
 * const { actorOf, apiEvents } = routeOperations(app, { operations, authenticate, post: true });
 * ```
 */
export function routeOperations(app: FastifyInstance, deps: RouteOperationDeps): { actorOf: (req: FastifyRequest) => User | undefined; apiEvents: () => string[] } {
  const events = new Set<string>();
  const actors = new WeakMap<FastifyRequest, User>();
  const actorOf = (req: FastifyRequest): User | undefined => actors.get(req);
  const authenticate = async (req: FastifyRequest): Promise<void> => {
    actors.set(req, await deps.authenticate(req));
  };
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
    const isPublic = methods.every((m) => PUBLIC_ROUTES.has(`${m} ${route.url}`)) || (route.config as { public?: boolean } | undefined)?.public === true;
    if (isPublic) return;
    const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [authenticate, ...existing] as typeof route.onRequest;
    for (const m of methods) events.add(httpEventName(m, route.url));
    const handler = route.handler as (this: FastifyInstance, req: FastifyRequest, reply: FastifyReply) => unknown;
    route.handler = async function (this: FastifyInstance, req: FastifyRequest, reply: FastifyReply) {
      const user = actorOf(req);
      return actingScope.run({ ...(user !== undefined ? { loggedInUser: user } : {}), ip: req.ip, method: req.method, path: req.url }, async () => {
        if (user !== undefined) await deps.operations.pre(callOf(req, user));
        return handler.call(this, req, reply);
      });
    } as RouteHandlerMethod;
  });
  if (deps.post) postEvents(app, deps.operations, actorOf);
  return { actorOf, apiEvents: () => [...events] };
}

/** Post events see the response; only authenticated calls are events (an anonymous request never reaches a rule). */
function postEvents(app: FastifyInstance, operations: Operations, actorOf: (req: FastifyRequest) => User | undefined): void {
  const responses = new WeakMap<FastifyRequest, unknown>();
  app.addHook('preSerialization', async (req: FastifyRequest, _reply: FastifyReply, payload: unknown) => {
    responses.set(req, payload);
    return payload;
  });
  app.addHook('onResponse', async (req: FastifyRequest, reply: FastifyReply) => {
    const user = actorOf(req);
    if (user === undefined || req.routeOptions.url === undefined || !req.routeOptions.url.startsWith('/api/')) return;
    await inRequestContext(req, () => operations.post(callOf(req, user), { statusCode: reply.statusCode, response: responses.get(req) }));
  });
}
