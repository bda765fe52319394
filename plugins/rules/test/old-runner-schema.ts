/** The schema as the old hand-written runner (`rules_schema`) left a SQLite file, for adoption tests. */
export const OLD_RUNNER_V1 = `
      CREATE TABLE rules_schema (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
      INSERT INTO rules_schema (version, applied_at) VALUES (1, '2026-01-01T00:00:00.000Z');
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
    `;

/** Version 2 on top of {@link OLD_RUNNER_V1}: the event log rebuilt to accept `queued`. */
export const OLD_RUNNER_V2 = `
      INSERT INTO rules_schema (version, applied_at) VALUES (2, '2026-02-01T00:00:00.000Z');
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
    `;
