import type { Database } from 'better-sqlite3';
import { OutboxError } from './errors';

/**
 * Versioned schema of the outbox. Each entry upgrades from the previous version; never edit a
 * shipped entry, append a new one. The applied version is kept in `outbox_schema` rather than
 * `PRAGMA user_version`, because the database is usually shared with the host, which owns that pragma.
 */
export const MIGRATIONS: readonly string[] = [
  // v1
  `
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
  `,
];

/** Current schema version this code expects. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Applies `migrations` (entry N upgrades to version N) that are newer than the version recorded
 * in `schemaTable`, in one immediate transaction, so two processes opening the same file at once
 * cannot both migrate. `tooNew` builds the error for a database already past what the code knows.
 * Returns the version found before. Shared by every package that keeps tables in the host's
 * SQLite database beside the outbox.
 *
 * @example
 * ```ts
 * migrateSchema(db, 'notify_email_hooks_schema', MIGRATIONS, (found, known) => new Error(`${found} > ${known}`));
 * ```
 */
export function migrateSchema(db: Database, schemaTable: string, migrations: readonly string[], tooNew: (found: number, known: number) => Error): number {
  if (!/^[a-z_][a-z0-9_]*$/.test(schemaTable)) throw new RangeError(`invalid schema table name "${schemaTable}"`);
  const run = db.transaction((): number => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${schemaTable} (version INTEGER NOT NULL, applied_at INTEGER NOT NULL)`);
    const row = db.prepare(`SELECT MAX(version) AS version FROM ${schemaTable}`).get() as { version: number | null };
    const from = row.version ?? 0;
    if (from > migrations.length) throw tooNew(from, migrations.length);
    const record = db.prepare(`INSERT INTO ${schemaTable} (version, applied_at) VALUES (?, ?)`);
    for (let v = from + 1; v <= migrations.length; v++) {
      db.exec(migrations[v - 1]);
      record.run(v, Date.now());
    }
    return from;
  });
  return run.immediate();
}

/** Brings the outbox tables up to {@link SCHEMA_VERSION}; returns the version found before. */
export function migrate(db: Database): number {
  return migrateSchema(
    db,
    'outbox_schema',
    MIGRATIONS,
    (found, known) =>
      new OutboxError(
        'PB_OUTBOX_SCHEMA',
        `The outbox tables are at schema version ${found}, newer than this @plugboard/outbox understands (${known}); upgrade @plugboard/outbox.`,
      ),
  );
}
