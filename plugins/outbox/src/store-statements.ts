import type { Database, Statement } from 'better-sqlite3';

// The SQLite delivery hot paths (claim, lease, settle) only, written for SQLite on purpose: pinned
// to its partial indexes with LIMITs written out. PostgreSQL claims its own way (pg/pg-store.ts,
// FOR UPDATE SKIP LOCKED); the queries both dialects share are in queries/.

// One partial index per active state: each claim query is then an exact, ordered index range
// that stops at its LIMIT, however many rows are delivered (they pile up) or pending. INDEXED BY
// pins the plan whether or not the host ever ran ANALYZE, and fails loudly if it became unusable.
export const PENDING = `outbox_messages INDEXED BY outbox_messages_pending WHERE state = 'pending'`;
export const DELIVERING = `outbox_messages INDEXED BY outbox_messages_delivering WHERE state = 'delivering'`;

/** Statements that depend on the set of channels with a deliverer; rebuilt when it changes (rare). */
export interface RoutedStatements {
  /** By LIMIT, filled lazily: the LIMIT is written out (see OutboxStore's `limited`). */
  duePending: Map<number, Statement>;
  lapsed: Map<number, Statement>;
  routable: string;
  nextDue: Statement;
  hasDue: Statement;
  hasActive: Statement;
}

/** The statements whatever channels have a deliverer, prepared once per store. */
export interface FixedStatements {
  claim: Statement;
  delivered: Statement;
  reschedule: Statement;
  dead: Statement;
  attempt: Statement;
}

/** Prepares the {@link FixedStatements}. */
export function prepareFixed(db: Database): FixedStatements {
  const p = (sql: string): Statement => db.prepare(sql);
  return {
    claim: p(
      `UPDATE outbox_messages SET state = 'delivering', attempts = attempts + 1, due_at = ?, claimed_at = ?, claimed_by = ?, updated_at = ?
       WHERE seq = ?`,
    ),
    delivered: p(
      `UPDATE outbox_messages SET state = 'delivered', due_at = ?, delivered_at = ?, updated_at = ?, claimed_by = NULL,
         last_error = NULL, last_status_code = ?
       WHERE id = ? AND state = 'delivering' AND claimed_by = ?`,
    ),
    reschedule: p(
      `UPDATE outbox_messages SET state = 'pending', due_at = ?, updated_at = ?, claimed_by = NULL, last_error = ?, last_status_code = ?
       WHERE id = ? AND state = 'delivering' AND (claimed_by = ? OR ? IS NULL)`,
    ),
    dead: p(
      `UPDATE outbox_messages SET state = 'dead', due_at = ?, updated_at = ?, claimed_by = NULL, last_error = ?, last_status_code = ?
       WHERE id = ? AND state = 'delivering' AND (claimed_by = ? OR ? IS NULL)`,
    ),
    attempt: p(
      `INSERT INTO outbox_attempts (message_id, attempt, started_at, finished_at, outcome, status_code, error, detail, next_attempt_at)
       VALUES (@messageId, @attempt, @startedAt, @finishedAt, @outcome, @statusCode, @error, @detail, @nextAttemptAt)`,
    ),
  };
}

/** Prepares the {@link RoutedStatements} for `n` channels, bound as a plain `IN (?, …)` list. */
export function prepareRouted(db: Database, n: number): RoutedStatements {
  const routable = `channel IN (${Array.from({ length: n }, () => '?').join(', ')})`;
  const p = (sql: string): Statement => db.prepare(sql);
  return {
    duePending: new Map(),
    lapsed: new Map(),
    routable,
    nextDue: p(
      `SELECT MIN(d) AS due FROM (
         SELECT * FROM (SELECT due_at AS d FROM ${PENDING} AND ${routable} ORDER BY due_at LIMIT 1)
         UNION ALL
         SELECT * FROM (SELECT due_at AS d FROM ${DELIVERING} AND ${routable} ORDER BY due_at LIMIT 1))`,
    ),
    hasDue: p(
      `SELECT EXISTS (SELECT 1 FROM ${PENDING} AND due_at <= ? AND ${routable})
           OR EXISTS (SELECT 1 FROM ${DELIVERING} AND due_at <= ? AND ${routable})`,
    ).pluck(),
    hasActive: p(
      `SELECT EXISTS (SELECT 1 FROM ${PENDING} AND ${routable}) OR EXISTS (SELECT 1 FROM ${DELIVERING} AND ${routable})`,
    ).pluck(),
  };
}
