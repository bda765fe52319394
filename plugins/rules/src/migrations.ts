import type { Database } from 'better-sqlite3';
import { RulesSchemaError } from './errors';

/**
 * Versioned schema of the rules tables. Append new versions; never edit a released one.
 * `rules_meta.revision` counts rule writes so every connection (also other processes, e.g. a CLI)
 * can tell cheaply whether its in-memory rule index is stale.
 */
const MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE rules_rule (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        name           TEXT    NOT NULL UNIQUE,
        active         INTEGER NOT NULL CHECK (active IN (0, 1)),
        ordering       INTEGER NOT NULL,
        position       TEXT    NOT NULL CHECK (position IN ('pre', 'post')),
        events         TEXT    NOT NULL,
        handler_module TEXT    NOT NULL,
        action         TEXT    NOT NULL,
        options        TEXT    NOT NULL,
        conditions     TEXT    NOT NULL,
        abort_on_error INTEGER NOT NULL CHECK (abort_on_error IN (0, 1)),
        created_at     TEXT    NOT NULL,
        updated_at     TEXT    NOT NULL
      );
      CREATE INDEX rules_rule_order ON rules_rule (ordering, id);
      CREATE TABLE rules_meta (
        id       INTEGER PRIMARY KEY CHECK (id = 1),
        revision INTEGER NOT NULL
      );
      INSERT INTO rules_meta (id, revision) VALUES (1, 0);
      CREATE TABLE rules_event_log (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        rule_id     INTEGER NOT NULL,
        rule_name   TEXT    NOT NULL,
        event       TEXT    NOT NULL,
        event_id    TEXT    NOT NULL,
        position    TEXT    NOT NULL,
        status      TEXT    NOT NULL CHECK (status IN ('ok', 'failed', 'skipped')),
        error       TEXT,
        detail      TEXT,
        duration_ms REAL    NOT NULL,
        at          TEXT    NOT NULL
      );
      CREATE INDEX rules_event_log_at ON rules_event_log (at);
      CREATE INDEX rules_event_log_rule ON rules_event_log (rule_id, at);
      CREATE INDEX rules_event_log_event ON rules_event_log (event, at);
      CREATE INDEX rules_event_log_event_id ON rules_event_log (event_id);
    `,
  },
  {
    // 'queued' joins the statuses. SQLite cannot change a CHECK, so the table is rebuilt; old rows keep theirs.
    version: 2,
    sql: `
      CREATE TABLE rules_event_log_v2 (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        rule_id     INTEGER NOT NULL,
        rule_name   TEXT    NOT NULL,
        event       TEXT    NOT NULL,
        event_id    TEXT    NOT NULL,
        position    TEXT    NOT NULL,
        status      TEXT    NOT NULL CHECK (status IN ('ok', 'queued', 'failed', 'skipped')),
        error       TEXT,
        detail      TEXT,
        duration_ms REAL    NOT NULL,
        at          TEXT    NOT NULL
      );
      INSERT INTO rules_event_log_v2 SELECT id, rule_id, rule_name, event, event_id, position, status, error, detail, duration_ms, at FROM rules_event_log;
      DROP TABLE rules_event_log;
      ALTER TABLE rules_event_log_v2 RENAME TO rules_event_log;
      CREATE INDEX rules_event_log_at ON rules_event_log (at);
      CREATE INDEX rules_event_log_rule ON rules_event_log (rule_id, at);
      CREATE INDEX rules_event_log_event ON rules_event_log (event, at);
      CREATE INDEX rules_event_log_event_id ON rules_event_log (event_id);
    `,
  },
];

/** Highest schema version this code knows. */
export const RULES_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/**
 * Brings the rules tables up to {@link RULES_SCHEMA_VERSION}; safe to call on every start and
 * from several stores on one database.
 *
 * @throws RulesSchemaError when the database was migrated by a newer version.
 */
export function migrateRules(db: Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS rules_schema (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const apply = db.transaction(() => {
    // Read inside the (immediate) transaction so two processes starting together do not both migrate.
    const current = (db.prepare('SELECT MAX(version) FROM rules_schema').pluck().get() as number | null) ?? 0;
    if (current > RULES_SCHEMA_VERSION) throw new RulesSchemaError(current, RULES_SCHEMA_VERSION);
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      db.prepare('INSERT INTO rules_schema (version, applied_at) VALUES (?, ?)').run(m.version, new Date().toISOString());
    }
  });
  apply.immediate();
}
