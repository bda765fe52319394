import type { Database } from 'better-sqlite3';
import { OutboxError } from './errors';
import type { MessageRow } from './message-row';
import type { OutboxStore } from './store';
import type { PurgeOptions } from './types';

/**
 * Dead → pending with the attempt counter reset; pending → due now. Returns the updated row,
 * or throws `PB_OUTBOX_UNKNOWN_MESSAGE` / `PB_OUTBOX_NOT_RETRYABLE`.
 */
export function retryMessage(store: OutboxStore, id: string): MessageRow {
  const row = store.get(id);
  if (row === undefined) {
    throw new OutboxError('PB_OUTBOX_UNKNOWN_MESSAGE', `No outbox message has id "${id}"; list messages with outbox.list().`);
  }
  const now = Date.now();
  const changed = row.state === 'dead' ? store.revive(id, now) : row.state === 'pending' ? store.hurry(id, now) : false;
  if (!changed) {
    throw new OutboxError('PB_OUTBOX_NOT_RETRYABLE', `Message "${id}" is ${row.state}; only dead or pending messages can be retried.`);
  }
  const updated = store.get(id);
  if (updated === undefined) throw new OutboxError('PB_OUTBOX_UNKNOWN_MESSAGE', `Message "${id}" disappeared while being retried (purged?).`);
  return updated;
}

/** Deletes delivered (and optionally dead) messages with their attempts, in one transaction; returns how many messages went. */
export function purgeMessages(db: Database, store: OutboxStore, options: PurgeOptions): number {
  const states = purgeStates(options);
  const before = Date.now() - (options.olderThanMs ?? 0);
  return db.transaction(() => store.purge(JSON.stringify(states), before))();
}

/** The states `purge()` deletes (delivered unless told), checked: active messages are never purged. */
export function purgeStates(options: PurgeOptions): ('delivered' | 'dead')[] {
  const states = options.states ?? ['delivered'];
  for (const s of states) {
    if (s !== 'delivered' && s !== 'dead') {
      throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `purge() only deletes delivered or dead messages (got "${String(s)}").`);
    }
  }
  return [...states] as ('delivered' | 'dead')[];
}

/** A `limit` of messagesByMeta, kept within 0…1000. */
export function metaLimit(limit: number): number {
  return Math.min(Math.max(Math.trunc(limit), 0), 1000);
}
