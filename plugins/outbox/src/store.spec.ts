import Database from 'better-sqlite3';
import { migrate } from './migrations';
import { toMessage, type MessageRow } from './message-row';
import { insertMessage } from './queries/insert';
import { messageAttempts, messageById } from './queries/lookup';
import { sqliteQueries } from './queries/on-sqlite';
import { OutboxStore } from './store';

describe('OutboxStore state transitions', () => {
  let db: Database.Database;
  let store: OutboxStore;
  const T = 1_000_000;

  beforeEach(() => {
    db = new Database(':memory:');
    migrate(db);
    store = new OutboxStore(db);
    store.setChannels(['smtp']);
  });
  afterEach(() => db.close());

  // The shared queries (queries/) put messages in and read them back; the store moves them.
  const get = (id: string): MessageRow | undefined => sqliteQueries(db).sql.runSync(messageById(sqliteQueries(db).k, id));

  function add(id: string, dueAt = T, channel = 'smtp'): MessageRow {
    const { sql, k } = sqliteQueries(db);
    expect(sql.runSync(insertMessage(k, { id, channel, payload: '{"x":1}', meta: null, dedupeKey: null, dueAt, now: T })).inserted).toBe(true);
    const row = get(id);
    if (row === undefined) throw new Error('not stored');
    return row;
  }

  function claim(row: MessageRow, now: number, owner = 'me', lease = 1000): void {
    store.claim(row.seq, now + lease, now, owner);
  }

  it('claims only due pending messages of channels with a deliverer, earliest due first', () => {
    add('late', T + 50);
    add('early', T - 10);
    add('now', T);
    add('other', T, 'sms');
    expect(store.nextDue()).toBe(T - 10);
    expect(store.unroutable(T)).toEqual([{ channel: 'sms', count: 1 }]);
    expect(store.claimPending(1, T, T + 1000, 'me').map((r) => [r.id, r.state, r.attempts, r.claimed_by, r.due_at])).toEqual([
      ['early', 'delivering', 1, 'me', T + 1000],
    ]);
    expect(store.claimPending(10, T, T + 1000, 'me').map((r) => r.id)).toEqual(['now']);
    expect(store.claimPending(10, T, T + 1000, 'me')).toEqual([]);
    expect(store.hasDue(T)).toBe(false);
    expect(store.nextDue()).toBe(T + 50);
  });

  it('claims nothing while no channel has a deliverer, and reports every channel as unroutable', () => {
    store.setChannels([]);
    add('m');
    expect(store.claimPending(10, T, T + 1000, 'me')).toEqual([]);
    expect(store.hasActive()).toBe(false);
    expect(store.unroutable(T)).toEqual([{ channel: 'smtp', count: 1 }]);
  });

  it('pending → delivering hides the message until its lease lapses, then offers it as lapsed', () => {
    add('m');
    expect(store.claimPending(10, T, T + 1000, 'me')).toHaveLength(1);
    expect(get('m')).toMatchObject({ state: 'delivering', attempts: 1, claimed_by: 'me', claimed_at: T, due_at: T + 1000 });
    expect(store.lapsed(T + 999, 10)).toEqual([]);
    expect(store.hasDue(T + 999)).toBe(false);
    expect(store.hasActive()).toBe(true);
    expect(store.lapsed(T + 1000, 10).map((r) => [r.id, r.state])).toEqual([['m', 'delivering']]);
    expect(store.claimPending(10, T + 1000, T + 2000, 'other')).toEqual([]); // lapsed claims are taken over explicitly
    store.claim(store.lapsed(T + 1000, 10)[0].seq, T + 2000, T + 1000, 'other');
    expect(get('m')).toMatchObject({ state: 'delivering', attempts: 2, claimed_by: 'other' });
  });

  it('delivering → delivered only for the current claim holder', () => {
    claim(add('m'), T, 'me');
    expect(store.markDelivered('m', 'someone-else', T + 5, 250)).toBe(false);
    expect(store.markDelivered('m', 'me', T + 5, 250)).toBe(true);
    expect(get('m')).toMatchObject({ state: 'delivered', delivered_at: T + 5, claimed_by: null, last_status_code: 250 });
    expect(store.markDelivered('m', 'me', T + 6, 250)).toBe(false);
    expect(store.hasActive()).toBe(false);
  });

  it('delivering → pending with the next due time and the error; delivering → dead', () => {
    claim(add('a'), T);
    claim(add('b'), T);
    expect(store.markPending('a', 'me', T + 500, T + 1, '451 later', 451)).toBe(true);
    expect(get('a')).toMatchObject({ state: 'pending', due_at: T + 500, last_error: '451 later', last_status_code: 451 });
    expect(store.markDead('b', null, T + 1, '550 unknown', 550)).toBe(true); // null owner: taking over a lapsed claim
    expect(get('b')).toMatchObject({ state: 'dead', last_error: '550 unknown' });
    expect(store.markDead('a', 'me', T + 2, 'x', null)).toBe(false); // only delivering messages can die
  });

  it('records attempts in order', () => {
    claim(add('m'), T);
    store.recordAttempt({ messageId: 'm', attempt: 1, startedAt: T, finishedAt: T + 3, outcome: 'retry', statusCode: 451, error: 'later', detail: null, nextAttemptAt: T + 503 });
    store.markPending('m', 'me', T + 503, T + 3, 'later', 451);
    claim(get('m') as MessageRow, T + 503);
    store.recordAttempt({ messageId: 'm', attempt: 2, startedAt: T + 503, finishedAt: T + 504, outcome: 'delivered', statusCode: 250, error: null, detail: 'ok', nextAttemptAt: null });
    store.markDelivered('m', 'me', T + 504, 250);
    expect(sqliteQueries(db).sql.runSync(messageAttempts(sqliteQueries(db).k, 'm'))).toEqual([
      { attempt: 1, startedAt: new Date(T), finishedAt: new Date(T + 3), outcome: 'retry', statusCode: 451, error: 'later', nextAttemptAt: new Date(T + 503) },
      { attempt: 2, startedAt: new Date(T + 503), finishedAt: new Date(T + 504), outcome: 'delivered', statusCode: 250, detail: 'ok' },
    ]);
  });

  it('maps rows to messages: payload and meta parsed, state-specific dates only', () => {
    const stored = add('m');
    const pending = toMessage(stored);
    expect(pending).toEqual({
      id: 'm',
      channel: 'smtp',
      payload: { x: 1 },
      state: 'pending',
      attempts: 0,
      meta: {},
      createdAt: new Date(T),
      updatedAt: new Date(T),
      nextAttemptAt: new Date(T),
    });
    claim(stored, T, 'me', 1000);
    const delivering = toMessage(get('m') as MessageRow);
    expect(delivering.leaseUntil).toEqual(new Date(T + 1000));
    expect(delivering.nextAttemptAt).toBeUndefined();
  });
});
