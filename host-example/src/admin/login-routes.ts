import { isSuperAdmin } from '../common/roles';
import { HostError } from '../errors';
import { formOf, requestInfo, safeNext, type AdminPage } from './admin-page';
import { loginView } from './login-view';
import { field, sessionToken, setSessionCookie } from './session';

/**
 * The routes of the login page: `/admin/login` (form, then the session cookie; SuperAdmins only) and `/admin/logout`.
 *
 * @example
 * ```ts
 * loginRoutes(page);
 * ```
 */
export function loginRoutes({ admin, render, host }: AdminPage): void {
  const service = host.service;
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
}
