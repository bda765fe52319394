import { newEventId, type ExtensionManager } from '@plugboard/core';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { accountRoutes } from './accounts/account-routes';
import { isAdmin, isSuperAdmin, type AdminService } from './admin-service';
import { routeOperations } from './api/api-events';
import { registerApiDocs } from './api/api-docs';
import { handleApiError, handleNotFound } from './api/error-handler';
import { applyRouteDefaults } from './api/route-defaults';
import { traceRequests } from './telemetry/request-spans';
import { bearer, type RouteContext } from './api/route-context';
import { contentRoutes } from './content/content-routes';
import { domainAliasRoutes } from './domain-aliases/domain-alias-routes';
import { domainRoutes } from './domains/domain-routes';
import { forbidden, HostError } from './errors';
import type { ExtensionRoutes, RouteAccess } from './extension-routes';
import type { HostHealth } from './extension-health';
import { registerExtensionRoutes } from './extensions-api';
import type { HostBus } from './host-bus';
import type { HostSpecs } from './hooks';
import { importExportRoutes } from './import-export/import-export-routes';
import { mailboxAliasRoutes } from './mailbox-aliases/mailbox-alias-routes';
import type { HostMetrics } from './metrics/host-metrics';
import { registerMetricsRoute } from './metrics/metrics-route';
import type { User } from './model';
import { Operations } from './operations/operations';
import type { ExtensionPackages } from './packages/extension-packages';
import { registerPackageRoutes } from './packages/package-routes';
import { parameterRoutes } from './parameters/parameter-routes';
import { registerPluginRoutes } from './plugin-api';
import { ConnectionTests, registerConnectionTestRoutes } from './connection-tests';
import { PluginAdmin } from './plugin-service';
import type { HostPlugins } from './plugins';
import { relayDomainRoutes } from './relay-domains/relay-domain-routes';
import { sessionRoutes } from './sessions/session-routes';

/** What the API needs from the host. */
export interface ApiDeps {
  readonly service: AdminService;
  readonly manager: ExtensionManager<HostSpecs>;
  readonly bus: HostBus;
  readonly routes: ExtensionRoutes;
  readonly logger: Logger;
  /** The plugins (rules, notify, webhooks, outbox): API calls become rules events and their routes are mounted. */
  readonly plugins?: HostPlugins;
  /** Extension packages: listed, added and removed through `/api/extension-packages`. */
  readonly packages?: ExtensionPackages<HostSpecs>;
  /** Extension health figures, shown with each extension in `/api/extensions`. */
  readonly health?: Pick<HostHealth, 'figures'>;
  /** Prometheus metrics served at `/metrics` (admins). */
  readonly metrics?: HostMetrics;
  /** The operation layer (default: one over the plugins' rules engine). */
  readonly operations?: Operations;
}

/**
 * Builds the fastify app of the JSON API (not listening yet). Every body and query is
 * schema-validated; errors answer `{ error, message, field?, extension?, hook?, reason? }`.
 *
 * @example
 * ```ts
 * const app = buildApi({ service, manager, bus, routes, logger });
 * await app.listen({ host: '127.0.0.1', port: 8080 });
 * ```
 */
export function buildApi(deps: ApiDeps): FastifyInstance {
  const { service, manager, bus } = deps;
  const app = Fastify({
    loggerInstance: deps.logger,
    // The request id is the API event's id: a UUIDv7, unique across restarts and processes
    // (fastify's default `req-N` restarts at 1, so a restarted host saw new events as duplicates).
    genReqId: () => newEventId(),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  }) as unknown as FastifyInstance;
  const operations = deps.operations ?? new Operations(deps.plugins?.rules.engine, deps.logger);
  const { actorOf, apiEvents } = routeOperations(app, { operations, authenticate: (req) => service.authenticate(bearer(req)), post: deps.plugins !== undefined });
  traceRequests(app);
  deps.plugins?.rules.declareApiEvents(apiEvents);
  app.setErrorHandler(handleApiError);
  app.setNotFoundHandler(handleNotFound);
  applyRouteDefaults(app);
  registerApiDocs(app);

  const allowed = (user: User, access: RouteAccess): User => {
    if (access === 'admin' && !isAdmin(user)) throw forbidden(`This needs an administrator; you are ${user.role}.`);
    if (access === 'superadmin' && !isSuperAdmin(user)) throw forbidden(`This needs a SuperAdmin; you are ${user.role}.`);
    return user;
  };
  const auth = (req: FastifyRequest, access: RouteAccess = 'user'): User => {
    // Every non-public /api/ route authenticates in its onRequest hook (routeOperations), which can await the session.
    const user = actorOf(req);
    if (user === undefined) throw new HostError('PB_HOST_UNAUTHENTICATED', 'Log in first: POST /api/login, then send "Authorization: Bearer <token>".');
    return allowed(user, access);
  };
  /** For the routes outside /api/ (no onRequest hook): reads the session itself. */
  const authOutside = async (req: FastifyRequest, access: RouteAccess = 'user'): Promise<User> => allowed(actorOf(req) ?? (await service.authenticate(bearer(req))), access);
  const ctx: RouteContext = { service, auth };
  for (const routes of [sessionRoutes, contentRoutes, domainRoutes, domainAliasRoutes, accountRoutes, mailboxAliasRoutes, relayDomainRoutes, importExportRoutes, parameterRoutes]) {
    void app.register(routes(ctx));
  }

  // ── extensions, hooks and plugins (rules, notifications, webhooks, outbox) ──
  // Declared in a plugin, so they come after @fastify/swagger has started collecting routes.
  void app.register(async (scope) => {
    registerExtensionRoutes(scope, { manager, ...(deps.health ? { health: deps.health } : {}), auth });
    if (deps.metrics !== undefined) registerMetricsRoute(scope, { metrics: deps.metrics, auth: authOutside });
    if (deps.packages !== undefined) registerPackageRoutes(scope, { packages: deps.packages, auth });
    scope.get('/api/hooks', async (req) => {
      auth(req, 'admin');
      return { hooks: bus.names().map((name) => bus.explain(name)) };
    });
    if (deps.plugins !== undefined) {
      registerPluginRoutes(scope, { admin: new PluginAdmin(deps.plugins, bus), auth, apiEvents });
      registerConnectionTestRoutes(scope, new ConnectionTests(deps.plugins), auth);
    }
    registerExtensionApiRoutes(scope, deps, auth);
  });
  return app;
}

/** The routes extensions contribute, under `/api/ext/<extension>/`, answering only while the extension is enabled. */
function registerExtensionApiRoutes(app: FastifyInstance, { routes, manager }: ApiDeps, auth: RouteContext['auth']): void {
  for (const r of routes.all()) {
    app.route({
      method: r.method,
      url: `/api/ext/${r.extension}${r.path}`,
      config: { public: r.access === 'public' },
      schema: { ...(r.body ? { body: r.body } : {}), ...(r.query ? { querystring: r.query } : {}) },
      handler: async (req) => {
        if (manager.find(r.extension)?.state !== 'enabled') {
          throw new HostError('PB_HOST_NOT_FOUND', `Extension "${r.extension}" is not enabled; enable it with POST /api/extensions/${r.extension}/enable.`, { extension: r.extension });
        }
        const user = r.access === 'public' ? undefined : auth(req, r.access);
        return r.handler({ user, params: req.params as Record<string, string>, query: req.query as Record<string, unknown>, body: req.body });
      },
    });
  }
}
