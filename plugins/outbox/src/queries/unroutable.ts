import { all, type Work } from '@plugboard/sql';
import { sql, type Kysely } from 'kysely';
import type { UnroutableRow } from '../delivery/unroutable-report';
import type { OutboxTables } from '../schema/tables';

/**
 * Due messages per channel among the channels not in `routable` (those without a deliverer in
 * this process), by channel name. Both active states count: a lapsed claim of a channel nobody
 * here delivers stays stuck too.
 *
 * @example
 * ```ts
 * const stuck = await sqlDb.run(unroutableCounts(k, outbox.channels(), Date.now()));
 * ```
 */
export function* unroutableCounts(k: Kysely<OutboxTables>, routable: readonly string[], now: number): Work<UnroutableRow[]> {
  // One branch per state with the state written out: each is a range of that state's partial index.
  const due = (state: 'pending' | 'delivering') => {
    const q = k.selectFrom('outbox_messages').select('channel').where('state', '=', sql.lit(state)).where('due_at', '<=', now);
    return routable.length === 0 ? q : q.where('channel', 'not in', routable);
  };
  const rows = yield* all(
    k
      .selectFrom(due('pending').unionAll(due('delivering')).as('d'))
      .select(['channel', (eb) => eb.fn.countAll().as('count')])
      .groupBy('channel')
      .orderBy('channel'),
  );
  // PostgreSQL's COUNT is a bigint, which pg hands over as a string.
  return rows.map((r) => ({ channel: r.channel, count: Number(r.count) }));
}
