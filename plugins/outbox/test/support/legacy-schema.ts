/** The outbox schema exactly as the pre-Kysely runner (outbox_schema, version 1) created it: fixtures of old files. */
export const LEGACY_V1_SQL = `
  CREATE TABLE outbox_messages (
    seq              INTEGER PRIMARY KEY,
    id               TEXT    NOT NULL UNIQUE,
    channel          TEXT    NOT NULL,
    payload          TEXT    NOT NULL,
    meta             TEXT,
    dedupe_key       TEXT,
    state            TEXT    NOT NULL CHECK (state IN ('pending', 'delivering', 'delivered', 'dead')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    -- pending: when the next attempt is due; delivering: when the claim's lease lapses.
    due_at           INTEGER NOT NULL,
    claimed_at       INTEGER,
    claimed_by       TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    delivered_at     INTEGER,
    last_error       TEXT,
    last_status_code INTEGER
  );
  CREATE INDEX outbox_messages_pending ON outbox_messages (due_at) WHERE state = 'pending';
  CREATE INDEX outbox_messages_delivering ON outbox_messages (due_at) WHERE state = 'delivering';
  CREATE INDEX outbox_messages_dead ON outbox_messages (seq) WHERE state = 'dead';
  CREATE UNIQUE INDEX outbox_messages_dedupe ON outbox_messages (channel, dedupe_key) WHERE dedupe_key IS NOT NULL;

  CREATE TABLE outbox_attempts (
    seq             INTEGER PRIMARY KEY,
    message_id      TEXT    NOT NULL,
    attempt         INTEGER NOT NULL,
    started_at      INTEGER NOT NULL,
    finished_at     INTEGER NOT NULL,
    outcome         TEXT    NOT NULL CHECK (outcome IN ('delivered', 'retry', 'dead')),
    status_code     INTEGER,
    error           TEXT,
    detail          TEXT,
    next_attempt_at INTEGER
  );
  CREATE INDEX outbox_attempts_message ON outbox_attempts (message_id, seq);
`;
