import { once } from 'node:events';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Outbox, PermanentDeliveryError } from '../src';
import { deferred, recordingLogger, tempDir } from './support/helpers';

describe('Outbox persistence', () => {
  let dir: string;
  let cleanup: () => void;
  const open: Outbox[] = [];

  function outboxOn(database: string | Database.Database, extra: Partial<ConstructorParameters<typeof Outbox>[0]> = {}): Outbox {
    const o = new Outbox({ database, logger: recordingLogger(), backoff: { initialMs: 5, jitter: 0 }, ...extra });
    open.push(o);
    return o;
  }

  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
  });
  afterEach(async () => {
    for (const o of open.splice(0)) await o.close();
    cleanup();
  });

  it('keeps pending messages and dead letters across closing and reopening the database', async () => {
    const file = join(dir, 'outbox.db');
    const first = outboxOn(file);
    first.register('smtp', (m) => {
      if ((m.payload as { bad?: boolean }).bad) throw new PermanentDeliveryError('550 no such user', { statusCode: 550 });
    });
    const bad = first.enqueue('smtp', { bad: true });
    await first.drain();
    const pending = ['a', 'b', 'c'].map((to) => first.enqueue('smtp', { to }));
    await first.close();
    expect(first.db.open).toBe(false); // it opened the file, so it closed it

    const second = outboxOn(file);
    expect(second.list({ state: 'pending' }).map((m) => m.id).sort()).toEqual(pending.map((m) => m.id).sort());
    expect(second.get(pending[0].id)).toMatchObject({ payload: { to: 'a' }, state: 'pending' });
    expect(second.list({ state: 'dead' })).toEqual([expect.objectContaining({ id: bad.id, lastStatusCode: 550 })]);

    const got: string[] = [];
    second.register('smtp', (m) => {
      got.push(m.id);
    });
    second.retry(bad.id);
    await second.drain();
    expect(got.sort()).toEqual([bad.id, ...pending.map((m) => m.id)].sort());
    expect(second.counts()).toEqual({ pending: 0, delivering: 0, delivered: 4, dead: 0 });
    expect(second.attempts(bad.id).map((a) => a.outcome)).toEqual(['dead', 'delivered']);
  });

  it('switches a database file it opens itself to WAL with background checkpoints, and leaves a host connection’s settings alone', () => {
    const owned = outboxOn(join(dir, 'owned.db'));
    expect(owned.db.pragma('journal_mode', { simple: true })).toBe('wal');
    // Checkpoints run in the WalCheckpointer's thread instead of inside commits.
    expect(owned.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const inCommits = outboxOn(join(dir, 'sqlite-checkpoints.db'), { checkpoints: 'sqlite' });
    expect(inCommits.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(() => outboxOn(join(dir, 'bad.db'), { checkpoints: 'never' as 'sqlite' })).toThrow(
      expect.objectContaining({ code: 'PB_OUTBOX_INVALID_OPTIONS', message: expect.stringContaining('checkpoints') }),
    );

    const hostDb = new Database(join(dir, 'host.db'));
    try {
      outboxOn(hostDb);
      expect(hostDb.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(hostDb.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    } finally {
      hostDb.close();
    }
  });

  it('takes over a message whose claim lapsed when its process lost the database', async () => {
    const file = join(dir, 'shared.db');
    const crashed = outboxOn(file, { attemptTimeoutMs: 20, leaseMs: 100 });
    const inDelivery = deferred();
    crashed.register('http', () => {
      inDelivery.resolve();
      return new Promise<void>(() => undefined);
    });
    const msg = crashed.enqueue('http', {});
    crashed.start();
    await inDelivery.promise;
    crashed.db.close(); // the process "dies": its attempt's outcome is never written

    const survivor = outboxOn(file);
    expect(survivor.get(msg.id)).toMatchObject({ state: 'delivering', attempts: 1 });
    survivor.register('http', () => undefined);
    survivor.start();
    const [retried, info] = await once(survivor, 'retry');
    expect(retried).toMatchObject({ id: msg.id });
    expect(info).toMatchObject({ reason: 'lease-expired', attempt: 1 });
    await once(survivor, 'delivered');
    expect(survivor.attempts(msg.id).map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'retry'],
      [2, 'delivered'],
    ]);
  });

  it('dead-letters a message whose claims keep lapsing once maxAttempts is used up', async () => {
    const file = join(dir, 'poison.db');
    const db = new Database(file);
    const seed = outboxOn(db, { backoff: { maxAttempts: 1 } });
    const msg = seed.enqueue('http', {});
    // A process claimed its only allowed attempt and died long ago.
    db.prepare(`UPDATE outbox_messages SET state = 'delivering', attempts = 1, claimed_at = 1, due_at = 2 WHERE id = ?`).run(msg.id);
    db.close();

    const next = outboxOn(file, { backoff: { maxAttempts: 1 } });
    next.register('http', () => undefined);
    next.start();
    const [, info] = await once(next, 'dead');
    expect(info).toMatchObject({ reason: 'max-attempts', attempt: 1 });
    expect(next.get(msg.id)?.lastError).toContain('claim lapsed');
  });
});
