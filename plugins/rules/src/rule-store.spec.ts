import Database from 'better-sqlite3';
import { SqlDatabase } from '@plugboard/sql';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HandlerModuleRegistry } from './handler-module-registry';
import { LoggerHandler } from './logger-handler';
import { RuleStore } from './rule-store';

// Behaviour on both dialects: test/store-dialects.test.ts. Here: what only SQLite files do.
const registry = new HandlerModuleRegistry({ modules: [new LoggerHandler(() => undefined)] });
const input = { name: 'log accounts', events: ['AccountCreated'], handlerModule: 'Logger', action: 'log', options: { message: 'hi' } };

describe('RuleStore on a SQLite file', () => {
  let dir: string;
  let db: Database.Database;
  let store: RuleStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pb-rules-store-'));
    db = new Database(join(dir, 'rules.db'));
    store = new RuleStore(db, { registry });
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps rules across closing and reopening the database file', async () => {
    const a = await store.create({ ...input, conditions: { client_ip: '10.0.0.0/8,!10.0.0.5' }, ordering: 5, position: 'pre', abortOnError: true });
    db.close();
    db = new Database(join(dir, 'rules.db'));
    const reopened = new RuleStore(db, { registry });
    expect(await reopened.get(a.id)).toEqual(a);
    expect(db.prepare("SELECT name FROM plugboard_migrations WHERE scope = '@plugboard/rules'").pluck().all()).toEqual(['0001_rules']);
  });

  it('sees writes made through another connection to the same file', async () => {
    const other = new Database(join(dir, 'rules.db'));
    try {
      const before = await store.revision();
      await new RuleStore(other, { registry }).create(input);
      expect(await store.revision()).toBe(before + 1);
      expect(await store.list()).toHaveLength(1);
    } finally {
      other.close();
    }
  });

  it('opens a path itself and closes it again', async () => {
    const opened = await RuleStore.open(join(dir, 'own.db'), { registry });
    await opened.create(input);
    await opened.close();
    const again = new RuleStore(join(dir, 'own.db'), { registry });
    expect((await again.list()).map((r) => r.name)).toEqual(['log accounts']);
    await again.close();
  });

  it('refuses a database migrated by a newer version', () => {
    db.prepare("INSERT INTO plugboard_migrations (scope, name, applied_at) VALUES ('@plugboard/rules', '0099_future', 'now')").run();
    expect(() => new RuleStore(SqlDatabase.sqlite(db), { registry })).toThrow(expect.objectContaining({ code: 'PB_SQL_SCHEMA' }));
  });

  it('works on an in-memory database', async () => {
    const mem = new Database(':memory:');
    try {
      const s = new RuleStore(mem, { registry });
      await s.create(input);
      expect(await s.list()).toHaveLength(1);
    } finally {
      mem.close();
    }
  });
});
