import Database from 'better-sqlite3';
import { EventLog } from './event-log';
import { RULES_SCHEMA_VERSION } from './migrations';

// The event log as schema version 1 shipped it: its CHECK refused 'queued'.
const V1_EVENT_LOG = `
  CREATE TABLE rules_schema (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
  INSERT INTO rules_schema (version, applied_at) VALUES (1, '2026-01-01T00:00:00.000Z');
  CREATE TABLE rules_event_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT, rule_id INTEGER NOT NULL, rule_name TEXT NOT NULL, event TEXT NOT NULL,
    event_id TEXT NOT NULL, position TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'skipped')),
    error TEXT, detail TEXT, duration_ms REAL NOT NULL, at TEXT NOT NULL
  );
  INSERT INTO rules_event_log (rule_id, rule_name, event, event_id, position, status, error, detail, duration_ms, at)
  VALUES (3, 'old rule', 'AccountCreated', 'e-old', 'post', 'ok', NULL, 'queued 1 mail(s) to a@x.org', 1.5, '2026-01-01T00:00:00.000Z');
`;

describe('rules schema version 2', () => {
  it('keeps the entries of a version 1 event log and accepts the queued status after migrating', () => {
    const db = new Database(':memory:');
    db.exec(V1_EVENT_LOG);
    const log = new EventLog(db);

    expect(db.prepare('SELECT MAX(version) FROM rules_schema').pluck().get()).toBe(RULES_SCHEMA_VERSION);
    expect(log.query()).toEqual([expect.objectContaining({ id: 1, ruleName: 'old rule', eventId: 'e-old', status: 'ok', detail: 'queued 1 mail(s) to a@x.org' })]);
    log.record({ ruleId: 3, ruleName: 'old rule', event: 'AccountCreated', eventId: 'e-new', position: 'post', status: 'queued', detail: 'queued 1 mail(s)', durationMs: 1 });
    expect(log.query({ status: 'queued' }).map((e) => e.eventId)).toEqual(['e-new']);
    expect(() => db.prepare("INSERT INTO rules_event_log (rule_id, rule_name, event, event_id, position, status, duration_ms, at) VALUES (1, 'r', 'e', 'x', 'post', 'bogus', 1, 'now')").run()).toThrow(/CHECK/);
    db.close();
  });
});
