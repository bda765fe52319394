import type { OutboxMessage, OutboxState } from '@plugboard/outbox';
import { destination, shortId, type EndpointLookup } from './delivery-cells';
import type { AdminHost } from './admin-host';
import type { DeliveriesViewInput, DeliveryRow } from './deliveries-view';

// The page's view comes with its query, so the routes file imports one module for the page.
export { deliveriesView } from './deliveries-view';

/** Query of the Deliveries page: a state tab and, from a rule's "Deliveries" link, the rule. */
export interface DeliveriesQuery {
  readonly state?: OutboxState;
  /** Rule id: only the messages that rule queued (outbox meta `ruleId`). */
  readonly rule?: string;
}

/**
 * What the Deliveries page shows: the newest 100 messages of the chosen state, or — from a
 * rule — the messages that rule queued, so its final outcomes (delivered / dead) are one click away.
 */
export async function deliveriesInput(outbox: NonNullable<AdminHost['outbox']>, query: DeliveriesQuery, ruleName?: string, endpoint?: EndpointLookup): Promise<DeliveriesViewInput> {
  const { state, rule } = query;
  const messages =
    rule !== undefined
      ? (await outbox.messagesByMeta('ruleId', rule)).filter((m) => state === undefined || m.state === state)
      : await outbox.list({ ...(state !== undefined ? { state } : {}), limit: 100 });
  const rows: DeliveryRow[] = await Promise.all(messages.map(async (message) => ({ message, attempts: await outbox.attempts(message.id), destination: destination(message.payload, endpoint) })));
  return {
    counts: await outbox.counts(),
    rows,
    ...(state !== undefined ? { state } : {}),
    ...(rule !== undefined ? { rule: { id: rule, name: ruleName ?? `#${rule}` } } : {}),
  };
}

/** The notice after a Retry: which message (its distinguishing id, channel and destination) goes again. */
export function retryNotice(message: OutboxMessage | undefined, endpoint?: EndpointLookup): string {
  if (message === undefined) return 'The message will be delivered again.';
  const to = destination(message.payload, endpoint);
  return `The ${message.channel} message ${shortId(message.id)}${to !== '' ? ` to ${to}` : ''} will be delivered again.`;
}
