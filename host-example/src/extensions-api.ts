import type { ExtensionManager } from '@plugboard/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pagedQuery, pagedResponse, pageOf, type PageQuery } from './api/paging';
import { NO_CALLS, type HostHealth } from './extension-health';
import type { RouteAccess } from './extension-routes';
import type { HostSpecs } from './hooks';
import type { User } from './model';

/**
 * `/api/extensions`: every installed extension with its state, the reason it was disabled and
 * its health figures (admins); enable and disable (SuperAdmins), persisted, raising
 * `ExtEnabled` / `ExtDisabled`.
 */
export function registerExtensionRoutes(
  app: FastifyInstance,
  deps: { manager: ExtensionManager<HostSpecs>; health?: Pick<HostHealth, 'figures'>; auth: (req: FastifyRequest, access: RouteAccess) => User },
): void {
  const { manager, health, auth } = deps;
  app.get('/api/extensions', { schema: { summary: 'List the installed extensions with state and health (q, limit, cursor)', querystring: pagedQuery(), response: pagedResponse('extensions') } }, async (req) => {
    auth(req, 'admin');
    const figures = await health?.figures();
    // Installation order, as the list always had (it is the order hooks run in): the position is the key.
    const page = pageOf(manager.list().map((e, at) => ({ e, at })), req.query as PageQuery, { key: ({ at }) => at, text: ({ e }) => [e.name, e.state, e.reason] });
    return { extensions: page.items.map(({ e }) => (figures ? { ...e, health: figures.get(e.name) ?? NO_CALLS } : e)), nextCursor: page.nextCursor };
  });
  const params = { type: 'object', properties: { name: { type: 'string', minLength: 1 }, action: { type: 'string', enum: ['enable', 'disable'] } } } as const;
  app.post('/api/extensions/:name/:action', { schema: { params } }, async (req) => {
    auth(req, 'superadmin');
    const { name, action } = req.params as { name: string; action: 'enable' | 'disable' };
    return action === 'enable' ? manager.enable(name) : manager.disable(name);
  });
}
