import type { FastifyPluginAsync } from 'fastify';
import { body, nonEmpty } from '../api/schemas';
import type { RouteContext } from '../api/route-context';

const menuTargets = { type: 'object', properties: { target: { type: 'string', enum: ['options_menu', 'uprefs_menu', 'top_menu', 'admin_menu_box'] } } } as const;
const adminContentQuery = body({ target: { type: 'string', enum: ['leftcol'], default: 'leftcol' }, page: { type: 'string', enum: ['domains', 'identities'] } }, ['page']);

/**
 * The display routes: `/api/announcements` (public), `/api/menus/:target`, `/api/notifications`,
 * `/api/admin-content` and `/api/static-content`.
 *
 * @example
 * ```ts
 * await app.register(contentRoutes({ service, auth }));
 * ```
 */
export function contentRoutes({ service, auth }: RouteContext): FastifyPluginAsync {
  const content = service.resources.content;
  return async (app) => {
    app.get('/api/announcements', { schema: { querystring: body({ target: { type: 'string', enum: ['loginpage'], default: 'loginpage' } }) } }, async (req) => ({
      announcements: await content.announcements((req.query as { target: 'loginpage' }).target),
    }));
    app.get('/api/menus/:target', { schema: { params: menuTargets } }, async (req) => ({ entries: await content.menu(auth(req), (req.params as { target: 'top_menu' }).target) }));
    app.get('/api/notifications', async (req) => ({ notifications: await content.notifications(auth(req)) }));
    app.get('/api/admin-content', { schema: { querystring: adminContentQuery } }, async (req) => {
      const q = req.query as { target: 'leftcol'; page: 'domains' | 'identities' };
      return { content: await content.adminContent(auth(req), q.target, q.page) };
    });
    app.get('/api/static-content', { schema: { querystring: body({ caller: nonEmpty }, ['caller']) } }, async (req) => ({
      content: await content.staticContent(auth(req), (req.query as { caller: string }).caller),
    }));
  };
}
