/** The message the benchmark's outbox sketches return from `enqueue`, as the Outbox does for a new row. */
import { randomUUID } from 'node:crypto';
import type { EnqueueOptions, OutboxMessage } from '@plugboard/outbox';

export function pendingMessage<P>(channel: string, payload: P, options: EnqueueOptions): OutboxMessage<P> {
  const now = new Date();
  return {
    id: randomUUID(),
    channel,
    payload,
    state: 'pending',
    attempts: 0,
    meta: options.meta ?? {},
    ...(options.dedupeKey !== undefined ? { dedupeKey: options.dedupeKey } : {}),
    createdAt: now,
    updatedAt: now,
    nextAttemptAt: now,
  };
}
