import { SqlDatabase } from '@plugboard/sql';
import { join } from 'node:path';
import { pgDatabase } from '../../test/support/pg-database';
import { Database } from '../src/db';
import { SqlExtensionStore } from '../src/extension-store';
import { HOST_MIGRATIONS } from '../src/migrations';
import { finishLegacy } from '../src/store/legacy-migrations';
import { tempDir } from './helpers';

describe('SqlExtensionStore', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('adopts the extensions table of a host file migrated and written by the old code, losing nothing', async () => {
    const file = join(tmp.dir, 'old.sqlite');
    const old = await Database.open(file, { checkpoints: 'sqlite', url: '' });
    finishLegacy(old.sql, 'host', HOST_MIGRATIONS);
    // What the hand-written SQLite store wrote before.
    const write = old.sql.prepare('INSERT INTO extensions (name, enabled, reason, updated_at) VALUES (?, ?, ?, ?)');
    write.run('audit-log', 0, 'too many failures', '2026-01-01T00:00:00.000Z');
    write.run('quota', 1, null, '2026-01-01T00:00:00.000Z');
    await old.close();

    const db = await Database.open(file, { checkpoints: 'sqlite', url: '' });
    try {
      const store = SqlExtensionStore.openSync(SqlDatabase.sqlite(db.sql));
      expect([await store.load('audit-log'), await store.reason('audit-log'), await store.load('quota'), await store.load('never-saved')]).toEqual([false, 'too many failures', true, undefined]);
      await store.save('quota', false, 'disabled by an administrator');
      expect(db.sql.prepare('SELECT enabled, reason FROM extensions WHERE name = ?').get('quota')).toEqual({ enabled: 0, reason: 'disabled by an administrator' });
    } finally {
      await db.close();
    }
  });

  it('on PostgreSQL, keeps the states and announces each saved one to the other connections once committed', async () => {
    const pg = await pgDatabase('ext-store');
    const here = await SqlDatabase.open(pg.url('here'));
    const there = await SqlDatabase.open(pg.url('there'));
    try {
      const store = await SqlExtensionStore.open(here);
      const other = await SqlExtensionStore.open(there);
      let hear: (name: string | undefined) => void = () => undefined;
      const heard = new Promise<string | undefined>((resolve) => (hear = resolve));
      await other.follow((name) => hear(name));
      await store.save('counter', false, 'tired');
      expect(await heard).toBe('counter');
      expect([await other.load('counter'), await other.reason('counter')]).toEqual([false, 'tired']);
      await store.save('counter', true);
      expect([await other.load('counter'), await other.reason('counter')]).toEqual([true, undefined]);
    } finally {
      await here.close();
      await there.close();
      await pg.drop();
    }
  });
});
