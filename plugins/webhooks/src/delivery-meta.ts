import type { SendOptions } from './webhook-types';

/** Outbox metadata of an endpoint delivery: the endpoint, and the event and rule it came from (shown with a dead letter). */
export function deliveryMeta(endpointId: string, event: string, options: SendOptions): Record<string, string> {
  return {
    endpointId,
    event,
    ...(options.eventId !== undefined ? { eventId: options.eventId } : {}),
    ...(options.ruleId !== undefined ? { ruleId: String(options.ruleId) } : {}),
    ...(options.ruleName !== undefined ? { rule: options.ruleName } : {}),
  };
}
