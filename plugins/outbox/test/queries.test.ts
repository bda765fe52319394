import { join } from 'node:path';
import { exec, SqlDatabase } from '@plugboard/sql';
import type { Kysely } from 'kysely';
import { migrateOutbox, type OutboxState, type OutboxTables } from '../src';
import { messagesWithMeta } from '../src/queries/by-meta';
import { countMessages } from '../src/queries/counts';
import { insertMessage, insertMessages } from '../src/queries/insert';
import { listMessages } from '../src/queries/list';
import { messageAttempts, messageById } from '../src/queries/lookup';
import { purgeMessages } from '../src/queries/purge';
import { retryMessage } from '../src/queries/retry';
import { unroutableCounts } from '../src/queries/unroutable';
import { tempDir } from './support/helpers';
import { pgDatabase } from './support/pg';

// The admin queries are written once; these are the same assertions on both dialects.
type Opened = { db: SqlDatabase; done: () => Promise<void> };

const dialects: [string, () => Promise<Opened>][] = [
  [
    'SQLite',
    async () => {
      const { dir, cleanup } = tempDir();
      const db = SqlDatabase.sqlite(join(dir, 'outbox.db'));
      return { db, done: async () => (await db.close(), cleanup()) };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const pg = await pgDatabase();
      const db = await SqlDatabase.open(pg.url());
      return { db, done: async () => (await db.close(), await pg.drop()) };
    },
  ],
];

const T = 1_000_000;

describe.each(dialects)('The outbox admin queries on %s', (_name, open) => {
  let o: Opened;
  let k: Kysely<OutboxTables>;
  beforeEach(async () => {
    o = await open();
    await migrateOutbox(o.db);
    k = o.db.as<OutboxTables>();
  });
  afterEach(() => o.done());

  const add = async (id: string, o2: { channel?: string; state?: OutboxState; dueAt?: number; meta?: Record<string, string>; dedupeKey?: string; updatedAt?: number } = {}) => {
    const stored = await o.db.run(insertMessage(k, { id, channel: o2.channel ?? 'smtp', payload: '{}', meta: o2.meta ? JSON.stringify(o2.meta) : null, dedupeKey: o2.dedupeKey ?? null, dueAt: o2.dueAt ?? T, now: T }));
    if (o2.state !== undefined || o2.updatedAt !== undefined) {
      await o.db.run(exec(k.updateTable('outbox_messages').set({ state: o2.state ?? 'pending', updated_at: o2.updatedAt ?? T, attempts: o2.state === 'dead' ? 3 : 0 }).where('id', '=', id)));
    }
    return stored;
  };
  const ids = (rows: readonly { id: string }[]) => rows.map((r) => r.id);

  it('inserts once per dedupe key and id, and finds the stored message for a repeat', async () => {
    expect((await add('a', { dedupeKey: 'k' })).inserted).toBe(true);
    expect(await add('b', { dedupeKey: 'k' })).toMatchObject({ inserted: false, row: { id: 'a' } });
    expect((await add('c', { dedupeKey: 'k', channel: 'sms' })).inserted).toBe(true);
    expect(await add('a')).toMatchObject({ inserted: false, row: { id: 'a', dedupe_key: 'k' } });
    const both = await o.db.transact(insertMessages(k, [{ id: 'd', channel: 'smtp', payload: '{}', meta: null, dedupeKey: null, dueAt: T, now: T }, { id: 'e', channel: 'smtp', payload: '{}', meta: null, dedupeKey: 'k', dueAt: T, now: T }]));
    expect(both.map((s) => [s.row.id, s.inserted])).toEqual([['d', true], ['a', false]]);
    expect(await o.db.run(messageById(k, 'zzz'))).toBeUndefined();
  });

  it('lists newest first, by state and channel, with limit and offset, and refuses an unknown state or a bad limit', async () => {
    await add('a');
    await add('b', { state: 'dead' });
    await add('c', { channel: 'sms', state: 'dead' });
    await add('d', { state: 'delivered' });
    expect(ids(await o.db.run(listMessages(k, {})))).toEqual(['d', 'c', 'b', 'a']);
    expect(ids(await o.db.run(listMessages(k, { state: 'dead' })))).toEqual(['c', 'b']);
    expect(ids(await o.db.run(listMessages(k, { state: 'dead', channel: 'smtp' })))).toEqual(['b']);
    expect(ids(await o.db.run(listMessages(k, { channel: 'smtp', limit: 2, offset: 1 })))).toEqual(['b', 'a']);
    expect(await o.db.run(listMessages(k, { limit: 0 }))).toEqual([]);
    await expect(o.db.run(listMessages(k, { state: 'lost' as OutboxState }))).rejects.toMatchObject({ code: 'PB_OUTBOX_INVALID_OPTIONS' });
    await expect(o.db.run(listMessages(k, { limit: 1.5 }))).rejects.toMatchObject({ code: 'PB_OUTBOX_INVALID_OPTIONS' });
  });

  it('counts every state as numbers', async () => {
    expect(await o.db.run(countMessages(k))).toEqual({ pending: 0, delivering: 0, delivered: 0, dead: 0 });
    await add('a');
    await add('b', { state: 'delivering' });
    await add('c', { state: 'delivered' });
    await add('d', { state: 'delivered' });
    await add('e', { state: 'dead' });
    expect(await o.db.run(countMessages(k))).toEqual({ pending: 1, delivering: 1, delivered: 2, dead: 1 });
  });

  it('retries a dead message (attempts reset) or hurries a pending one, and names an unknown or unretryable message', async () => {
    await add('dead', { state: 'dead' });
    await add('later', { dueAt: T + 60_000 });
    await add('busy', { state: 'delivering' });
    expect(await o.db.transact(retryMessage(k, 'dead', T + 5))).toMatchObject({ state: 'pending', attempts: 0, due_at: T + 5, updated_at: T + 5 });
    expect(await o.db.transact(retryMessage(k, 'later', T + 6))).toMatchObject({ state: 'pending', due_at: T + 6 });
    await expect(o.db.transact(retryMessage(k, 'busy', T))).rejects.toMatchObject({ code: 'PB_OUTBOX_NOT_RETRYABLE' });
    await expect(o.db.transact(retryMessage(k, 'nope', T))).rejects.toMatchObject({ code: 'PB_OUTBOX_UNKNOWN_MESSAGE' });
  });

  it('purges delivered (and on request dead) messages up to a time, with their attempts, never active ones', async () => {
    await add('old', { state: 'delivered', updatedAt: T });
    await add('new', { state: 'delivered', updatedAt: T + 1000 });
    await add('dead', { state: 'dead', updatedAt: T });
    await add('pending');
    await o.db.run(exec(k.insertInto('outbox_attempts').values({ message_id: 'old', attempt: 1, started_at: T, finished_at: T, outcome: 'delivered', status_code: null, error: null, detail: null, next_attempt_at: null })));
    expect(await o.db.transact(purgeMessages(k, { olderThanMs: 500 }, T + 600))).toBe(1);
    expect(await o.db.run(messageAttempts(k, 'old'))).toEqual([]);
    expect(await o.db.transact(purgeMessages(k, { states: [] }, T + 5000))).toBe(0);
    expect(await o.db.transact(purgeMessages(k, { states: ['delivered', 'dead'] }, T + 5000))).toBe(2);
    expect(ids(await o.db.run(listMessages(k, {})))).toEqual(['pending']);
    expect(() => purgeMessages(k, { states: ['pending' as 'dead'] }, T)).toThrow(expect.objectContaining({ code: 'PB_OUTBOX_INVALID_OPTIONS' }));
  });

  it('finds messages by a meta value, newest first, whatever the key spells', async () => {
    await add('a', { meta: { ruleId: '7' } });
    await add('b', { meta: { ruleId: '8' } });
    await add('c', { meta: { ruleId: '7', 'odd."key': 'x' } });
    await add('d');
    expect(ids(await o.db.run(messagesWithMeta(k, o.db.dialect, 'ruleId', '7', 100)))).toEqual(['c', 'a']);
    expect(ids(await o.db.run(messagesWithMeta(k, o.db.dialect, 'ruleId', '7', 1)))).toEqual(['c']);
    expect(ids(await o.db.run(messagesWithMeta(k, o.db.dialect, 'odd."key', 'x', 100)))).toEqual(['c']);
    expect(await o.db.run(messagesWithMeta(k, o.db.dialect, 'ruleId', '9', 100))).toEqual([]);
  });

  it('counts due messages of the channels without a deliverer, by channel name', async () => {
    await add('a', { channel: 'sms' });
    await add('b', { channel: 'fax', state: 'delivering' });
    await add('c', { channel: 'sms' });
    await add('d', { channel: 'smtp' });
    await add('e', { channel: 'fax', dueAt: T + 10 });
    await add('f', { channel: 'fax', state: 'delivered' });
    expect(await o.db.run(unroutableCounts(k, ['smtp'], T))).toEqual([{ channel: 'fax', count: 1 }, { channel: 'sms', count: 2 }]);
    expect(await o.db.run(unroutableCounts(k, [], T))).toEqual([{ channel: 'fax', count: 1 }, { channel: 'sms', count: 2 }, { channel: 'smtp', count: 1 }]);
  });
});
