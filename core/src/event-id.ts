import { v7 } from 'uuid';

/**
 * A new time-ordered UUIDv7 (RFC 9562). The one generator of the project: event ids and outbox
 * message ids come from here, so they sort by creation time and land on the rightmost page of an index.
 *
 * @example
 * ```ts
 * uuidv7(); // '01939b2e-4c1a-7d3e-9f00-2a1b3c4d5e6f'
 * ```
 */
export function uuidv7(): string {
  return v7();
}

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
