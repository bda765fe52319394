import { sql, type Kysely, type Transaction } from 'kysely';
import type { MessageRow, NewAttempt } from '../message-row';
import type { OutboxTables } from '../schema/tables';
import type { OutboxState } from '../types';

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
}

const ACTIVE = ['pending', 'delivering'] as const;

/**
 * The delivery hot paths of the outbox on PostgreSQL: claim (`FOR UPDATE SKIP LOCKED` under a
 * lease), settle and the loop's wake-up checks. They stay written for PostgreSQL alone, as
 * SQLite's stay in store.ts (index-pinned statements): the two dialects claim in different ways.
 * Everything else (lookups, lists, counts, retry, purge, insert) is written once for both in `queries/`.
 */
export class PgStore {
  constructor(readonly db: Kysely<OutboxTables>) {}

  /**
   * Claims up to `limit` due messages of `channels` (pending ones, and delivering ones whose lease
   * lapsed) in one statement. SKIP LOCKED lets concurrent workers each take different rows
   * without waiting on one another; the UPDATE gives each to this owner until `leaseUntil`.
   */
  async claim(trx: Db, channels: readonly string[], limit: number, now: number, leaseUntil: number, owner: string): Promise<ClaimedRow[]> {
    const { rows } = await sql<ClaimedRow>`
      WITH picked AS (
        SELECT seq, state AS was FROM outbox_messages
        WHERE state IN ('pending', 'delivering') AND due_at <= ${now} AND channel = ANY(${[...channels]})
        ORDER BY due_at, seq LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      UPDATE outbox_messages m
      SET state = 'delivering', attempts = m.attempts + 1, due_at = ${leaseUntil}, claimed_at = ${now}, claimed_by = ${owner}, updated_at = ${now}
      FROM picked WHERE m.seq = picked.seq
      RETURNING m.*, picked.was`.execute(trx);
    return rows.sort((a, b) => a.due_at - b.due_at || a.seq - b.seq);
  }

  /** Stores an attempt's outcome; false when the claim was lost (another process took the message). */
  async settle(trx: Db, s: Settlement): Promise<boolean> {
    const set =
      s.state === 'delivered'
        ? { state: s.state, due_at: s.now, delivered_at: s.now, last_error: null, last_status_code: s.statusCode }
        : { state: s.state, due_at: s.state === 'pending' ? s.dueAt : s.now, last_error: s.error, last_status_code: s.statusCode };
    let q = trx
      .updateTable('outbox_messages')
      .set({ ...set, updated_at: s.now, claimed_by: null })
      .where('id', '=', s.id)
      .where('state', '=', 'delivering');
    if (s.owner !== null) q = q.where('claimed_by', '=', s.owner);
    const r = await q.executeTakeFirst();
    return r.numUpdatedRows === 1n;
  }

  async recordAttempt(trx: Db, a: NewAttempt): Promise<void> {
    await trx
      .insertInto('outbox_attempts')
      .values({ message_id: a.messageId, attempt: a.attempt, started_at: a.startedAt, finished_at: a.finishedAt, outcome: a.outcome, status_code: a.statusCode, error: a.error, detail: a.detail, next_attempt_at: a.nextAttemptAt })
      .execute();
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
}
