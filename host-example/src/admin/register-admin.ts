import type { ServerResponse } from 'node:http';
import { PlugboardError } from '@plugboard/core';
import { OUTBOX_STATES } from '@plugboard/outbox';
import { RuleValidationError, type HandlerModuleInfo, type RuleIssue } from '@plugboard/rules';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isSuperAdmin } from '../admin-service';
import { registerEmailHooksPage } from '../email-hooks/email-hooks-page';
import { registerSmsGatewaysPage } from '../sms-gateways/sms-page';
import { registerWebhooksPage } from '../webhook-endpoints/webhooks-page';
import { registerSmtpPage } from '../smtp-configs/smtp-page';
import { HostError } from '../errors';
import { apiStatus } from '../error-status';
import { hostHooks } from '../hooks';
import type { RequestInfo, User } from '../model';
import type { AdminHost } from './admin-host';
import { ADMIN_CSS, ADMIN_JS, vendorScripts } from './assets';
import { registerChartRoutes } from './charts/charts-routes';
import { deliveriesInput, deliveriesView, type DeliveriesQuery } from './delivery-rows';
import { callItem, eventsView } from './events-view';
import { extensionsView } from './extensions-view';
import { hooksView } from './hooks-view';
import { html, type SafeHtml } from './html';
import { page, type PageOptions, type SectionId } from './layout';
import type { AdminPageContext } from './page-context';
import { LiveLog, paramsLookup, type LoggedCall } from './live-log';
import { loginView } from './login-view';
import { draftOfForm, draftOfRule, EMPTY_DRAFT, inputOfDraft, issuesByField, type RuleDraft } from './rule-draft';
import { ruleForm, rulesView } from './rules-view';
import { field, parseForm, registerSessionCookies, sessionToken, setSessionCookie, type FormBody } from './session';

const PUBLIC_PATHS = new Set(['/admin/login']);
const SSE_HEARTBEAT_MS = 15_000;

// Everything the page loads comes from this host; no inline scripts, no eval (htmx is told so too).
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

function requestInfo(req: FastifyRequest): RequestInfo {
  return { ip: req.ip, userAgent: String(req.headers['user-agent'] ?? ''), method: req.method, url: req.url };
}

/** A query string as form values (fastify gives a string or an array per key). */
function queryForm(req: FastifyRequest): FormBody {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>)) {
    out[k] = (Array.isArray(v) ? v : [v]).map((x) => String(x));
  }
  return out;
}

function formOf(req: FastifyRequest): FormBody {
  const b = req.body;
  return b !== null && typeof b === 'object' ? (b as FormBody) : {};
}

/** Only same-site paths under /admin are followed after login (no open redirect). */
function safeNext(next: string): string {
  return /^\/admin(\/[^/\\]|$|\?)/.test(next) && !next.includes('//') ? next : '/admin/extensions';
}

/** `/admin/x?notice=…` or `?error=…`: the page after a POST says what happened (post/redirect/get). */
function back(reply: FastifyReply, path: string, outcome: { notice?: string; error?: string }): FastifyReply {
  const q = new URLSearchParams();
  if (outcome.notice !== undefined) q.set('notice', outcome.notice);
  if (outcome.error !== undefined) q.set('error', outcome.error);
  const s = q.toString();
  return reply.redirect(s === '' ? path : `${path}${path.includes('?') ? '&' : '?'}${s}`, 303);
}

/**
 * Mounts the admin web page on the host's fastify app, under `/admin`: extensions, hook
 * catalogue, rules, deliveries and the live event log (SSE). Server-rendered HTML with htmx
 * (served from the host); the same login and sessions as the API, SuperAdmins only, with the
 * session token in an HttpOnly cookie. Returns the app.
 *
 * @example
 * ```ts
 * const app = registerAdmin(buildApi({ service, manager, bus, routes, logger }), { service, manager, bus, logger, rules, outbox });
 * await app.listen({ host: '127.0.0.1', port: 8080 }); // then open http://127.0.0.1:8080/admin
 * ```
 */
export function registerAdmin(app: FastifyInstance, host: AdminHost): FastifyInstance {
  const { service, manager, bus } = host;
  registerSessionCookies(app);
  const explain = (hook: string) => bus.explain(hook as never);
  const paramsOf = paramsLookup(explain);
  const liveLog = host.liveEvents !== undefined ? LiveLog.fromSource(host.liveEvents, { paramsOf }) : LiveLog.fromInterceptor(bus, { paramsOf });
  const streams = new Set<ServerResponse>();
  const users = new WeakMap<FastifyRequest, User>();
  let vendor: ReturnType<typeof vendorScripts> | undefined;

  app.addHook('preClose', async () => {
    // Open event streams would keep the server from closing.
    for (const s of streams) s.end();
    streams.clear();
  });
  app.addHook('onClose', async () => liveLog.close());

  app.register(
    async (admin) => {
      admin.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => {
        done(null, parseForm(String(body)));
      });

      const render = (reply: FastifyReply, status: number, o: Omit<PageOptions, 'username'>, req: FastifyRequest): FastifyReply => {
        const user = users.get(req);
        return reply
          .code(status)
          .type('text/html; charset=utf-8')
          .headers({ 'cache-control': 'no-store', 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin' })
          .send(page({ ...o, ...(user !== undefined ? { username: user.username } : {}) }).value);
      };
      const notices = (req: FastifyRequest): { notice?: string; error?: string } => {
        const q = (req.query ?? {}) as Record<string, unknown>;
        return { ...(typeof q.notice === 'string' ? { notice: q.notice } : {}), ...(typeof q.error === 'string' ? { error: q.error } : {}) };
      };
      const section = (req: FastifyRequest, reply: FastifyReply, id: SectionId, title: string, body: SafeHtml, status = 200): FastifyReply =>
        render(reply, status, { title, section: id, body, ...notices(req) }, req);

      admin.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
        const e = err as Error & { statusCode?: number; validation?: unknown };
        // The same code → status table as the API, so a plugin's validation error is a 4xx here too.
        const status = e instanceof PlugboardError ? apiStatus(e.code) : typeof e.statusCode === 'number' && e.statusCode < 500 ? e.statusCode : 500;
        if (status >= 500) req.log.error({ err: e }, 'admin page failed');
        const message = status >= 500 && !(e instanceof PlugboardError) ? 'Internal error; see the server log.' : e.message;
        return render(reply, status, { title: status === 404 ? 'Not found' : 'Something went wrong', error: message, body: html`<p><a href="/admin/extensions">Back to the admin page</a></p>` }, req);
      });

      admin.setNotFoundHandler((req, reply) =>
        render(reply, 404, { title: 'Not found', error: `There is no admin page at ${req.url.split('?')[0]}.`, body: html`<p><a href="/admin/extensions">Back to the admin page</a></p>` }, req),
      );

      // Every page but the login form needs a SuperAdmin session (the API's sessions, read from the cookie).
      admin.addHook('onRequest', async (req, reply) => {
        const path = req.url.split('?')[0];
        if (req.method === 'POST') {
          const origin = req.headers.origin;
          // SameSite=Strict already keeps other sites' forms out; the Origin check covers older browsers.
          if (origin !== undefined && origin !== 'null' && new URL(origin).host !== req.headers.host) {
            return render(reply, 403, { title: 'Refused', error: 'This form was posted from another site.', body: html`` }, req);
          }
        }
        if (PUBLIC_PATHS.has(path) || path.startsWith('/admin/assets/')) return;
        let user: User;
        try {
          user = service.authenticate(sessionToken(req));
        } catch {
          const next = req.method === 'GET' && !path.endsWith('/stream') ? req.url : '/admin/extensions';
          return reply.redirect(`/admin/login?next=${encodeURIComponent(next)}`, 303);
        }
        if (!isSuperAdmin(user)) {
          return render(reply, 403, { title: 'Not allowed', error: `The admin page needs a SuperAdmin; "${user.username}" is ${user.role}.`, body: html`` }, req);
        }
        users.set(req, user);
      });

      // ── assets (served by the host: no CDN) ──────────────────────────────────
      const asset = (type: string, body: () => string) => async (_req: FastifyRequest, reply: FastifyReply) =>
        reply.type(type).header('cache-control', 'public, max-age=3600').header('x-content-type-options', 'nosniff').send(body());
      admin.get('/assets/admin.css', asset('text/css; charset=utf-8', () => ADMIN_CSS));
      admin.get('/assets/admin.js', asset('text/javascript; charset=utf-8', () => ADMIN_JS));
      admin.get('/assets/htmx.min.js', asset('text/javascript; charset=utf-8', () => (vendor ??= vendorScripts()).htmx));
      admin.get('/assets/sse.js', asset('text/javascript; charset=utf-8', () => (vendor ??= vendorScripts()).sse));

      // ── session ──────────────────────────────────────────────────────────────
      admin.get('/', async (_req, reply) => reply.redirect('/admin/extensions', 303));
      admin.get('/login', { schema: { querystring: { type: 'object', properties: { next: { type: 'string' } }, additionalProperties: false } } }, async (req, reply) => {
        const next = (req.query as { next?: string }).next;
        return render(reply, 200, { title: 'Log in', body: loginView(next !== undefined ? { next: safeNext(next) } : {}) }, req);
      });
      admin.post('/login', async (req, reply) => {
        const form = formOf(req);
        const username = field(form, 'username');
        const next = safeNext(field(form, 'next') || '/admin/extensions');
        try {
          const { token, user } = await service.login(requestInfo(req), username, field(form, 'password'));
          if (!isSuperAdmin(user)) {
            await service.logout(requestInfo(req), token);
            return render(reply, 403, { title: 'Log in', body: loginView({ username, next, error: `The admin page needs a SuperAdmin; "${user.username}" is ${user.role}.` }) }, req);
          }
          setSessionCookie(req, reply, token);
          return reply.redirect(next, 303);
        } catch (e) {
          if (e instanceof HostError && (e.status === 401 || e.status === 429)) {
            if (e.retryAfterSeconds !== undefined) void reply.header('retry-after', String(e.retryAfterSeconds));
            return render(reply, e.status, { title: 'Log in', body: loginView({ username, next, error: e.message }) }, req);
          }
          throw e;
        }
      });
      admin.post('/logout', async (req, reply) => {
        const token = sessionToken(req);
        if (token !== undefined) await service.logout(requestInfo(req), token);
        setSessionCookie(req, reply, undefined);
        return reply.redirect('/admin/login', 303);
      });

      // ── extensions and hooks ─────────────────────────────────────────────────
      admin.get('/extensions', async (req, reply) =>
        section(req, reply, 'extensions', 'Extensions', extensionsView({ extensions: manager.list(), plans: bus.names().map(explain), constructed: (n) => manager.instance(n) !== undefined, packages: host.packages?.list() ?? [], ...(host.health ? { health: host.health.figures() } : {}) })),
      );
      admin.post(
        '/extensions/:name/:action',
        { schema: { params: { type: 'object', properties: { name: { type: 'string', minLength: 1 }, action: { type: 'string', enum: ['enable', 'disable'] } }, required: ['name', 'action'] } } },
        async (req, reply) => {
          const { name, action } = req.params as { name: string; action: 'enable' | 'disable' };
          try {
            const info = action === 'enable' ? await manager.enable(name) : await manager.disable(name);
            return back(reply, '/admin/extensions', { notice: `Extension "${name}" is ${info.state}.` });
          } catch (e) {
            // Refusals (requires, a failing onEnable) are shown on the page; the host keeps running.
            if (e instanceof PlugboardError) return back(reply, '/admin/extensions', { error: e.message });
            throw e;
          }
        },
      );
      const hookNames = (): string[] => bus.names();
      admin.get(
        '/hooks',
        { schema: { querystring: { type: 'object', properties: { q: { type: 'string' }, with: { type: 'string' } }, additionalProperties: false } } },
        async (req, reply) => {
          const q = req.query as { q?: string; with?: string };
          const catalogue = hostHooks as unknown as Record<string, { spec?: { options?: { result?: unknown } } } | undefined>;
          return section(
            req,
            reply,
            'hooks',
            'Hook catalogue',
            hooksView({ plans: hookNames().map(explain), resultSchema: (h) => catalogue[h]?.spec?.options?.result, filter: { q: q.q ?? '', withListeners: q.with === '1' } }),
          );
        },
      );

      // ── rules ────────────────────────────────────────────────────────────────
      const rulesOrMissing = (req: FastifyRequest, reply: FastifyReply): NonNullable<AdminHost['rules']> | undefined => {
        if (host.rules !== undefined) return host.rules;
        section(req, reply, 'rules', 'Rules', html`<p class="card">This host runs without the rules engine.</p>`, 404);
        return undefined;
      };
      const formPage = (
        req: FastifyRequest,
        reply: FastifyReply,
        o: { title: string; modules: readonly HandlerModuleInfo[]; draft: RuleDraft; action: string; reload: string; issues?: readonly RuleIssue[] },
      ): FastifyReply =>
        section(
          req,
          reply,
          'rules',
          o.title,
          ruleForm({ modules: o.modules, draft: o.draft, action: o.action, reload: o.reload, errors: issuesByField(o.issues ?? []), hooks: hookNames() }),
          o.issues !== undefined && o.issues.length > 0 ? 422 : 200,
        );
      const idParams = { type: 'object', properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } }, required: ['id'] } as const;

      admin.get('/rules', async (req, reply) => {
        const rules = rulesOrMissing(req, reply);
        if (rules === undefined) return reply;
        return section(req, reply, 'rules', 'Rules', rulesView(rules.store.list()));
      });
      admin.get('/rules/new', async (req, reply) => {
        const rules = rulesOrMissing(req, reply);
        if (rules === undefined) return reply;
        const modules = rules.registry.list();
        const query = queryForm(req);
        // A reload after choosing another action carries the whole form in the query.
        const draft = query.handler !== undefined ? draftOfForm(query, modules) : EMPTY_DRAFT;
        return formPage(req, reply, { title: 'New rule', modules, draft, action: '/admin/rules', reload: '/admin/rules/new' });
      });
      admin.post('/rules', async (req, reply) => {
        const rules = rulesOrMissing(req, reply);
        if (rules === undefined) return reply;
        const modules = rules.registry.list();
        const draft = draftOfForm(formOf(req), modules);
        try {
          const rule = rules.store.create(inputOfDraft(draft, modules));
          return back(reply, '/admin/rules', { notice: `Rule "${rule.name}" was created.` });
        } catch (e) {
          if (e instanceof RuleValidationError) return formPage(req, reply, { title: 'New rule', modules, draft, action: '/admin/rules', reload: '/admin/rules/new', issues: e.issues });
          throw e;
        }
      });
      admin.get('/rules/:id', { schema: { params: idParams } }, async (req, reply) => {
        const rules = rulesOrMissing(req, reply);
        if (rules === undefined) return reply;
        const id = Number((req.params as { id: string }).id);
        const rule = rules.store.get(id);
        if (rule === undefined) throw new HostError('PB_HOST_NOT_FOUND', `Rule ${id} does not exist; see the rules list.`);
        const modules = rules.registry.list();
        const query = queryForm(req);
        const draft = query.handler !== undefined ? draftOfForm(query, modules) : draftOfRule(rule, modules);
        return formPage(req, reply, { title: `Rule "${rule.name}"`, modules, draft, action: `/admin/rules/${id}`, reload: `/admin/rules/${id}` });
      });
      admin.post('/rules/:id', { schema: { params: idParams } }, async (req, reply) => {
        const rules = rulesOrMissing(req, reply);
        if (rules === undefined) return reply;
        const id = Number((req.params as { id: string }).id);
        const modules = rules.registry.list();
        const draft = draftOfForm(formOf(req), modules);
        try {
          const rule = rules.store.update(id, inputOfDraft(draft, modules));
          return back(reply, '/admin/rules', { notice: `Rule "${rule.name}" was saved.` });
        } catch (e) {
          if (e instanceof RuleValidationError) return formPage(req, reply, { title: 'Edit rule', modules, draft, action: `/admin/rules/${id}`, reload: `/admin/rules/${id}`, issues: e.issues });
          if (e instanceof PlugboardError && e.code === 'PB_RULES_NOT_FOUND') throw new HostError('PB_HOST_NOT_FOUND', e.message);
          throw e;
        }
      });
      admin.post(
        '/rules/:id/:op',
        { schema: { params: { type: 'object', properties: { id: idParams.properties.id, op: { type: 'string', enum: ['activate', 'deactivate', 'delete'] } }, required: ['id', 'op'] } } },
        async (req, reply) => {
          const rules = rulesOrMissing(req, reply);
          if (rules === undefined) return reply;
          const { id, op } = req.params as { id: string; op: 'activate' | 'deactivate' | 'delete' };
          const rule = rules.store.get(Number(id));
          if (rule === undefined) return back(reply, '/admin/rules', { error: `Rule ${id} does not exist any more.` });
          if (op === 'delete') {
            rules.store.delete(rule.id);
            return back(reply, '/admin/rules', { notice: `Rule "${rule.name}" was deleted.` });
          }
          rules.store.setActive(rule.id, op === 'activate');
          return back(reply, '/admin/rules', { notice: `Rule "${rule.name}" is ${op === 'activate' ? 'active' : 'inactive'}.` });
        },
      );

      // ── deliveries ───────────────────────────────────────────────────────────
      admin.get(
        '/deliveries',
        { schema: { querystring: { type: 'object', properties: { state: { type: 'string', enum: [...OUTBOX_STATES] }, rule: { type: 'string', pattern: '^[0-9]{1,9}$' }, notice: { type: 'string' }, error: { type: 'string' } }, additionalProperties: false } } },
        async (req, reply) => {
          const outbox = host.outbox;
          if (outbox === undefined) return section(req, reply, 'deliveries', 'Deliveries', html`<p class="card">This host runs without the outbox.</p>`, 404);
          const query = req.query as DeliveriesQuery;
          const input = deliveriesInput(outbox, query, query.rule !== undefined ? host.rules?.store.get(Number(query.rule))?.name : undefined);
          return section(req, reply, 'deliveries', 'Deliveries', deliveriesView(input));
        },
      );
      admin.post('/deliveries/:id/retry', { schema: { params: { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 100 } }, required: ['id'] } } }, async (req, reply) => {
        const outbox = host.outbox;
        const { id } = req.params as { id: string };
        if (outbox === undefined) return back(reply, '/admin/deliveries', { error: 'This host runs without the outbox.' });
        try {
          outbox.retry(id);
          return back(reply, '/admin/deliveries', { notice: `Message ${id.slice(0, 8)} will be delivered again.` });
        } catch (e) {
          if (e instanceof PlugboardError) return back(reply, '/admin/deliveries', { error: e.message });
          throw e;
        }
      });

      registerChartRoutes(admin, { charts: host.charts, section });

      // ── configuration pages (mail servers, SMS gateways, webhooks, email hooks) ──
      const pageContext: AdminPageContext = { host, admin, users, render, section };
      for (const register of [registerSmtpPage, registerSmsGatewaysPage, registerWebhooksPage, registerEmailHooksPage]) register(pageContext);

      // ── live event log ───────────────────────────────────────────────────────
      const hookFilter = (req: FastifyRequest): string | undefined => {
        const hook = (req.query as { hook?: string }).hook;
        if (hook === undefined || hook === '') return undefined;
        if (!bus.has(hook)) throw new HostError('PB_HOST_INVALID', `There is no hook "${hook}"; choose one from the list.`, { field: 'hook' });
        return hook;
      };
      const hookQuery = { querystring: { type: 'object', properties: { hook: { type: 'string' } }, additionalProperties: false } };
      admin.get('/events', { schema: hookQuery }, async (req, reply) => {
        const hook = hookFilter(req);
        return section(req, reply, 'events', 'Live events', eventsView({ hooks: hookNames(), recent: liveLog.recent(hook), ...(hook !== undefined ? { hook } : {}) }));
      });
      admin.get('/events/stream', { schema: hookQuery }, async (req, reply) => {
        const hook = hookFilter(req);
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
        // A first comment makes the browser's EventSource report "open" at once.
        res.write(': connected\n\n');
        const send = (call: LoggedCall): void => {
          if (hook !== undefined && call.hook !== hook) return;
          const data = callItem(call)
            .value.split('\n')
            .map((line) => `data: ${line}`)
            .join('\n');
          res.write(`event: call\nid: ${call.seq}\n${data}\n\n`);
        };
        const unsubscribe = liveLog.subscribe(send);
        const heartbeat = setInterval(() => res.write(': ping\n\n'), SSE_HEARTBEAT_MS);
        heartbeat.unref();
        streams.add(res);
        res.on('close', () => {
          clearInterval(heartbeat);
          unsubscribe();
          streams.delete(res);
        });
      });
    },
    { prefix: '/admin' },
  );
  // A newcomer opens the address `serve` prints; send them to the page that exists.
  app.get('/', async (_req, reply) => reply.redirect('/admin', 302));
  return app;
}
