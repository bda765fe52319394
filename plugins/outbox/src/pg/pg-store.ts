import type { Kysely } from 'kysely';
import type { OutboxTables } from '../schema/tables';

const ACTIVE = ['pending', 'delivering'] as const;

/**
 * The delivery loop's wake-up checks on PostgreSQL; its claims and settlements are one statement
 * per step (`pg-cycle.ts`, `FOR UPDATE SKIP LOCKED` under a lease). They stay written for PostgreSQL alone, as
 * SQLite's stay in store.ts (index-pinned statements): the two dialects claim in different ways.
 * Everything else (lookups, lists, counts, retry, purge, insert) is written once for both in `queries/`.
 */
export class PgStore {
  constructor(readonly db: Kysely<OutboxTables>) {}

  /** Earliest due time (pending) or lease end (delivering) among `channels`. */
  async nextDue(channels: readonly string[]): Promise<number | undefined> {
    if (channels.length === 0) return undefined;
    const r = await this.db
      .selectFrom('outbox_messages')
      .select((eb) => eb.fn.min('due_at').as('due'))
      .where('state', 'in', ACTIVE)
      .where('channel', 'in', channels)
      .executeTakeFirst();
    return r?.due ?? undefined;
  }

  /** Whether a message of `channels` is active (due by `now`, when given). */
  async hasActive(channels: readonly string[], now?: number): Promise<boolean> {
    if (channels.length === 0) return false;
    let q = this.db.selectFrom('outbox_messages').select('seq').where('state', 'in', ACTIVE).where('channel', 'in', channels);
    if (now !== undefined) q = q.where('due_at', '<=', now);
    return (await q.limit(1).executeTakeFirst()) !== undefined;
  }
}
