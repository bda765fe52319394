import Database from 'better-sqlite3';
import { migrate, SCHEMA_VERSION } from './migrations';

describe('migrations', () => {
  it('creates prefixed tables once and records the version', () => {
    const db = new Database(':memory:');
    try {
      expect(migrate(db)).toBe(0);
      expect(migrate(db)).toBe(SCHEMA_VERSION);
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all();
      expect(tables).toEqual(['outbox_attempts', 'outbox_messages', 'plugboard_migrations']);
      expect(db.prepare(`SELECT COUNT(*) FROM plugboard_migrations WHERE scope = '@plugboard/outbox'`).pluck().get()).toBe(SCHEMA_VERSION);
    } finally {
      db.close();
    }
  });

  it('leaves the host’s PRAGMA user_version alone', () => {
    const db = new Database(':memory:');
    try {
      db.pragma('user_version = 42');
      migrate(db);
      expect(db.pragma('user_version', { simple: true })).toBe(42);
    } finally {
      db.close();
    }
  });

  it('refuses a migration newer than the code', () => {
    const db = new Database(':memory:');
    try {
      migrate(db);
      db.prepare(`INSERT INTO plugboard_migrations (scope, name, applied_at) VALUES ('@plugboard/outbox', '9999_future', ?)`).run(new Date().toISOString());
      expect(() => migrate(db)).toThrow(expect.objectContaining({ code: 'PB_OUTBOX_SCHEMA' }));
    } finally {
      db.close();
    }
  });

  it('refuses a pre-Kysely schema version newer than the code', () => {
    const db = new Database(':memory:');
    try {
      db.exec('CREATE TABLE outbox_schema (version INTEGER NOT NULL, applied_at INTEGER NOT NULL)');
      db.prepare('INSERT INTO outbox_schema (version, applied_at) VALUES (?, ?)').run(SCHEMA_VERSION + 1, Date.now());
      expect(() => migrate(db)).toThrow(expect.objectContaining({ code: 'PB_OUTBOX_SCHEMA' }));
    } finally {
      db.close();
    }
  });
});
