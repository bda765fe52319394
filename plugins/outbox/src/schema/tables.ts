import type { Generated } from 'kysely';
import type { AttemptOutcome, OutboxState } from '../types';

/** `outbox_messages`; times are epoch milliseconds in both dialects (`bigint` on PostgreSQL). */
export interface OutboxMessagesTable {
  seq: Generated<number>;
  id: string;
  channel: string;
  payload: string;
  meta: string | null;
  dedupe_key: string | null;
  state: OutboxState;
  attempts: number;
  /** pending: when the next attempt is due; delivering: when the claim's lease lapses. */
  due_at: number;
  claimed_at: number | null;
  claimed_by: string | null;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
  last_error: string | null;
  last_status_code: number | null;
}

/** `outbox_attempts`: one row per finished (or lost) attempt. */
export interface OutboxAttemptsTable {
  seq: Generated<number>;
  message_id: string;
  attempt: number;
  started_at: number;
  finished_at: number;
  outcome: AttemptOutcome;
  status_code: number | null;
  error: string | null;
  detail: string | null;
  next_attempt_at: number | null;
}

/** The outbox's tables, as Kysely sees them. */
export interface OutboxTables {
  outbox_messages: OutboxMessagesTable;
  outbox_attempts: OutboxAttemptsTable;
}

/** The two SQL dialects the outbox runs on. */
export type OutboxDialect = 'sqlite' | 'postgres';
