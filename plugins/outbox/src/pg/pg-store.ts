import { sql, type Kysely, type Transaction } from 'kysely';
import { toAttempt, type MessageRow, type NewMessage } from '../message-row';
import type { OutboxTables } from '../schema/tables';
import type { AttemptRecord, ListFilter, OutboxState } from '../types';

/** A claimed row, with the state it had before the claim ('delivering' = a lapsed claim taken over). */
export type ClaimedRow = MessageRow & { was: OutboxState };

type Db = Kysely<OutboxTables> | Transaction<OutboxTables>;

/** How a finished attempt leaves its message. */
export interface Settlement {
  readonly id: string;
  readonly owner: string | null;
  readonly state: 'delivered' | 'pending' | 'dead';
  readonly now: number;
  /** pending: when due again. */
  readonly dueAt: number;
  readonly error: string | null;
  readonly statusCode: number | null;
  /** Sets the attempt count: a lapsed claim dead-lettered on takeover does not count the claim that found it. */
  readonly attempts?: number;
}

const ACTIVE = ['pending', 'delivering'] as const;

/** The outbox's queries on PostgreSQL, through Kysely. */
export class PgStore {
  constructor(readonly db: Kysely<OutboxTables>) {}

  /** Inserts; false when (channel, dedupeKey) exists. The insert trigger NOTIFYs idle workers at commit. */
  async insert(m: NewMessage, db: Db = this.db): Promise<boolean> {
    const r = await db
      .insertInto('outbox_messages')
      .values({ id: m.id, channel: m.channel, payload: m.payload, meta: m.meta, dedupe_key: m.dedupeKey, state: 'pending', attempts: 0, due_at: m.dueAt, created_at: m.now, updated_at: m.now })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return r.numInsertedOrUpdatedRows === 1n;
  }

  async get(id: string): Promise<MessageRow | undefined> {
    return this.db.selectFrom('outbox_messages').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async getByDedupe(channel: string, dedupeKey: string, db: Db = this.db): Promise<MessageRow | undefined> {
    return db.selectFrom('outbox_messages').selectAll().where('channel', '=', channel).where('dedupe_key', '=', dedupeKey).executeTakeFirst();
  }

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

  async attempts(id: string): Promise<AttemptRecord[]> {
    const rows = await this.db.selectFrom('outbox_attempts').selectAll().where('message_id', '=', id).orderBy('seq').execute();
    return rows.map(toAttempt);
  }

  async list(filter: ListFilter & { limit: number }): Promise<MessageRow[]> {
    let q = this.db.selectFrom('outbox_messages').selectAll();
    if (filter.state !== undefined) q = q.where('state', '=', filter.state);
    if (filter.channel !== undefined) q = q.where('channel', '=', filter.channel);
    return q.orderBy('seq', 'desc').limit(filter.limit).offset(filter.offset ?? 0).execute();
  }

  async counts(): Promise<Record<OutboxState, number>> {
    const rows = await this.db.selectFrom('outbox_messages').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
    const out: Record<OutboxState, number> = { pending: 0, delivering: 0, delivered: 0, dead: 0 };
    for (const r of rows) out[r.state] = Number(r.n);
    return out;
  }

  /** Dead → pending with attempts reset, or a pending message due now; then wakes the workers. */
  async retry(id: string, state: 'dead' | 'pending', now: number): Promise<boolean> {
    const set = state === 'dead' ? { state: 'pending' as const, attempts: 0, due_at: now, updated_at: now, claimed_by: null } : { due_at: now, updated_at: now };
    const r = await this.db.updateTable('outbox_messages').set(set).where('id', '=', id).where('state', '=', state).executeTakeFirst();
    if (r.numUpdatedRows !== 1n) return false;
    await sql`SELECT pg_notify('plugboard_outbox_' || current_schema(), '')`.execute(this.db);
    return true;
  }

  /** Deletes messages in `states` last updated by `before`, with their attempts, in one transaction. */
  async purge(states: readonly ('delivered' | 'dead')[], before: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const doomed = trx.selectFrom('outbox_messages').select('id').where('state', 'in', states).where('updated_at', '<=', before);
      await trx.deleteFrom('outbox_attempts').where('message_id', 'in', doomed).execute();
      const r = await trx.deleteFrom('outbox_messages').where('state', 'in', states).where('updated_at', '<=', before).executeTakeFirst();
      return Number(r.numDeletedRows);
    });
  }

  /** Newest first, messages whose meta has `key` = `value` (a scan: for an administrator's look, not a hot path). */
  async byMeta(key: string, value: string, limit: number): Promise<MessageRow[]> {
    return this.db
      .selectFrom('outbox_messages')
      .selectAll()
      .where('meta', 'is not', null)
      .where(sql<string>`meta::jsonb ->> ${key}`, '=', value)
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
  }

  /** Due messages per channel among channels not in `routable`. */
  async unroutable(routable: readonly string[], now: number): Promise<{ channel: string; count: number }[]> {
    let q = this.db
      .selectFrom('outbox_messages')
      .select(['channel', (eb) => eb.fn.countAll<number>().as('count')])
      .where('state', 'in', ACTIVE)
      .where('due_at', '<=', now);
    if (routable.length > 0) q = q.where('channel', 'not in', routable);
    const rows = await q.groupBy('channel').execute();
    return rows.map((r) => ({ channel: r.channel, count: Number(r.count) }));
  }
}
