import { join } from 'node:path';
import { openOutbox, PermanentDeliveryError, RetryableDeliveryError, type DurableOutbox, type Outbox, type PgOutbox } from '../src';
import { recordingLogger, tempDir } from './support/helpers';
import { pgDatabase } from './support/pg';

type AnyOutbox = Outbox | PgOutbox;
// Both satisfy the interface the plugins and the host are written against.
const asDurable = (o: AnyOutbox): DurableOutbox => o;

/** Opens an outbox of one dialect on a fresh store; `cleanup` closes it and drops the store. */
type Factory = () => Promise<{ outbox: AnyOutbox; cleanup: () => Promise<void> }>;

const sqlite: Factory = async () => {
  const { dir, cleanup } = tempDir();
  const outbox = await openOutbox({ database: join(dir, 'outbox.db'), logger: recordingLogger(), backoff: { initialMs: 5, jitter: 0, maxAttempts: 3 } });
  return { outbox, cleanup: async () => (await outbox.close(), cleanup()) };
};

const postgres: Factory = async () => {
  const pg = await pgDatabase();
  const outbox = await openOutbox({ database: pg.url() as `postgres://${string}`, logger: recordingLogger(), backoff: { initialMs: 5, jitter: 0, maxAttempts: 3 } });
  return { outbox, cleanup: async () => (await outbox.close(), await pg.drop()) };
};

describe.each([
  ['SQLite', sqlite],
  ['PostgreSQL', postgres],
])('Outbox on %s', (_name, factory) => {
  let outbox: AnyOutbox;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    cleanup = async () => undefined; // a failed open must not clean up the previous test twice
    ({ outbox, cleanup } = await factory());
  });
  afterEach(async () => cleanup());

  it('delivers an enqueued message once and records the delivered attempt', async () => {
    const got: unknown[] = [];
    outbox.register('smtp', (m) => void got.push(m.payload));
    const m = await outbox.enqueue('smtp', { to: 'a@example.org' }, { meta: { ruleId: '7' } });
    await outbox.drain();
    expect(got).toEqual([{ to: 'a@example.org' }]);
    expect(await outbox.get(m.id)).toMatchObject({ state: 'delivered', attempts: 1, meta: { ruleId: '7' } });
    expect(await outbox.attempts(m.id)).toEqual([expect.objectContaining({ attempt: 1, outcome: 'delivered' })]);
    expect(await outbox.counts()).toEqual({ pending: 0, delivering: 0, delivered: 1, dead: 0 });
  });

  it('retries a retryable failure with backoff, then delivers, keeping every attempt', async () => {
    let calls = 0;
    outbox.register('smtp', () => {
      calls += 1;
      if (calls === 1) throw new RetryableDeliveryError('421 try later', { statusCode: 421 });
    });
    const retried = new Promise((resolve) => outbox.once('retry', (_m, info) => resolve(info)));
    const m = await outbox.enqueue('smtp', { to: 'b' });
    await outbox.drain({ includeScheduled: true });
    expect(await retried).toMatchObject({ attempt: 1, statusCode: 421, reason: 'failed' });
    expect((await outbox.attempts(m.id)).map((a) => [a.outcome, a.statusCode])).toEqual([['retry', 421], ['delivered', undefined]]);
  });

  it('dead-letters a permanent failure, and retry(id) brings it back to be delivered', async () => {
    let fail = true;
    outbox.register('smtp', () => {
      if (fail) throw new PermanentDeliveryError('550 no such user', { statusCode: 550 });
    });
    const dead = new Promise((resolve) => outbox.once('dead', (msg, info) => resolve([msg.state, info.reason])));
    const m = await outbox.enqueue('smtp', { to: 'c' });
    await outbox.drain();
    expect(await dead).toEqual(['dead', 'permanent']);
    expect(await outbox.list({ state: 'dead' })).toEqual([expect.objectContaining({ id: m.id, lastStatusCode: 550 })]);
    fail = false;
    expect(await outbox.retry(m.id)).toMatchObject({ state: 'pending', attempts: 0 });
    await outbox.drain();
    expect((await outbox.attempts(m.id)).map((a) => a.outcome)).toEqual(['dead', 'delivered']);
  });

  it('dead-letters after the last attempt', async () => {
    outbox.register('smtp', () => {
      throw new Error('connection refused');
    });
    const m = await outbox.enqueue('smtp', { to: 'd' });
    await outbox.drain({ includeScheduled: true });
    expect(await outbox.get(m.id)).toMatchObject({ state: 'dead', attempts: 3, lastError: 'connection refused' });
  });

  it('returns the stored message for a repeated dedupe key instead of queuing it twice', async () => {
    const a = await outbox.enqueue('smtp', { n: 1 }, { dedupeKey: 'welcome:1' });
    const b = await outbox.enqueue('smtp', { n: 2 }, { dedupeKey: 'welcome:1' });
    expect(b).toMatchObject({ id: a.id, payload: { n: 1 } });
    expect(await outbox.counts()).toMatchObject({ pending: 1 });
  });

  it('holds a delayed message until it is due', async () => {
    const delivered: number[] = [];
    outbox.register('smtp', () => void delivered.push(Date.now()));
    const before = Date.now();
    await outbox.enqueue('smtp', {}, { delayMs: 150 });
    await outbox.drain();
    expect(delivered).toEqual([]);
    await outbox.drain({ includeScheduled: true });
    expect(delivered[0] - before).toBeGreaterThanOrEqual(150);
  });

  it('puts attempts in flight back as pending when stopped after the time limit', async () => {
    outbox.register('smtp', (_m, signal) => new Promise((_r, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))));
    outbox.start();
    const m = await outbox.enqueue('smtp', {});
    await waitForState(outbox, m.id, 'delivering');
    await outbox.stop({ timeoutMs: 50 });
    expect(await outbox.get(m.id)).toMatchObject({ state: 'pending', attempts: 1 });
  });

  it('stores every message of enqueueAll or none: a bad one leaves none behind', async () => {
    const durable = asDurable(outbox);
    const stored = await durable.enqueueAll([{ channel: 'smtp', payload: { n: 1 } }, { channel: 'sms', payload: { n: 2 }, options: { dedupeKey: 'k' } }]);
    expect(stored.map((m) => [m.channel, m.state])).toEqual([['smtp', 'pending'], ['sms', 'pending']]);
    expect((await durable.enqueueAll([{ channel: 'sms', payload: { n: 3 }, options: { dedupeKey: 'k' } }]))[0]?.id).toBe(stored[1]?.id);
    await expect(Promise.resolve().then(() => durable.enqueueAll([{ channel: 'smtp', payload: { n: 4 } }, { channel: 'smtp', payload: () => 1 }]))).rejects.toMatchObject({ code: 'PB_OUTBOX_INVALID_PAYLOAD' });
    expect((await durable.counts()).pending).toBe(2);
  });

  it('finds the messages a rule queued by their meta, newest first', async () => {
    const durable = asDurable(outbox);
    const a = await durable.enqueue('smtp', { n: 1 }, { meta: { ruleId: '7' } });
    await durable.enqueue('smtp', { n: 2 }, { meta: { ruleId: '8' } });
    const c = await durable.enqueue('smtp', { n: 3 }, { meta: { ruleId: '7', trigger: 'x' } });
    expect((await durable.messagesByMeta('ruleId', '7')).map((m) => m.id)).toEqual([c.id, a.id]);
    expect(await durable.messagesByMeta('ruleId', '9')).toEqual([]);
  });

  it('purges delivered and, when asked, dead messages with their attempts, never active ones', async () => {
    outbox.register('smtp', (m) => {
      if ((m.payload as { fail?: boolean }).fail === true) throw new PermanentDeliveryError('550 no such user', { statusCode: 550 });
    });
    outbox.start();
    const ok = await outbox.enqueue('smtp', { fail: false });
    const bad = await outbox.enqueue('smtp', { fail: true });
    await outbox.drain();
    await outbox.stop();
    const later = await outbox.enqueue('smtp', { fail: false });
    expect(await outbox.purge()).toBe(1);
    expect(await outbox.get(ok.id)).toBeUndefined();
    expect(await outbox.attempts(ok.id)).toEqual([]);
    expect(await outbox.purge({ states: ['dead'] })).toBe(1);
    expect(await outbox.get(bad.id)).toBeUndefined();
    expect(await outbox.get(later.id)).toMatchObject({ state: 'pending' });
    await expect(Promise.resolve().then(() => outbox.purge({ states: ['pending' as 'dead'] }))).rejects.toMatchObject({ code: 'PB_OUTBOX_INVALID_OPTIONS' });
  });

  it('refuses an unknown list state or a bad limit with the same code, and purges nothing when no state is named', async () => {
    await outbox.enqueue('smtp', {});
    const call = <T>(fn: () => T) => Promise.resolve().then(fn);
    await expect(call(() => outbox.list({ state: 'lost' as 'dead' }))).rejects.toMatchObject({ code: 'PB_OUTBOX_INVALID_OPTIONS' });
    await expect(call(() => outbox.list({ limit: -1 }))).rejects.toMatchObject({ code: 'PB_OUTBOX_INVALID_OPTIONS' });
    expect(await outbox.purge({ states: [] })).toBe(0);
    expect((await outbox.counts()).pending).toBe(1);
  });

  it('reports due messages of a channel without a deliverer with the unroutable event, and keeps them', async () => {
    outbox.register('smtp', () => undefined);
    const reported = new Promise((resolve) => outbox.once('unroutable', (info) => resolve(info)));
    outbox.start();
    const m = await outbox.enqueue('sms', { to: '+49' });
    expect(await reported).toEqual({ channel: 'sms', count: 1 });
    expect(await outbox.get(m.id)).toMatchObject({ state: 'pending' });
  });
});

/** Bounded wait for a message's state (the loop runs on its own schedule). */
async function waitForState(outbox: AnyOutbox, id: string, state: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if ((await outbox.get(id))?.state === state) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`message ${id} never became ${state}`);
}
