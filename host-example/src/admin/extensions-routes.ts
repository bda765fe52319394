import { PlugboardError } from '@plugboard/core';
import { back, type AdminPage } from './admin-page';
import { runPageAction } from './page-operation';
import { extensionsView } from './extensions-view';

/**
 * The routes of the extensions page: `/admin/extensions` and its enable/disable actions.
 *
 * @example
 * ```ts
 * extensionsRoutes(page);
 * ```
 */
export function extensionsRoutes(page: AdminPage): void {
  const { admin, section, host } = page;
  const { manager, bus } = host;
  const explain = (hook: string) => bus.explain(hook as never);
  admin.get('/extensions', async (req, reply) =>
    section(req, reply, 'extensions', 'Extensions', extensionsView({ extensions: manager.list(), plans: bus.names().map(explain), constructed: (n) => manager.instance(n) !== undefined, packages: host.packages?.list() ?? [], ...(host.health ? { health: await host.health.figures() } : {}) })),
  );
  admin.post(
    '/extensions/:name/:action',
    { schema: { params: { type: 'object', properties: { name: { type: 'string', minLength: 1 }, action: { type: 'string', enum: ['enable', 'disable'] } }, required: ['name', 'action'] } } },
    async (req, reply) => {
      const { name, action } = req.params as { name: string; action: 'enable' | 'disable' };
      try {
        const change = () => (action === 'enable' ? manager.enable(name) : manager.disable(name));
        const info = await runPageAction(page, req, { method: 'POST', route: '/api/extensions/:name/:action', params: { name, action } }, change);
        return back(reply, '/admin/extensions', { notice: `Extension "${name}" is ${info.state}.` });
      } catch (e) {
        // Refusals (requires, a failing onEnable) are shown on the page; the host keeps running.
        if (e instanceof PlugboardError) return back(reply, '/admin/extensions', { error: e.message });
        throw e;
      }
    },
  );
}
