import type { ServerResponse } from 'node:http';
import { PlugboardError } from '@plugboard/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isSuperAdmin } from '../common/roles';
import { registerAccountPage } from '../accounts/account-page';
import { registerDomainPage } from '../domains/domain-page';
import { registerEmailHooksPage } from '../email-hooks/email-hooks-page';
import { registerSmsGatewaysPage } from '../sms-gateways/sms-page';
import { registerSmtpPage } from '../smtp-configs/smtp-page';
import { registerWebhooksPage } from '../webhook-endpoints/webhooks-page';
import { apiStatus } from '../error-status';
import type { User } from '../model';
import type { AdminHost } from './admin-host';
import { adminPage, type AdminPage } from './admin-page';
import { assetRoutes } from './asset-routes';
import { deliveriesRoutes } from './deliveries-routes';
import { eventsRoutes } from './events-routes';
import { extensionsRoutes } from './extensions-routes';
import { hooksRoutes } from './hooks-routes';
import { html } from './html';
import { LiveLog, paramsLookup } from './live-log';
import { loginRoutes } from './login-routes';
import { rulesRoutes } from './rules-routes';
import { parseForm, registerSessionCookies, sessionToken } from './session';
import { registerChartRoutes } from './charts/charts-routes';

const PUBLIC_PATHS = new Set(['/admin/login']);

/** Errors and unknown paths answer an admin page (with the API's code → status table), not JSON. */
function errorPages({ admin, render }: AdminPage): void {
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
}

/** Every page but the login form needs a SuperAdmin session (the API's sessions, read from the cookie). */
function requireSuperAdmin({ admin, render, host, users }: AdminPage): void {
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
      user = await host.service.authenticate(sessionToken(req));
    } catch {
      const next = req.method === 'GET' && !path.endsWith('/stream') ? req.url : '/admin/extensions';
      return reply.redirect(`/admin/login?next=${encodeURIComponent(next)}`, 303);
    }
    if (!isSuperAdmin(user)) {
      return render(reply, 403, { title: 'Not allowed', error: `The admin page needs a SuperAdmin; "${user.username}" is ${user.role}.`, body: html`` }, req);
    }
    users.set(req, user);
  });
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
  const { bus } = host;
  registerSessionCookies(app);
  const explain = (hook: string) => bus.explain(hook as never);
  const paramsOf = paramsLookup(explain);
  const liveLog = host.liveEvents !== undefined ? LiveLog.fromSource(host.liveEvents, { paramsOf }) : LiveLog.fromInterceptor(bus, { paramsOf });
  const streams = new Set<ServerResponse>();
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
      const page = adminPage(host, admin, new WeakMap<FastifyRequest, User>());
      errorPages(page);
      requireSuperAdmin(page);
      admin.get('/', async (_req, reply) => reply.redirect('/admin/extensions', 303));
      // Each page's routes live next to its view.
      for (const routes of [assetRoutes, loginRoutes, extensionsRoutes, hooksRoutes, rulesRoutes, deliveriesRoutes]) routes(page);
      eventsRoutes(page, liveLog, streams);
      registerChartRoutes(admin, { charts: host.charts, section: page.section });
      registerDomainPage(page);
      registerAccountPage(page);
      for (const register of [registerSmtpPage, registerSmsGatewaysPage, registerWebhooksPage, registerEmailHooksPage]) register(page);
    },
    { prefix: '/admin' },
  );
  app.get('/', async (_req, reply) => reply.redirect('/admin', 302));
  return app;
}
