import { PlugboardError } from '@plugboard/core';
import { OUTBOX_STATES } from '@plugboard/outbox';
import { html } from './html';
import { back, type AdminPage } from './admin-page';
import { runPageAction } from './page-operation';
import { deliveriesInput, deliveriesView, retryNotice, type DeliveriesQuery } from './delivery-rows';

/**
 * The routes of the deliveries page: `/admin/deliveries` (outbox messages by state or rule) and their retry action.
 *
 * @example
 * ```ts
 * deliveriesRoutes(page);
 * ```
 */
export function deliveriesRoutes(page: AdminPage): void {
  const { admin, section, host } = page;
  const endpointOf = (id: string): { name: string; url: string } | undefined => host.webhooks?.store.peek(id);
  admin.get(
    '/deliveries',
    { schema: { querystring: { type: 'object', properties: { state: { type: 'string', enum: [...OUTBOX_STATES] }, rule: { type: 'string', pattern: '^[0-9]{1,9}$' }, notice: { type: 'string' }, error: { type: 'string' } }, additionalProperties: false } } },
    async (req, reply) => {
      const outbox = host.outbox;
      if (outbox === undefined) return section(req, reply, 'deliveries', 'Deliveries', html`<p class="card">This host runs without the outbox.</p>`, 404);
      const query = req.query as DeliveriesQuery;
      const input = await deliveriesInput(outbox, query, query.rule !== undefined ? (await host.rules?.store.get(Number(query.rule)))?.name : undefined, endpointOf);
      return section(req, reply, 'deliveries', 'Deliveries', deliveriesView(input));
    },
  );
  admin.post('/deliveries/:id/retry', { schema: { params: { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 100 } }, required: ['id'] } } }, async (req, reply) => {
    const outbox = host.outbox;
    const { id } = req.params as { id: string };
    if (outbox === undefined) return back(reply, '/admin/deliveries', { error: 'This host runs without the outbox.' });
    try {
      await runPageAction(page, req, { method: 'POST', route: '/api/outbox/:id/retry', params: { id } }, () => outbox.retry(id));
      return back(reply, '/admin/deliveries', { notice: retryNotice(await outbox.get(id), endpointOf) });
    } catch (e) {
      if (e instanceof PlugboardError) return back(reply, '/admin/deliveries', { error: e.message });
      throw e;
    }
  });
}
