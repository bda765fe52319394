import { exec, param, prepareFor, type Work } from '@plugboard/sql';
import { sql, type Compilable, type Kysely } from 'kysely';
import { OutboxError } from '../errors';
import type { MessageRow, NewMessage } from '../message-row';
import type { OutboxTables } from '../schema/tables';
import { messageByDedupe, messageById } from './lookup';

type K = Kysely<OutboxTables>;

/**
 * The INSERT of a new pending message (ignored on a conflict of id or dedupe key), built and
 * compiled once per database, only its parameters bound per call. SQLite's enqueue runs it as a
 * prepared statement of its own (store.ts): the hot path skips the work driver.
 *
 * @example
 * ```ts
 * const { sql, parameters } = insertQuery(k, message).compile();
 * ```
 */
export const insertQuery = prepareFor((k: K) =>
  k
    .insertInto('outbox_messages')
    .values({
      id: param<string>('id'),
      channel: param<string>('channel'),
      payload: param<string>('payload'),
      meta: param<string | null>('meta'),
      dedupe_key: param<string | null>('dedupeKey'),
      // Literals, not parameters: nothing to bind per call.
      state: sql.lit('pending'),
      attempts: sql.lit(0),
      due_at: param<number>('dueAt'),
      created_at: param<number>('now'),
      updated_at: param<number>('now'),
    })
    .onConflict((oc) => oc.doNothing()),
) as (k: K, m: NewMessage) => Compilable<unknown>;

/** A stored message: the row, and whether this call inserted it (false: found under its dedupe key or id). */
export interface StoredMessage {
  readonly row: MessageRow;
  readonly inserted: boolean;
}

/**
 * Inserts a pending message, or finds the one already stored under its (channel, dedupe key) or,
 * without a key, its id (a retried write whose first try committed). Throws
 * `PB_OUTBOX_INVALID_PAYLOAD` when neither (the conflicting row went meanwhile).
 *
 * @example
 * ```ts
 * const { row, inserted } = sqlDb.runSync(insertMessage(k, { id: uuidv7(), channel: 'smtp', payload, meta: null, dedupeKey: null, dueAt: now, now }));
 * ```
 */
export function* insertMessage(k: K, m: NewMessage): Work<StoredMessage> {
  if ((yield* exec(insertQuery(k, m))) === 1) return { row: newRow(m), inserted: true };
  return { row: yield* conflictingMessage(k, m), inserted: false };
}

/**
 * The message whose (channel, dedupe key), or id without a key, kept `m` from being inserted.
 * Throws `PB_OUTBOX_INVALID_PAYLOAD` when there is none (the conflicting row went meanwhile).
 *
 * @example
 * ```ts
 * if (!inserted) return toMessage(sqlDb.runSync(conflictingMessage(k, m)));
 * ```
 */
export function* conflictingMessage(k: K, m: NewMessage): Work<MessageRow> {
  const existing = m.dedupeKey === null ? yield* messageById(k, m.id) : yield* messageByDedupe(k, m.channel, m.dedupeKey);
  if (existing === undefined) throw new OutboxError('PB_OUTBOX_INVALID_PAYLOAD', `The message for channel "${m.channel}" could not be stored; retry the enqueue.`);
  return existing;
}

/** {@link insertMessage} for each message, one after the other (run it as a transaction for all or none). */
export function* insertMessages(k: K, messages: readonly NewMessage[]): Work<StoredMessage[]> {
  const out: StoredMessage[] = [];
  for (const m of messages) out.push(yield* insertMessage(k, m));
  return out;
}

/** The row just inserted, without reading it back (its seq is not known: 0). */
function newRow(m: NewMessage): MessageRow {
  return { seq: 0, id: m.id, channel: m.channel, payload: m.payload, meta: m.meta, dedupe_key: m.dedupeKey, state: 'pending', attempts: 0, due_at: m.dueAt, claimed_at: null, claimed_by: null, created_at: m.now, updated_at: m.now, delivered_at: null, last_error: null, last_status_code: null };
}
