import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { NotifyConfigStore } from '@plugboard/notify';

let dir: string;
let db: Database.Database;
const opened: NotifyConfigStore[] = [];

function openSync(options: Omit<Parameters<typeof NotifyConfigStore.openSync>[0], 'database'> & { database?: Database.Database | string } = {}): NotifyConfigStore {
  const store = NotifyConfigStore.openSync({ database: db, ...options });
  opened.push(store);
  return store;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pb-notify-sqlite-'));
  db = new Database(join(dir, 'host.db'));
});

afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('NotifyConfigStore on SQLite', () => {
  test('opens synchronously on the host connection, in a notify_ table migrated once under @plugboard/notify', () => {
    openSync();
    openSync();
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'notify_%' ORDER BY name").pluck().all();
    expect(tables).toEqual(['notify_email_hooks', 'notify_sms_gateway', 'notify_smtp_config']);
    expect(db.prepare("SELECT name FROM plugboard_migrations WHERE scope = '@plugboard/notify'").pluck().all()).toEqual(['0001_notify_configs']);
  });

  test('reads see changes made through another connection, another store on the same connection, and rollbacks', async () => {
    const store = openSync({ externalCheckMs: 0 });
    await store.createSmtp({ name: 'relay', host: 'a.example.org', sender: 'pb@example.org' });
    expect(store.getSmtp('relay').host).toBe('a.example.org');
    // Another process: its own connection to the same file.
    const other = openSync({ database: join(dir, 'host.db') });
    await other.updateSmtp('relay', { host: 'b.example.org' });
    expect(store.getSmtp('relay')).toMatchObject({ host: 'b.example.org', revision: 2 });
    await other.deleteSmtp('relay');
    expect(() => store.getSmtp('relay')).toThrow(expect.objectContaining({ code: 'PB_NOTIFY_CONFIG_NOT_FOUND' }));
    // Another store sharing this connection.
    await store.createSmtp({ name: 'relay', host: 'c.example.org', sender: 'pb@example.org' });
    expect(store.getSmtp('relay').host).toBe('c.example.org');
    await openSync().updateSmtp('relay', { host: 'd.example.org' });
    expect(store.getSmtp('relay').host).toBe('d.example.org');
    // A write read back inside a transaction that then rolls back is not kept. On SQLite the
    // write runs when called, so it is part of the host's transaction.
    expect(() =>
      db.transaction(() => {
        void store.updateSmtp('relay', { host: 'e.example.org' });
        expect(store.getSmtp('relay').host).toBe('e.example.org');
        throw new Error('roll back');
      })(),
    ).toThrow('roll back');
    expect(store.getSmtp('relay').host).toBe('d.example.org');
  });

  test('looks for other connections\' changes once per externalCheckMs, or at once after invalidate()', async () => {
    // A minute, so the interval cannot run out on a slow machine between the reads below.
    const store = openSync({ externalCheckMs: 60_000 });
    await store.createSmtp({ name: 'relay', host: 'a.example.org', sender: 'pb@example.org' });
    expect(store.getSmtp('relay').host).toBe('a.example.org');
    const other = openSync({ database: join(dir, 'host.db') });
    await other.updateSmtp('relay', { host: 'b.example.org' });
    // Within the interval the cached configuration is served without a query.
    expect(store.getSmtp('relay').host).toBe('a.example.org');
    store.invalidate();
    expect(store.getSmtp('relay')).toMatchObject({ host: 'b.example.org', revision: 2 });
    // Writes through this connection are seen at once whatever the interval.
    await openSync().updateSmtp('relay', { host: 'c.example.org' });
    expect(store.getSmtp('relay').host).toBe('c.example.org');
  });

  test('rejects an externalCheckMs that is not a number ≥ 0', () => {
    expect(() => openSync({ externalCheckMs: -1 })).toThrow(
      expect.objectContaining({ code: 'PB_NOTIFY_INVALID_CONFIG', message: expect.stringContaining('externalCheckMs') }),
    );
  });
});
