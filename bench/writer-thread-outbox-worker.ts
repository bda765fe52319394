/**
 * The writer thread of {@link WriterThreadOutbox}: owns a connection to the outbox's file, stores
 * each batch of rows in one transaction (already claimed, with a lease, so no separate claim),
 * acknowledges it, and records delivered outcomes and their attempt rows in one transaction per batch.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWriter, ToWriter, WriterOutcome, WriterRow } from './writer-thread-outbox';

const LEASE_MS = 60_000;
const OWNER = 'writer-thread';

const port = parentPort;
if (port === null) throw new Error('writer-thread-outbox-worker.ts runs as a worker thread of WriterThreadOutbox');
const { database } = workerData as { database: string };

const db = new Database(database);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');

// The statements of the outbox's own store (plugins/outbox/src/store-statements.ts), with the claim folded into the insert.
const insert = db.prepare(
  `INSERT INTO outbox_messages (id, channel, payload, meta, dedupe_key, state, attempts, due_at, claimed_at, claimed_by, created_at, updated_at)
   VALUES (@id, @channel, @payload, @meta, @dedupeKey, 'delivering', 1, @leaseUntil, @now, '${OWNER}', @now, @now)
   ON CONFLICT DO NOTHING`,
);
const delivered = db.prepare(
  `UPDATE outbox_messages SET state = 'delivered', due_at = ?, delivered_at = ?, updated_at = ?, claimed_by = NULL,
     last_error = NULL, last_status_code = 250
   WHERE id = ? AND state = 'delivering' AND claimed_by = '${OWNER}'`,
);
const attempt = db.prepare(
  `INSERT INTO outbox_attempts (message_id, attempt, started_at, finished_at, outcome, status_code, error, detail, next_attempt_at)
   VALUES (?, 1, ?, ?, 'delivered', 250, NULL, ?, NULL)`,
);

const store = db.transaction((rows: readonly WriterRow[]) => {
  const now = Date.now();
  for (const row of rows) insert.run({ ...row, leaseUntil: now + LEASE_MS, now });
});
const record = db.transaction((outcomes: readonly WriterOutcome[]) => {
  for (const o of outcomes) {
    delivered.run(o.finishedAt, o.finishedAt, o.finishedAt, o.id);
    attempt.run(o.id, o.startedAt, o.finishedAt, o.detail);
  }
});

function reply(message: FromWriter): void {
  port?.postMessage(message);
}

port.on('message', (m: ToWriter) => {
  if (m.type === 'store') {
    store(m.rows);
    reply({ type: 'stored', ids: m.rows.map((r) => r.id) });
  } else if (m.type === 'delivered') {
    record(m.outcomes);
  } else if (m.type === 'sync') {
    reply({ type: 'synced' });
  } else {
    db.close();
    reply({ type: 'closed' });
  }
});
