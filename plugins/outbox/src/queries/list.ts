import { all, type Work } from '@plugboard/sql';
import { sql, type Kysely } from 'kysely';
import { OutboxError } from '../errors';
import type { MessageRow } from '../message-row';
import type { OutboxTables } from '../schema/tables';
import { OUTBOX_STATES, type ListFilter } from '../types';

/**
 * Messages, newest first, optionally of one state and one channel (default limit 100). Throws
 * `PB_OUTBOX_INVALID_OPTIONS` for an unknown state or a limit that is not an integer ≥ 0.
 *
 * @example
 * ```ts
 * const dead = await sqlDb.run(listMessages(k, { state: 'dead', channel: 'smtp', limit: 20 }));
 * ```
 */
export function* listMessages(k: Kysely<OutboxTables>, filter: ListFilter): Work<MessageRow[]> {
  const limit = filter.limit ?? 100;
  if (!(Number.isInteger(limit) && limit >= 0)) throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `list limit must be an integer ≥ 0 (got ${limit}).`);
  let q = k.selectFrom('outbox_messages').selectAll();
  if (filter.state !== undefined) {
    if (!OUTBOX_STATES.includes(filter.state)) {
      throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `list state must be one of ${OUTBOX_STATES.join(', ')} (got ${JSON.stringify(filter.state)}).`);
    }
    // Written out, not bound: only a literal lets SQLite use the partial index of that state.
    q = q.where('state', '=', sql.lit(filter.state));
  }
  if (filter.channel !== undefined) q = q.where('channel', '=', filter.channel);
  return yield* all(q.orderBy('seq', 'desc').limit(limit).offset(filter.offset ?? 0));
}
