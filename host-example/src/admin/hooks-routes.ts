import { hostHooks } from '../hooks';
import type { AdminPage } from './admin-page';
import { hooksView } from './hooks-view';

/**
 * The route of the hook catalogue page: `/admin/hooks`, filtered by name or by having listeners.
 *
 * @example
 * ```ts
 * hooksRoutes(page);
 * ```
 */
export function hooksRoutes({ admin, section, host }: AdminPage): void {
  const { bus } = host;
  const explain = (hook: string) => bus.explain(hook as never);
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
}
