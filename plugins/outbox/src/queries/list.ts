import { all, param, prepare, type Work } from '@plugboard/sql';
import { sql, type Compilable, type Kysely } from 'kysely';
import { OutboxError } from '../errors';
import type { MessageRow } from '../message-row';
import type { OutboxTables } from '../schema/tables';
import { OUTBOX_STATES, type ListFilter, type OutboxState } from '../types';

type K = Kysely<OutboxTables>;
type Bind = (params: object) => Compilable<MessageRow>;

// Compiled once per shape (state or none, by channel or not: at most ten) and database: building
// and compiling the query would cost more than SQLite takes to run it.
const shapes = new WeakMap<K, Map<string, Bind>>();

/**
 * Messages, newest first, optionally of one state and one channel (default limit 100). Throws
 * `PB_OUTBOX_INVALID_OPTIONS` for an unknown state or a limit that is not an integer ≥ 0.
 *
 * @example
 * ```ts
 * const dead = await sqlDb.run(listMessages(k, { state: 'dead', channel: 'smtp', limit: 20 }));
 * ```
 */
export function* listMessages(k: K, filter: ListFilter): Work<MessageRow[]> {
  const limit = filter.limit ?? 100;
  if (!(Number.isInteger(limit) && limit >= 0)) throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `list limit must be an integer ≥ 0 (got ${limit}).`);
  if (filter.state !== undefined && !OUTBOX_STATES.includes(filter.state)) {
    throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `list state must be one of ${OUTBOX_STATES.join(', ')} (got ${JSON.stringify(filter.state)}).`);
  }
  const bind = shape(k, filter.state, filter.channel !== undefined);
  return yield* all(bind({ channel: filter.channel, limit, offset: filter.offset ?? 0 }));
}

function shape(k: K, state: OutboxState | undefined, byChannel: boolean): Bind {
  let byShape = shapes.get(k);
  if (byShape === undefined) shapes.set(k, (byShape = new Map()));
  const key = `${state ?? ''}:${byChannel}`;
  let bind = byShape.get(key);
  if (bind === undefined) {
    let q = k.selectFrom('outbox_messages').selectAll();
    // Written out, not bound: only a literal lets SQLite use the partial index of that state.
    if (state !== undefined) q = q.where('state', '=', sql.lit(state));
    if (byChannel) q = q.where('channel', '=', param<string>('channel'));
    byShape.set(key, (bind = prepare(q.orderBy('seq', 'desc').limit(param<number>('limit')).offset(param<number>('offset')))));
  }
  return bind;
}
