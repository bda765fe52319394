import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqlDatabase } from '@plugboard/sql';
import { legacyMigrate } from '../../../test/support/legacy-runner';
import { migrateOutbox, Outbox } from '../src';
import { recordingLogger, tempDir } from './support/helpers';
import { LEGACY_V1_SQL } from './support/legacy-schema';

/** Columns and indexes of the outbox tables, as SQLite describes them. */
function shape(db: Database.Database): unknown {
  const tables = ['outbox_messages', 'outbox_attempts'];
  return {
    columns: tables.map((t) => db.pragma(`table_info(${t})`)),
    indexes: db.prepare(`SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'outbox_%' AND sql IS NOT NULL ORDER BY name`).all()
      .map((r) => ({ ...(r as { sql: string }), sql: (r as { sql: string }).sql.replace(/["\s]+/g, ' ').toLowerCase().replace(/ ?([(),]) ?/g, '$1') })),
  };
}

describe('Outbox schema moved to Kysely migrations', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('opens a file created by the pre-Kysely runner without losing its messages, attempts or dead letters, and delivers them', async () => {
    const file = join(dir, 'old.db');
    const old = new Database(file);
    legacyMigrate(old, 'outbox_schema', [LEGACY_V1_SQL]);
    const now = Date.now();
    const insert = old.prepare(
      `INSERT INTO outbox_messages (id, channel, payload, state, attempts, due_at, created_at, updated_at, last_error)
       VALUES (?, 'smtp', ?, ?, ?, ?, ?, ?, ?)`,
    );
    insert.run('m-pending', '{"to":"a"}', 'pending', 0, now, now, now, null);
    insert.run('m-dead', '{"to":"b"}', 'dead', 3, now, now, now, '550 no such user');
    old.prepare(`INSERT INTO outbox_attempts (message_id, attempt, started_at, finished_at, outcome, error) VALUES ('m-dead', 3, ?, ?, 'dead', '550')`).run(now, now);
    old.close();

    const outbox = new Outbox({ database: file, logger: recordingLogger() });
    try {
      expect(outbox.get('m-pending')).toMatchObject({ payload: { to: 'a' }, state: 'pending' });
      expect(outbox.get('m-dead')).toMatchObject({ state: 'dead', attempts: 3, lastError: '550 no such user' });
      expect(outbox.attempts('m-dead')).toEqual([expect.objectContaining({ attempt: 3, outcome: 'dead' })]);
      expect(outbox.db.prepare(`SELECT name FROM plugboard_migrations WHERE scope = '@plugboard/outbox'`).pluck().all()).toEqual(['0001_outbox', '0002_active_index']);
      const got: string[] = [];
      outbox.register('smtp', (m) => void got.push(m.id));
      outbox.retry('m-dead');
      await outbox.drain();
      expect(got.sort()).toEqual(['m-dead', 'm-pending']);
      expect(outbox.counts()).toEqual({ pending: 0, delivering: 0, delivered: 2, dead: 0 });
    } finally {
      await outbox.close();
    }
  });

  it('creates through Kysely the same columns and partial indexes as the pre-Kysely schema', () => {
    const legacy = new Database(':memory:');
    const fresh = new Database(':memory:');
    try {
      legacy.exec(LEGACY_V1_SQL);
      new Outbox({ database: fresh, logger: recordingLogger() });
      expect(shape(fresh)).toEqual(shape(legacy));
    } finally {
      legacy.close();
      fresh.close();
    }
  });

  it("opens a file migrated by Kysely's Migrator (as the previous release did) with its messages, and moves on to the shared history", async () => {
    const file = join(dir, 'migrator.db');
    const old = new Database(file);
    old.exec(LEGACY_V1_SQL);
    old.exec(`CREATE TABLE outbox_migrations (name varchar(255) NOT NULL PRIMARY KEY, timestamp varchar(255) NOT NULL)`);
    old.prepare(`INSERT INTO outbox_migrations (name, timestamp) VALUES ('0001_outbox', ?)`).run(new Date().toISOString());
    const now = Date.now();
    old.prepare(`INSERT INTO outbox_messages (id, channel, payload, state, attempts, due_at, created_at, updated_at) VALUES ('kept', 'smtp', '{}', 'pending', 0, ?, ?, ?)`).run(now, now, now);
    old.close();

    const outbox = new Outbox({ database: file, logger: recordingLogger() });
    try {
      expect(outbox.get('kept')).toMatchObject({ state: 'pending' });
      expect(outbox.db.prepare(`SELECT name FROM plugboard_migrations WHERE scope = '@plugboard/outbox'`).pluck().all()).toEqual(['0001_outbox', '0002_active_index']);
    } finally {
      await outbox.close();
    }
  });

  it('shares one history between migrateOutbox and new Outbox: a file migrated by either is up to date for the other', async () => {
    const first = await SqlDatabase.open(join(dir, 'first.db'));
    expect(await migrateOutbox(first)).toEqual(['0001_outbox', '0002_active_index']);
    const outbox = new Outbox({ database: first.sqlite as Database.Database, logger: recordingLogger() });
    await outbox.close();
    await first.close();

    const bySync = new Database(join(dir, 'sync.db'));
    await new Outbox({ database: bySync, logger: recordingLogger() }).close();
    const second = await SqlDatabase.open(bySync);
    expect(await migrateOutbox(second)).toEqual([]);
    bySync.close();
  });
});
