import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { Outbox } from './outbox';
import { isCheckpointMode, WalCheckpointer, type CheckpointResult } from './wal-checkpointer';

const quiet = { warn: jest.fn(), error: jest.fn() };

describe('WalCheckpointer', () => {
  let dir: string;
  let db: Database.Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pb-ckpt-'));
    db = new Database(join(dir, 'host.db'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (n INTEGER)');
    quiet.warn.mockClear();
    quiet.error.mockClear();
  });

  afterEach(() => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies the WAL back into the database from its thread while the connection stops checkpointing itself', async () => {
    const checkpointer = WalCheckpointer.start(db, { intervalMs: 20, logger: quiet });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const insert = db.prepare('INSERT INTO t (n) VALUES (?)');
    for (let i = 0; i < 50; i++) insert.run(i);

    const complete = await new Promise<CheckpointResult>((resolve) => {
      const off = checkpointer.onCheckpoint((r) => {
        if (r.checkpointed === r.log) {
          off();
          resolve(r);
        }
      });
    });
    expect(complete.log).toBeGreaterThanOrEqual(50);

    await checkpointer.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(checkpointer.fellBack).toBe(false);
    // The rows are in the database file itself: a fresh connection reads them after the WAL is gone.
    db.close();
    const reopened = new Database(join(dir, 'host.db'), { readonly: true });
    expect(reopened.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(50);
    reopened.close();
  });

  it('gives the connection its automatic checkpoints back, and says so, when the thread dies', async () => {
    const checkpointer = WalCheckpointer.start(db, { intervalMs: 1000, logger: quiet });
    const worker = (checkpointer as unknown as { worker: Worker }).worker;
    await new Promise<void>((resolve) => worker.once('online', () => resolve()));
    await worker.terminate();

    expect(checkpointer.fellBack).toBe(true);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(quiet.error).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'PB_OUTBOX_CHECKPOINT' }),
      expect.stringContaining("SQLite's automatic checkpoints are back on"),
    );
    await checkpointer.stop(); // still resolves after the thread is gone
  });

  it('refuses an in-memory database and one not in WAL mode, naming the problem', () => {
    const memory = new Database(':memory:');
    expect(() => WalCheckpointer.start(memory)).toThrow(expect.objectContaining({ code: 'PB_OUTBOX_INVALID_OPTIONS', message: expect.stringContaining('in-memory') }));
    memory.close();
    db.pragma('journal_mode = DELETE');
    expect(() => WalCheckpointer.start(db)).toThrow(expect.objectContaining({ code: 'PB_OUTBOX_INVALID_OPTIONS', message: expect.stringContaining('not WAL') }));
    expect(() => WalCheckpointer.start(db, { intervalMs: 0 })).toThrow(expect.objectContaining({ code: 'PB_OUTBOX_INVALID_OPTIONS' }));
  });
});

describe('isCheckpointMode', () => {
  it('accepts exactly "background" and "sqlite"', () => {
    expect(['background', 'sqlite'].every(isCheckpointMode)).toBe(true);
    expect([undefined, '', 'Background', 'never', 1, null].some(isCheckpointMode)).toBe(false);
  });

  it('is what the Outbox checks its checkpoints option with, rejecting another value by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pb-ckpt-mode-'));
    try {
      expect(() => new Outbox({ database: join(dir, 'x.db'), checkpoints: 'never' as 'sqlite' })).toThrow(
        expect.objectContaining({ code: 'PB_OUTBOX_INVALID_OPTIONS', message: expect.stringContaining('checkpoints must be "background" or "sqlite" (got "never")') }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
