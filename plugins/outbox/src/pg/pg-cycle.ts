import { createHash } from 'node:crypto';
import { sql, type CompiledQuery, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Pool } from 'pg';
import type { MessageRow, NewAttempt } from '../message-row';
import type { OutboxTables } from '../schema/tables';
import type { OutboxState } from '../types';

type Db = Kysely<OutboxTables> | Transaction<OutboxTables>;

/** A claimed row, with the state it had before the claim ('delivering' = a lapsed claim taken over). */
export type ClaimedRow = MessageRow & { was: OutboxState };

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

/** Runs a compiled statement under `name` (see {@link poolRunner}). */
export type StatementRunner = <R>(query: CompiledQuery, name: string) => Promise<R[]>;

/**
 * Runs statements on `pool` as named prepared statements: each connection parses and plans the
 * step once, not at every step (planning the step's CTEs took about as long as running them).
 * The rows are named column by column, so a column added by a later migration cannot change a
 * prepared statement's result type under a running process.
 */
export function poolRunner(pool: Pool): StatementRunner {
  return async <R>(query: CompiledQuery, name: string): Promise<R[]> => (await pool.query({ name, text: query.sql, values: [...query.parameters] })).rows as R[];
}

// A Record, so that a column added to MessageRow and not here is a compile error.
const COLUMNS: Record<keyof MessageRow, true> = {
  seq: true, id: true, channel: true, payload: true, meta: true, dedupe_key: true, state: true, attempts: true, due_at: true,
  claimed_at: true, claimed_by: true, created_at: true, updated_at: true, delivered_at: true, last_error: true, last_status_code: true,
}; // prettier-ignore
const MESSAGE_COLUMNS = Object.keys(COLUMNS).map((c) => `m.${c}`).join(', ');

const names = new Map<string, string>();

/** A statement's name, from its text: a changed text is a new statement. */
function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) names.set(text, (name = `pb_outbox_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`));
  return name;
}

/** What one delivery-loop step writes: the attempts it finished, and how many new messages it may claim. */
export interface CycleStep {
  readonly settlements: readonly Settlement[];
  readonly attempts: readonly NewAttempt[];
  readonly channels: readonly string[];
  readonly limit: number;
  readonly now: number;
  readonly leaseUntil: number;
  readonly owner: string;
  /** Which messages it claims: due pending ones, or delivering ones whose lease lapsed (a takeover). */
  readonly take: 'pending' | 'lapsed';
}

/** What the step found. */
export interface CycleResult {
  /** Newly claimed rows, oldest due first. */
  readonly claimed: ClaimedRow[];
  /** Ids whose settlement applied; the others' claims were lost to another process. */
  readonly settled: ReadonlySet<string>;
  /** Earliest due time or lease end among the active messages this step left untouched. */
  readonly untouchedDue: number | undefined;
  /** Whether a message of `channels` waits under a lapsed lease (to take over in a step of its own). */
  readonly lapsed: boolean;
}

type Row = Partial<ClaimedRow> & { settled_ids: string[] | null; untouched_due: number | null; lapsed: boolean };

/**
 * One loop step as ONE statement: settles every finished attempt, records the attempts, claims up
 * to `limit` due messages (SKIP LOCKED), and looks up the next due time and whether a lease
 * lapsed. A statement per attempt, or a transaction around several, cost round trips that under a
 * steady trickle of events were most of a delivery's time. Rows being settled are kept out of the
 * claim: a statement may not update a row twice.
 *
 * Its commit (or that of the transaction it runs in) does not wait for PostgreSQL to flush the WAL
 * to disk: `set_config('synchronous_commit', 'off', true)` holds for the current transaction only,
 * so enqueues on the same pooled connection still wait. Losing such a commit takes a server or OS
 * crash, and costs only a redelivery: a lost claim or outcome leaves the message pending or claimed
 * until its lease lapses, and it is delivered again, which at-least-once allows. A lost commit
 * never outlives a later flushed one (the WAL replays in order), so nothing committed before a
 * returned enqueue goes missing. Waiting for the flush at every step was a disk sync per delivery.
 */
export async function cycleStep(db: Db, s: CycleStep, run?: StatementRunner): Promise<CycleResult> {
  const query = stepQuery(s).compile(db);
  const rows = run !== undefined ? await run<Row>(query, statementName(query.sql)) : (await db.executeQuery(query)).rows;
  const first = rows[0];
  const claimed = rows.filter((r): r is Row & ClaimedRow => r.id !== undefined && r.id !== null).map(withoutExtras);
  claimed.sort((a, b) => a.due_at - b.due_at || a.seq - b.seq);
  return { claimed, settled: new Set(first?.settled_ids ?? []), untouchedDue: first?.untouched_due ?? undefined, lapsed: first?.lapsed === true };
}

function stepQuery(s: CycleStep): RawBuilder<Row> {
  const st = s.settlements;
  const at = s.attempts;
  const ids = st.map((x) => x.id);
  const state = sql.lit(s.take === 'pending' ? 'pending' : 'delivering');
  return sql<Row>`
    WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true) AS setting),
    settled AS (
      UPDATE outbox_messages m
      SET state = x.state, due_at = x.due_at, attempts = COALESCE(x.attempts, m.attempts), delivered_at = CASE WHEN x.state = 'delivered' THEN x.now ELSE m.delivered_at END,
        last_error = x.error, last_status_code = x.status_code, updated_at = x.now, claimed_by = NULL
      FROM unnest(${ids}::text[], ${st.map((x) => x.owner)}::text[], ${st.map((x) => x.state)}::text[], ${st.map(settledDue)}::bigint[],
        ${st.map((x) => x.now)}::bigint[], ${st.map((x) => x.error)}::text[], ${st.map((x) => x.statusCode)}::integer[],
        ${st.map((x) => x.attempts ?? null)}::integer[])
        AS x(id, owner, state, due_at, now, error, status_code, attempts)
      WHERE m.id = x.id AND m.state = 'delivering' AND (x.owner IS NULL OR m.claimed_by = x.owner)
      RETURNING m.id),
    recorded AS (
      INSERT INTO outbox_attempts (message_id, attempt, started_at, finished_at, outcome, status_code, error, detail, next_attempt_at)
      SELECT * FROM unnest(${at.map((a) => a.messageId)}::text[], ${at.map((a) => a.attempt)}::integer[], ${at.map((a) => a.startedAt)}::bigint[],
        ${at.map((a) => a.finishedAt)}::bigint[], ${at.map((a) => a.outcome)}::text[], ${at.map((a) => a.statusCode)}::integer[],
        ${at.map((a) => a.error)}::text[], ${at.map((a) => a.detail)}::text[], ${at.map((a) => a.nextAttemptAt)}::bigint[])),
    picked AS (
      SELECT seq, state AS was FROM outbox_messages
      WHERE state = ${state} AND due_at <= ${s.now} AND channel = ANY(${[...s.channels]}::text[]) AND NOT (id = ANY(${ids}::text[]))
      ORDER BY due_at, seq LIMIT ${s.limit}
      FOR UPDATE SKIP LOCKED),
    claimed AS (
      UPDATE outbox_messages m
      SET state = 'delivering', attempts = m.attempts + 1, due_at = ${s.leaseUntil}, claimed_at = ${s.now}, claimed_by = ${s.owner}, updated_at = ${s.now}
      FROM picked WHERE m.seq = picked.seq
      RETURNING ${sql.raw(MESSAGE_COLUMNS)}, picked.was)
    SELECT c.*,
      (SELECT array_agg(id) FROM settled) AS settled_ids,
      (SELECT min(due_at) FROM outbox_messages
        WHERE state IN ('pending', 'delivering') AND channel = ANY(${[...s.channels]}::text[])
          AND NOT (id = ANY(${ids}::text[])) AND seq NOT IN (SELECT seq FROM picked)) AS untouched_due,
      EXISTS (SELECT 1 FROM outbox_messages
        WHERE state = 'delivering' AND due_at <= ${s.now} AND channel = ANY(${[...s.channels]}::text[])
          AND NOT (id = ANY(${ids}::text[])) AND seq NOT IN (SELECT seq FROM picked)) AS lapsed
    FROM relaxed LEFT JOIN claimed c ON true`;
}

/** The due time a settlement leaves: the retry time when pending again, else its settling time. */
function settledDue(s: Settlement): number {
  return s.state === 'pending' ? s.dueAt : s.now;
}

function withoutExtras(r: Row & ClaimedRow): ClaimedRow {
  const { settled_ids: _s, untouched_due: _u, lapsed: _l, ...row } = r;
  return row;
}
