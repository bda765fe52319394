import { exec, pure, type Work } from '@plugboard/sql';
import type { Kysely } from 'kysely';
import { OutboxError } from '../errors';
import type { OutboxTables } from '../schema/tables';
import type { PurgeOptions } from '../types';

type Purgeable = 'delivered' | 'dead';

/**
 * Deletes delivered (and optionally dead) messages last updated `olderThanMs` ago or earlier,
 * with their attempts; returns how many messages went. Throws `PB_OUTBOX_INVALID_OPTIONS` for an
 * active state. Run it as one transaction, so no attempt outlives its message.
 *
 * @example
 * ```ts
 * const gone = await sqlDb.transact(purgeMessages(k, { states: ['delivered', 'dead'], olderThanMs: 7 * 86_400_000 }, Date.now()));
 * ```
 */
export function purgeMessages(k: Kysely<OutboxTables>, options: PurgeOptions, now: number): Work<number> {
  const states = purgeStates(options);
  // `IN ()` is no SQL on PostgreSQL: nothing to delete is answered without a statement.
  return states.length === 0 ? pure(0) : purge(k, states, now - (options.olderThanMs ?? 0));
}

function* purge(k: Kysely<OutboxTables>, states: readonly Purgeable[], before: number): Work<number> {
  const doomed = k.selectFrom('outbox_messages').select('id').where('state', 'in', states).where('updated_at', '<=', before);
  yield* exec(k.deleteFrom('outbox_attempts').where('message_id', 'in', doomed));
  return yield* exec(k.deleteFrom('outbox_messages').where('state', 'in', states).where('updated_at', '<=', before));
}

/** The states `purge()` deletes (delivered unless told), checked: active messages are never purged. */
function purgeStates(options: PurgeOptions): Purgeable[] {
  const states = options.states ?? ['delivered'];
  for (const s of states) {
    if (s !== 'delivered' && s !== 'dead') {
      throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `purge() only deletes delivered or dead messages (got "${String(s)}").`);
    }
  }
  return [...states] as Purgeable[];
}
