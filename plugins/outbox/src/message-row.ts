import type { Selectable } from 'kysely';
import type { OutboxAttemptsTable, OutboxMessagesTable } from './schema/tables';
import type { AttemptOutcome, AttemptRecord, OutboxMessage } from './types';

/** A row of `outbox_messages`, as the schema declares it (one source for both dialects). */
export type MessageRow = Selectable<OutboxMessagesTable>;

/** The fields of an `outbox_attempts` row that make an {@link AttemptRecord}. */
export type AttemptRow = Omit<Selectable<OutboxAttemptsTable>, 'seq' | 'message_id'>;

/** New message as inserted. */
export interface NewMessage {
  id: string;
  channel: string;
  payload: string;
  meta: string | null;
  dedupeKey: string | null;
  dueAt: number;
  now: number;
}

/** An attempt row to insert. */
export interface NewAttempt {
  messageId: string;
  attempt: number;
  startedAt: number;
  finishedAt: number;
  outcome: AttemptOutcome;
  statusCode: number | null;
  error: string | null;
  detail: string | null;
  nextAttemptAt: number | null;
}

/** Maps a row to the public message shape. */
export function toMessage<P>(row: MessageRow): OutboxMessage<P> {
  return {
    id: row.id,
    channel: row.channel,
    payload: JSON.parse(row.payload) as P,
    state: row.state,
    attempts: row.attempts,
    meta: row.meta === null ? {} : (JSON.parse(row.meta) as Record<string, string>),
    ...(row.dedupe_key !== null ? { dedupeKey: row.dedupe_key } : {}),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    ...(row.state === 'pending' ? { nextAttemptAt: new Date(row.due_at) } : {}),
    ...(row.state === 'delivering' ? { leaseUntil: new Date(row.due_at) } : {}),
    ...(row.delivered_at !== null ? { deliveredAt: new Date(row.delivered_at) } : {}),
    ...(row.last_error !== null ? { lastError: row.last_error } : {}),
    ...(row.last_status_code !== null ? { lastStatusCode: row.last_status_code } : {}),
  };
}

/** Maps an attempt row to the public record. */
export function toAttempt(r: AttemptRow): AttemptRecord {
  return {
    attempt: r.attempt,
    startedAt: new Date(r.started_at),
    finishedAt: new Date(r.finished_at),
    outcome: r.outcome,
    ...(r.status_code !== null ? { statusCode: r.status_code } : {}),
    ...(r.error !== null ? { error: r.error } : {}),
    ...(r.detail !== null ? { detail: r.detail } : {}),
    ...(r.next_attempt_at !== null ? { nextAttemptAt: new Date(r.next_attempt_at) } : {}),
  };
}
