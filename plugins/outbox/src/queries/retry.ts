import { exec, type Work } from '@plugboard/sql';
import type { Kysely } from 'kysely';
import { OutboxError } from '../errors';
import type { MessageRow } from '../message-row';
import type { OutboxTables } from '../schema/tables';
import { messageById } from './lookup';

type K = Kysely<OutboxTables>;

/**
 * Dead → pending with the attempt counter reset (history kept); pending → due now. Returns the
 * updated row, or throws `PB_OUTBOX_UNKNOWN_MESSAGE` / `PB_OUTBOX_NOT_RETRYABLE`. Run it as one
 * transaction: the state read and the guarded update then cannot be split by a delivery.
 *
 * @example
 * ```ts
 * const row = await sqlDb.transact(retryMessage(k, id, Date.now()));
 * ```
 */
export function* retryMessage(k: K, id: string, now: number): Work<MessageRow> {
  const row = yield* messageById(k, id);
  if (row === undefined) {
    throw new OutboxError('PB_OUTBOX_UNKNOWN_MESSAGE', `No outbox message has id "${id}"; list messages with outbox.list().`);
  }
  const changed = row.state === 'dead' ? yield* exec(revive(k, id, now)) : row.state === 'pending' ? yield* exec(hurry(k, id, now)) : 0;
  if (changed !== 1) {
    throw new OutboxError('PB_OUTBOX_NOT_RETRYABLE', `Message "${id}" is ${row.state}; only dead or pending messages can be retried.`);
  }
  const updated = yield* messageById(k, id);
  if (updated === undefined) throw new OutboxError('PB_OUTBOX_UNKNOWN_MESSAGE', `Message "${id}" disappeared while being retried (purged?).`);
  return updated;
}

function revive(k: K, id: string, now: number) {
  return k.updateTable('outbox_messages').set({ state: 'pending', attempts: 0, due_at: now, updated_at: now, claimed_by: null }).where('id', '=', id).where('state', '=', 'dead');
}

function hurry(k: K, id: string, now: number) {
  return k.updateTable('outbox_messages').set({ due_at: now, updated_at: now }).where('id', '=', id).where('state', '=', 'pending');
}
