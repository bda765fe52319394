import Database from 'better-sqlite3';
import { SqlDatabase } from '@plugboard/sql';
import { EventLog, type EventLogRecord } from './event-log';
import { migrateRulesSync } from './migrations';

const entry = (eventId: string): EventLogRecord => ({
  ruleId: 1,
  ruleName: 'notify owner',
  event: 'token_init',
  eventId,
  position: 'post',
  status: 'ok',
  durationMs: 1,
});

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function openLog(db: Database.Database): EventLog {
  const sql = SqlDatabase.sqlite(db);
  migrateRulesSync(sql);
  return new EventLog(sql);
}

describe('EventLog on SQLite', () => {
  it('writes entries recorded in one event-loop turn together, and every read sees them at once', async () => {
    const db = new Database(':memory:');
    const log = openLog(db);
    log.record(entry('a'));
    log.record(entry('b'));
    // Read before the batch is written: the read flushes first.
    expect((await log.query({ order: 'asc' })).map((e) => e.eventId)).toEqual(['a', 'b']);
    log.record(entry('c'));
    await nextTurn();
    expect(db.prepare('SELECT COUNT(*) FROM rules_event_log').pluck().get()).toBe(3);
    db.close();
  });

  it('writes synchronously when flushed, before flush() returns', () => {
    const db = new Database(':memory:');
    const log = openLog(db);
    log.record(entry('a'));
    void log.flush();
    expect(db.prepare('SELECT COUNT(*) FROM rules_event_log').pluck().get()).toBe(1);
    db.close();
  });

  it('says once how many entries were lost when the database was closed before they were written', async () => {
    const db = new Database(':memory:');
    const log = openLog(db);
    const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      log.record(entry('a'));
      log.record(entry('b'));
      db.close();
      await nextTurn();
      log.record(entry('c'));
      await nextTurn();
      expect(emitWarning.mock.calls.map((c) => c[0])).toEqual([
        'rules event log: 2 entries were not written because the database was closed first; call eventLog.flush() before closing it.',
        'rules event log: 1 entry was not written because the database was closed first; call eventLog.flush() before closing it.',
      ]);
    } finally {
      emitWarning.mockRestore();
    }
  });
});
