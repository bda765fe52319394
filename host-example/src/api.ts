import { ExtensionError, ListenerError, ListenersFailedError, maskDeclared, newEventId, PlugboardError, type ExtensionManager } from '@plugboard/core';
import { httpEventContext, httpEventName, RuleAbortError, RuleActionError, RuleValidationError } from '@plugboard/rules';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type RouteHandlerMethod } from 'fastify';
import type { Logger } from 'pino';
import { isAdmin, isSuperAdmin, type AdminService } from './admin-service';
import { apiStatus } from './error-status';
import { forbidden, HostError } from './errors';
import type { ExtensionRoutes, RouteAccess } from './extension-routes';
import { actingScope, eventUser, jsonSafe } from './hook-events';
import type { HostBus } from './host-bus';
import type { HostSpecs } from './hooks';
import type { RequestInfo, User } from './model';
import { registerPluginRoutes } from './plugin-api';
import { ConnectionTests, registerConnectionTestRoutes } from './connection-tests';
import { PluginAdmin } from './plugin-service';
import type { HostPlugins } from './plugins';
import type { HostHealth } from './extension-health';
import { registerExtensionRoutes } from './extensions-api';
import type { HostMetrics } from './metrics/host-metrics';
import { registerMetricsRoute } from './metrics/metrics-route';
import type { ExtensionPackages } from './packages/extension-packages';
import { registerPackageRoutes } from './packages/package-routes';

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
}

type Json = Record<string, unknown>;

const str = { type: 'string' } as const;
const nonEmpty = { type: 'string', minLength: 1 } as const;
const int = { type: 'integer', minimum: 0 } as const;
const bool = { type: 'boolean' } as const;
const anyObject = { type: 'object', additionalProperties: true } as const;
// Path and query values are strings: types are checked by pattern, never coerced (so bodies are never coerced either).
const idParams = { type: 'object', properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } }, required: ['id'] } as const;

/** The numeric `:id` of a request (validated by {@link idParams}). */
function idOf(req: FastifyRequest): number {
  return Number((req.params as { id: string }).id);
}

/** A closed object schema: unknown properties are a 400 naming them. */
function body(properties: Json, required: string[] = []): Json {
  return { type: 'object', properties, required, additionalProperties: false };
}

interface AjvIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: { missingProperty?: string; additionalProperty?: string };
}

/** The input field an ajv issue is about, as a dotted path. */
function fieldOf(issue: AjvIssue): string {
  const parts = (issue.instancePath ?? '').split('/').filter(Boolean);
  if (issue.params?.missingProperty) parts.push(issue.params.missingProperty);
  if (issue.params?.additionalProperty) parts.push(issue.params.additionalProperty);
  return parts.join('.') || '(body)';
}

/** Routes anyone may call: logging in, and what the login page shows. */
const PUBLIC_ROUTES = new Set(['POST /api/login', 'GET /api/announcements']);

/** What an API event carries about its request (the pre and post events of one request share its id). */
function eventInput(req: FastifyRequest, user: User) {
  return {
    method: req.method,
    route: req.routeOptions.url ?? req.url,
    eventId: String(req.id),
    // Masked by what the route's configuration schema declares secret, then by the name/URL fallback.
    body: maskDeclared(jsonSafe(req.body), (req.routeOptions.config as { secretPaths?: string[] } | undefined)?.secretPaths ?? []),
    query: maskDeclared(jsonSafe(req.query)) as Record<string, unknown>,
    params: req.params as Record<string, unknown>,
    ip: req.ip,
    path: req.url,
    loggedInUser: eventUser(user),
  };
}

function requestInfo(req: FastifyRequest): RequestInfo {
  return { ip: req.ip, userAgent: String(req.headers['user-agent'] ?? ''), method: req.method, url: req.url };
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

/** The field a plugin validation error is about (its zod cause's first issue path), if it says. */
function pluginField(e: PlugboardError): string | undefined {
  const cause = (e as { cause?: { issues?: { path?: readonly PropertyKey[] }[] } }).cause;
  const path = cause?.issues?.[0]?.path;
  return path !== undefined && path.length > 0 ? path.map(String).join('.') : undefined;
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
  const { service, manager, bus, routes } = deps;
  const app = Fastify({
    loggerInstance: deps.logger,
    // The request id is the API event's id: a UUIDv7, unique across restarts and processes
    // (fastify's default `req-N` restarts at 1, so a restarted host saw new events as duplicates).
    genReqId: () => newEventId(),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  });

  // Every API call is a rules event: routes are wrapped as they are declared (so routes added later,
  // by extensions or the admin page, are too), running pre rules before the handler in the caller's scope.
  // Authentication comes first, in `onRequest` (before body parsing and validation): an anonymous
  // request to a protected route is a 401 whatever its body, and raises no API event at all.
  const apiEvents = new Set<string>();
  deps.plugins?.rules.declareApiEvents(() => [...apiEvents]);
  const engine = deps.plugins?.rules.engine;
  const actors = new WeakMap<FastifyRequest, User>();
  const actorOf = (req: FastifyRequest): User | undefined => actors.get(req);
  const authenticate = async (req: FastifyRequest): Promise<void> => {
    actors.set(req, service.authenticate(bearer(req)));
  };
  const responses = new WeakMap<FastifyRequest, unknown>();
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
    const isPublic = methods.every((m) => PUBLIC_ROUTES.has(`${m} ${route.url}`)) || (route.config as { public?: boolean } | undefined)?.public === true;
    if (isPublic) return;
    const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [authenticate, ...existing] as typeof route.onRequest;
    for (const m of methods) apiEvents.add(httpEventName(m, route.url));
    const handler = route.handler as (this: FastifyInstance, req: FastifyRequest, reply: FastifyReply) => unknown;
    route.handler = async function (this: FastifyInstance, req: FastifyRequest, reply: FastifyReply) {
      const user = actorOf(req);
      return actingScope.run({ ...(user !== undefined ? { loggedInUser: user } : {}), ip: req.ip, method: req.method, path: req.url }, async () => {
        if (engine !== undefined && user !== undefined) await engine.dispatch(httpEventContext({ ...eventInput(req, user), position: 'pre' }));
        return handler.call(this, req, reply);
      });
    } as RouteHandlerMethod;
  });
  if (engine !== undefined) {
    app.addHook('preSerialization', async (req: FastifyRequest, _reply: FastifyReply, payload: unknown) => {
      responses.set(req, payload);
      return payload;
    });
    // Post rules see the response; they run once it is sent, so they never delay or change it.
    // Only authenticated calls are events: an anonymous request never reaches a rule.
    app.addHook('onResponse', async (req: FastifyRequest, reply: FastifyReply) => {
      const user = actorOf(req);
      if (user === undefined || req.routeOptions.url === undefined || !req.routeOptions.url.startsWith('/api/')) return;
      try {
        await engine.dispatch(httpEventContext({ ...eventInput(req, user), position: 'post', statusCode: reply.statusCode, response: maskDeclared(jsonSafe(responses.get(req))) }));
      } catch (e) {
        req.log.error({ err: e }, 'a post rule failed');
      }
    });
  }

  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const e = err as Error & { validation?: AjvIssue[]; validationContext?: string; statusCode?: number; code?: string };
    if (Array.isArray(e.validation) && e.validation.length > 0) {
      const field = fieldOf(e.validation[0]);
      return reply.code(apiStatus('PB_HOST_INVALID')).send({ error: 'PB_HOST_INVALID', field, message: `Invalid "${field}" in ${e.validationContext ?? 'request'}: ${e.validation[0].message ?? 'invalid'}.` });
    }
    if (e instanceof RuleValidationError) {
      return reply.code(apiStatus(e.code)).send({ error: e.code, message: e.message, ...(e.issues.length > 0 ? { field: e.issues[0].path } : {}), issues: e.issues });
    }
    if (e instanceof RuleAbortError) {
      return reply.code(apiStatus(e.code)).send({ error: e.code, message: e.message, reason: e.reason, ...(e.rule !== undefined ? { rule: e.rule.name, ruleId: e.rule.id } : {}), ...(e.event !== undefined ? { event: e.event } : {}) });
    }
    if (e instanceof RuleActionError) {
      return reply.code(apiStatus(e.code)).send({ error: e.code, message: e.message, rule: e.rule.name, ruleId: e.rule.id, event: e.event });
    }
    if (e instanceof HostError) {
      if (e.retryAfterSeconds !== undefined) void reply.header('retry-after', String(e.retryAfterSeconds));
      return reply.code(e.status).send({
        error: e.code,
        message: e.message,
        ...(e.field !== undefined ? { field: e.field } : {}),
        ...(e.extension !== undefined ? { extension: e.extension } : {}),
        ...(e.hook !== undefined ? { hook: e.hook } : {}),
        ...(e.reason !== undefined ? { reason: e.reason } : {}),
      });
    }
    if (e instanceof ExtensionError) {
      return reply.code(apiStatus(e.code)).send({ error: e.code, message: e.message, extension: e.extension });
    }
    if (e instanceof ListenerError || e instanceof ListenersFailedError) {
      // An extension failed while the host needed its answer: the request fails, the host keeps running.
      req.log.error({ err: e }, 'extension failed');
      const ext = e instanceof ListenerError ? e.extension : undefined;
      return reply.code(apiStatus(e.code)).send({ error: e.code, message: e.message, ...(ext !== undefined ? { extension: ext } : {}), hook: e.hook });
    }
    if (e instanceof PlugboardError) {
      const status = apiStatus(e.code);
      if (status < 500) {
        const field = pluginField(e);
        return reply.code(status).send({ error: e.code, message: e.message, ...(field !== undefined ? { field } : {}) });
      }
      req.log.error({ err: e }, 'request failed');
      return reply.code(status).send({ error: e.code, message: e.message });
    }
    if (typeof e.statusCode === 'number' && e.statusCode < 500) return reply.code(e.statusCode).send({ error: e.code ?? 'PB_HOST_INVALID', message: e.message });
    req.log.error({ err: e }, 'request failed');
    return reply.code(apiStatus('PB_HOST_INTERNAL')).send({ error: 'PB_HOST_INTERNAL', message: 'Internal error; see the server log.' });
  });

  const auth = (req: FastifyRequest, access: RouteAccess = 'user'): User => {
    const user = actorOf(req) ?? service.authenticate(bearer(req));
    if (access === 'admin' && !isAdmin(user)) throw forbidden(`This needs an administrator; you are ${user.role}.`);
    if (access === 'superadmin' && !isSuperAdmin(user)) throw forbidden(`This needs a SuperAdmin; you are ${user.role}.`);
    return user;
  };

  // ── sessions ───────────────────────────────────────────────────────────────
  app.post('/api/login', { schema: { body: body({ username: nonEmpty, password: nonEmpty }, ['username', 'password']) } }, async (req) => {
    const { username, password } = req.body as { username: string; password: string };
    const { token, user } = await service.login(requestInfo(req), username, password);
    return { token, user };
  });
  app.post('/api/logout', async (req, reply) => {
    auth(req);
    await service.logout(requestInfo(req), bearer(req) ?? '');
    return reply.code(204).send();
  });
  app.get('/api/me', async (req) => {
    const user = auth(req);
    return { user, mailbox: service.repo.mailboxOfUser(user.id) ?? null };
  });
  app.post('/api/me/password', { schema: { body: body({ oldPassword: str, newPassword: str }, ['newPassword']) } }, async (req, reply) => {
    const user = auth(req);
    const b = req.body as { oldPassword?: string; newPassword: string };
    await service.changePassword(user, user.id, b.newPassword, b.oldPassword);
    return reply.code(204).send();
  });
  app.get('/api/me/parameters/:app', async (req) => service.parameters(auth(req), (req.params as { app: string }).app, 'U'));
  app.put('/api/me/parameters/:app', { schema: { body: anyObject } }, async (req) => service.setParameters(auth(req), (req.params as { app: string }).app, 'U', req.body as Json));

  // ── display hooks ──────────────────────────────────────────────────────────
  app.get('/api/announcements', { schema: { querystring: body({ target: { type: 'string', enum: ['loginpage'], default: 'loginpage' } }) } }, async (req) => ({
    announcements: await service.announcements((req.query as { target: 'loginpage' }).target),
  }));
  app.get(
    '/api/menus/:target',
    { schema: { params: { type: 'object', properties: { target: { type: 'string', enum: ['options_menu', 'uprefs_menu', 'top_menu', 'admin_menu_box'] } } } } },
    async (req) => ({ entries: await service.menu(auth(req), (req.params as { target: 'top_menu' }).target) }),
  );
  app.get('/api/notifications', async (req) => ({ notifications: await service.notifications(auth(req)) }));
  app.get(
    '/api/admin-content',
    { schema: { querystring: body({ target: { type: 'string', enum: ['leftcol'], default: 'leftcol' }, page: { type: 'string', enum: ['domains', 'identities'] } }, ['page']) } },
    async (req) => {
      const q = req.query as { target: 'leftcol'; page: 'domains' | 'identities' };
      return { content: await service.adminContent(auth(req), q.target, q.page) };
    },
  );
  app.get('/api/static-content', { schema: { querystring: body({ caller: nonEmpty }, ['caller']) } }, async (req) => ({
    content: await service.staticContent(auth(req), (req.query as { caller: string }).caller),
  }));
  app.get('/api/roles', async (req) => ({ roles: await service.roles(auth(req)) }));
  app.get('/api/limit-templates', async (req) => {
    auth(req, 'admin');
    return { templates: await service.limitTemplates() };
  });

  // ── domains ────────────────────────────────────────────────────────────────
  app.get('/api/domains', { schema: { querystring: { type: 'object', properties: { type: str, q: str }, additionalProperties: { type: 'string' } } } }, async (req) => {
    const { type = '', q = '', ...extra } = req.query as Record<string, string>;
    return service.listDomains(auth(req, 'admin'), type, q, extra);
  });
  const domainBody = { name: nonEmpty, quota: int, enabled: bool, extra: anyObject };
  app.post('/api/domains', { schema: { body: body(domainBody, ['name']) } }, async (req, reply) => {
    const domain = await service.createDomain(auth(req, 'admin'), req.body as { name: string });
    return reply.code(201).send(domain);
  });
  app.get('/api/domains/menu', async (req) => ({ entries: await service.domainMenu(auth(req, 'admin')) }));
  app.get('/api/domains/:id', { schema: { params: idParams } }, async (req) => service.requireDomain(auth(req, 'admin'), idOf(req)));
  app.patch('/api/domains/:id', { schema: { params: idParams, body: body(domainBody) } }, async (req) =>
    service.updateDomain(auth(req, 'admin'), idOf(req), req.body as Json),
  );
  app.delete('/api/domains/:id', { schema: { params: idParams } }, async (req, reply) => {
    await service.deleteDomain(auth(req, 'admin'), idOf(req));
    return reply.code(204).send();
  });
  app.put('/api/domains/:id/owner', { schema: { params: idParams, body: body({ owner: nonEmpty }, ['owner']) } }, async (req) =>
    service.transferDomain(auth(req, 'admin'), idOf(req), (req.body as { owner: string }).owner),
  );
  app.get('/api/domains/:id/forms', { schema: { params: idParams } }, async (req) => service.domainForms(auth(req, 'admin'), idOf(req)));

  app.get('/api/domain-aliases', async (req) => ({ aliases: service.listDomainAliases(auth(req, 'admin')) }));
  app.post('/api/domain-aliases', { schema: { body: body({ name: nonEmpty, target: nonEmpty }, ['name', 'target']) } }, async (req, reply) =>
    reply.code(201).send(await service.createDomainAlias(auth(req, 'admin'), req.body as { name: string; target: string })),
  );
  app.delete('/api/domain-aliases/:id', { schema: { params: idParams } }, async (req, reply) => {
    await service.deleteDomainAlias(auth(req, 'admin'), idOf(req));
    return reply.code(204).send();
  });

  // ── accounts ───────────────────────────────────────────────────────────────
  app.get('/api/accounts', async (req) => ({ accounts: await service.listAccounts(auth(req, 'admin')) }));
  const accountBody = { username: nonEmpty, password: str, role: nonEmpty, firstName: str, lastName: str, email: str, mobile: str, enabled: bool, quota: int, extra: anyObject };
  app.post('/api/accounts', { schema: { body: body(accountBody, ['username', 'password']) } }, async (req, reply) =>
    reply.code(201).send(await service.createAccount(auth(req, 'admin'), req.body as { username: string; password: string })),
  );
  app.get('/api/accounts/:id', { schema: { params: idParams } }, async (req) => {
    const user = auth(req);
    const account = service.requireAccount(user, idOf(req), true);
    return { account, mailbox: service.repo.mailboxOfUser(account.id) ?? null };
  });
  const { password: _password, ...accountChanges } = accountBody;
  app.patch(
    '/api/accounts/:id',
    { schema: { params: idParams, body: body({ ...accountChanges, forms: { type: 'object', additionalProperties: anyObject } }) } },
    async (req) => service.updateAccount(auth(req, 'admin'), idOf(req), req.body as Json),
  );
  app.delete('/api/accounts/:id', { schema: { params: idParams, querystring: body({ keepdir: { type: 'string', enum: ['true', 'false'] } }) } }, async (req, reply) => {
    await service.deleteAccount(auth(req, 'admin'), idOf(req), { keepdir: (req.query as { keepdir?: string }).keepdir === 'true' });
    return reply.code(204).send();
  });
  app.get('/api/accounts/:id/forms', { schema: { params: idParams } }, async (req) => service.accountForms(auth(req), idOf(req)));
  app.post('/api/accounts/:id/password', { schema: { params: idParams, body: body({ password: str }, ['password']) } }, async (req, reply) => {
    await service.changePassword(auth(req, 'admin'), idOf(req), (req.body as { password: string }).password);
    return reply.code(204).send();
  });
  app.get('/api/accounts/:id/limits', { schema: { params: idParams } }, async (req) => service.limits(auth(req, 'admin'), idOf(req)));
  app.put('/api/accounts/:id/limits', { schema: { params: idParams, body: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } } } }, async (req) =>
    service.setLimits(auth(req, 'admin'), idOf(req), req.body as Record<string, number>),
  );

  app.get('/api/mailbox-aliases', async (req) => ({ aliases: service.listMailboxAliases(auth(req, 'admin')) }));
  app.post(
    '/api/mailbox-aliases',
    { schema: { body: body({ address: nonEmpty, recipients: { type: 'array', items: nonEmpty, minItems: 1 }, enabled: bool }, ['address', 'recipients']) } },
    async (req, reply) => reply.code(201).send(await service.createMailboxAlias(auth(req, 'admin'), req.body as { address: string; recipients: string[] })),
  );
  app.delete('/api/mailbox-aliases/:id', { schema: { params: idParams } }, async (req, reply) => {
    await service.deleteMailboxAlias(auth(req, 'admin'), idOf(req));
    return reply.code(204).send();
  });

  // ── relay domains ──────────────────────────────────────────────────────────
  app.get('/api/relaydomains', async (req) => ({ relaydomains: service.listRelayDomains(auth(req, 'admin')) }));
  const relayBody = { name: nonEmpty, targetHost: nonEmpty, service: nonEmpty, enabled: bool };
  app.post('/api/relaydomains', { schema: { body: body(relayBody, ['name', 'targetHost']) } }, async (req, reply) =>
    reply.code(201).send(await service.createRelayDomain(auth(req, 'admin'), req.body as { name: string; targetHost: string })),
  );
  app.get('/api/relaydomains/:id', { schema: { params: idParams } }, async (req) => service.requireRelayDomain(auth(req, 'admin'), idOf(req)));
  app.patch('/api/relaydomains/:id', { schema: { params: idParams, body: body(relayBody) } }, async (req) =>
    service.updateRelayDomain(auth(req, 'admin'), idOf(req), req.body as Json),
  );
  app.delete('/api/relaydomains/:id', { schema: { params: idParams } }, async (req, reply) => {
    await service.deleteRelayDomain(auth(req, 'admin'), idOf(req));
    return reply.code(204).send();
  });
  app.get('/api/relaydomains/:id/forms', { schema: { params: idParams } }, async (req) => service.relayDomainForms(auth(req, 'admin'), idOf(req)));
  app.get('/api/relaydomain-aliases', async (req) => ({ aliases: service.listRelayDomainAliases(auth(req, 'admin')) }));
  app.post('/api/relaydomain-aliases', { schema: { body: body({ name: nonEmpty, target: nonEmpty }, ['name', 'target']) } }, async (req, reply) =>
    reply.code(201).send(await service.createRelayDomainAlias(auth(req, 'admin'), req.body as { name: string; target: string })),
  );
  app.delete('/api/relaydomain-aliases/:id', { schema: { params: idParams } }, async (req, reply) => {
    await service.deleteRelayDomainAlias(auth(req, 'admin'), idOf(req));
    return reply.code(204).send();
  });

  // ── import / export ────────────────────────────────────────────────────────
  app.get('/api/import/help', async (req) => {
    auth(req, 'admin');
    return { help: await service.importHelp() };
  });
  app.post(
    '/api/import',
    { schema: { body: body({ csv: str, options: body({ continueIfExists: bool, sepchar: { type: 'string', minLength: 1, maxLength: 1 } }) }, ['csv']) } },
    async (req) => {
      const b = req.body as { csv: string; options?: { continueIfExists?: boolean; sepchar?: string } };
      return service.importCsv(auth(req, 'admin'), b.csv, b.options ?? {});
    },
  );
  app.get('/api/export/accounts', async (req, reply) => reply.type('text/csv').send(await service.exportAccounts(auth(req, 'admin'))));
  app.get('/api/export/domains', async (req, reply) => reply.type('text/csv').send(service.exportDomains(auth(req, 'admin'))));

  // ── parameters ─────────────────────────────────────────────────────────────
  app.get('/api/parameters/:app', async (req) => service.parameters(auth(req, 'superadmin'), (req.params as { app: string }).app, 'A'));
  app.put('/api/parameters/:app', { schema: { body: anyObject } }, async (req) =>
    service.setParameters(auth(req, 'superadmin'), (req.params as { app: string }).app, 'A', req.body as Json),
  );

  // ── extensions and hooks ───────────────────────────────────────────────────
  registerExtensionRoutes(app as unknown as FastifyInstance, { manager, ...(deps.health ? { health: deps.health } : {}), auth });
  if (deps.metrics !== undefined) registerMetricsRoute(app as unknown as FastifyInstance, { metrics: deps.metrics, auth });
  if (deps.packages !== undefined) registerPackageRoutes(app as unknown as FastifyInstance, { packages: deps.packages, auth });
  app.get('/api/hooks', async (req) => {
    auth(req, 'admin');
    return { hooks: bus.names().map((name) => bus.explain(name)) };
  });

  // ── plugins: rules, notifications, webhooks, outbox ───────────────────────
  if (deps.plugins !== undefined) {
    registerPluginRoutes(app as unknown as FastifyInstance, { admin: new PluginAdmin(deps.plugins, bus), auth, apiEvents: () => [...apiEvents] });
    registerConnectionTestRoutes(app as unknown as FastifyInstance, new ConnectionTests(deps.plugins), auth);
  }

  // ── extension routes ───────────────────────────────────────────────────────
  for (const r of routes.all()) {
    app.route({
      method: r.method,
      url: `/api/ext/${r.extension}${r.path}`,
      config: { public: r.access === 'public' },
      ...(r.body ? { schema: { body: r.body } } : {}),
      handler: async (req) => {
        if (manager.find(r.extension)?.state !== 'enabled') {
          throw new HostError('PB_HOST_NOT_FOUND', `Extension "${r.extension}" is not enabled; enable it with POST /api/extensions/${r.extension}/enable.`, { extension: r.extension });
        }
        const user = r.access === 'public' ? undefined : auth(req, r.access);
        return r.handler({ user, params: req.params as Record<string, string>, query: req.query as Record<string, unknown>, body: req.body });
      },
    });
  }
  // The app is typed with pino's Logger; callers only need the generic instance.
  return app as unknown as FastifyInstance;
}
