import { v7 as uuidv7 } from 'uuid';

/**
 * A new event id: a time-ordered UUIDv7 (RFC 9562), unique across processes and restarts.
 *
 * Handlers deduplicate on it (with the rule and the destination), so it must never repeat:
 * a per-process counter such as fastify's `req-N` restarts at 1 and made a restarted host
 * drop new events as duplicates of old ones. Time order keeps logs and indexes in event order.
 *
 * @example
 * ```ts
 * const ctx = { eventId: newEventId(), event: 'AccountCreated', position: 'post', timestamp: new Date(), payload };
 * ```
 */
export function newEventId(): string {
  return uuidv7();
}
