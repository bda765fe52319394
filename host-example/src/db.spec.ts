import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from './db';

describe('Database.open', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pb-db-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const autocheckpoint = (db: Database): unknown => db.sql.pragma('wal_autocheckpoint', { simple: true });

  it('moves WAL checkpoints of a file database to a background thread by default', async () => {
    const db = await Database.open(join(dir, 'a', 'host.sqlite'));
    try {
      expect(db.checkpoints).toBe('background');
      expect(autocheckpoint(db)).toBe(0); // commits no longer checkpoint by themselves
    } finally {
      await db.close();
    }
  });

  it('closes after the checkpoint thread let go of the file: the WAL is folded in and removed', async () => {
    const file = join(dir, 'host.sqlite');
    const db = await Database.open(file);
    db.sql.exec('CREATE TABLE t (n INTEGER)');
    // Once the thread has checkpointed, it holds its own connection to the file.
    const checkpointed = new Promise((resolve) => db.onCheckpoint(resolve));
    db.sql.prepare('INSERT INTO t (n) VALUES (1)').run();
    await checkpointed;
    expect(existsSync(`${file}-wal`)).toBe(true);
    await db.close();
    // SQLite deletes the WAL when its last connection closes; the thread's was the last.
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('leaves checkpoints inside commits with checkpoints: "sqlite", as a one-shot command wants', async () => {
    const db = await Database.open(join(dir, 'host.sqlite'), { checkpoints: 'sqlite' });
    try {
      expect(db.checkpoints).toBe('sqlite');
      expect(autocheckpoint(db)).toBe(1000);
      db.sql.exec('CREATE TABLE t (n INTEGER)');
      db.sql.prepare('INSERT INTO t (n) VALUES (1)').run();
      expect(db.sql.prepare('SELECT COUNT(*) AS c FROM t').get()).toEqual({ c: 1 });
    } finally {
      await db.close();
    }
  });

  it('has no checkpoint thread for :memory:, which has no WAL', async () => {
    const db = await Database.open(':memory:');
    expect(db.checkpoints).toBe('sqlite');
    await db.close();
  });

  it('rejects an unknown checkpoints mode, naming it', async () => {
    await expect(Database.open(join(dir, 'x.sqlite'), { checkpoints: 'never' as 'sqlite' })).rejects.toThrow(
      expect.objectContaining({ code: 'PB_HOST_INVALID', message: expect.stringContaining('checkpoints must be "background" or "sqlite" (got "never")') }),
    );
  });
});
