import type { EventPayload } from './payload';

/** Payload field with the time (ms since the epoch) a bridge published the event, next to its origin field. */
export const SENT_AT_FIELD = '_sentAt';

/**
 * The fields a bridge adds to what it publishes: its origin (so it recognises its own events)
 * and the time it sent them (so a receiver can tell how late an event arrives). Nothing is added
 * when the origin field is off: the payload then goes out exactly as given.
 */
export function markPayload(payload: EventPayload, originField: string | undefined, instanceId: string, now = Date.now()): EventPayload {
  return originField === undefined ? payload : { ...payload, [originField]: instanceId, [SENT_AT_FIELD]: now };
}

/** What a received payload says about its publisher, and the payload without those fields. */
export interface Marks {
  readonly payload: EventPayload;
  readonly origin?: string;
  readonly sentAt?: Date;
}

/** Takes the publishing bridge's fields off a received payload (events signalled by other tools have none). */
export function takeMarks(payload: EventPayload, originField: string | undefined): Marks {
  if (originField === undefined || typeof payload[originField] !== 'string') return { payload };
  const { [originField]: origin, [SENT_AT_FIELD]: sentAt, ...rest } = payload;
  return { payload: rest, origin: origin as string, ...(typeof sentAt === 'number' && Number.isFinite(sentAt) ? { sentAt: new Date(sentAt) } : {}) };
}
