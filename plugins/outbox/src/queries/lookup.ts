import { all, first, param, prepareFor, type Work } from '@plugboard/sql';
import type { Kysely } from 'kysely';
import { toAttempt, type MessageRow } from '../message-row';
import type { OutboxTables } from '../schema/tables';
import type { AttemptRecord } from '../types';

type K = Kysely<OutboxTables>;

// Compiled once per database: get() runs for every message an admin page or a retry looks at.
const byId = prepareFor((k: K) => k.selectFrom('outbox_messages').selectAll().where('id', '=', param<string>('id')));
const byDedupe = prepareFor((k: K) =>
  k.selectFrom('outbox_messages').selectAll().where('channel', '=', param<string>('channel')).where('dedupe_key', '=', param<string>('dedupeKey')),
);
const attemptsOf = prepareFor((k: K) => k.selectFrom('outbox_attempts').selectAll().where('message_id', '=', param<string>('id')).orderBy('seq'));

/**
 * One message by id, as stored.
 *
 * @example
 * ```ts
 * const row = sqlDb.runSync(messageById(k, id));
 * ```
 */
export function messageById(k: K, id: string): Work<MessageRow | undefined> {
  return first(byId(k, { id }));
}

/** The message stored under (channel, dedupe key), if any. */
export function messageByDedupe(k: K, channel: string, dedupeKey: string): Work<MessageRow | undefined> {
  return first(byDedupe(k, { channel, dedupeKey }));
}

/** Every recorded attempt of a message, oldest first (empty for an unknown id). */
export function* messageAttempts(k: K, id: string): Work<AttemptRecord[]> {
  return (yield* all(attemptsOf(k, { id }))).map(toAttempt);
}
