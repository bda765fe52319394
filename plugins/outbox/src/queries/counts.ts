import { first, prepareFor, type Work } from '@plugboard/sql';
import { sql, type Kysely } from 'kysely';
import type { OutboxTables } from '../schema/tables';
import type { OutboxState } from '../types';

type K = Kysely<OutboxTables>;

// Active states and dead letters through their partial indexes (a literal state lets SQLite pick
// them); delivered rows, nearly all of them, are the rest of the table, so no commit pays for an
// index of them.
const countsQuery = prepareFor((k: K) => {
  const inState = (state: OutboxState) =>
    k.selectFrom('outbox_messages').select((eb) => eb.fn.countAll().as('n')).where('state', '=', sql.lit(state));
  return k.selectNoFrom([
    inState('pending').as('pending'),
    inState('delivering').as('delivering'),
    inState('dead').as('dead'),
    k.selectFrom('outbox_messages').select((eb) => eb.fn.countAll().as('n')).as('total'),
  ]);
});

/**
 * Number of messages per state.
 *
 * @example
 * ```ts
 * const { pending, dead } = await sqlDb.run(countMessages(k));
 * ```
 */
export function* countMessages(k: K): Work<Record<OutboxState, number>> {
  const r = yield* first(countsQuery(k, {}));
  // PostgreSQL's COUNT is a bigint, which pg hands over as a string.
  const [pending, delivering, dead, total] = [r?.pending, r?.delivering, r?.dead, r?.total].map(Number) as [number, number, number, number];
  return { pending, delivering, delivered: total - pending - delivering - dead, dead };
}
