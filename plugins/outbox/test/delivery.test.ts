import { once } from 'node:events';
import Database from 'better-sqlite3';
import {
  Outbox,
  OutboxError,
  PermanentDeliveryError,
  RetryableDeliveryError,
  type OutboxMessage,
  type OutboxOptions,
} from '../src';
import { deferred, recordingLogger } from './support/helpers';

interface Mail {
  to: string;
  n?: number;
}

const fast = { initialMs: 5, factor: 2, maxMs: 100, jitter: 0, maxAttempts: 5 };

describe('Outbox delivery', () => {
  let db: Database.Database;
  let outbox: Outbox;
  const logger = recordingLogger();

  function make(options: Partial<OutboxOptions> = {}): Outbox {
    outbox = new Outbox({ database: db, backoff: fast, logger, ...options });
    return outbox;
  }

  beforeEach(() => {
    db = new Database(':memory:');
    logger.lines.length = 0;
  });

  afterEach(async () => {
    await outbox?.close();
    db.close();
  });

  it('delivers an enqueued message once under its stable id and records the attempt', async () => {
    make();
    const seen: OutboxMessage<Mail>[] = [];
    outbox.register<Mail>('smtp', (msg) => {
      seen.push(msg);
      return { detail: '250 queued', statusCode: 250 };
    });
    const msg = outbox.enqueue<Mail>('smtp', { to: 'a@example.org' }, { meta: { rule: 'r1' } });
    expect(msg).toMatchObject({ channel: 'smtp', state: 'pending', attempts: 0, payload: { to: 'a@example.org' }, meta: { rule: 'r1' } });
    expect(msg.id).toMatch(/^[0-9a-f-]{36}$/);

    await outbox.drain();

    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ id: msg.id, state: 'delivering', attempts: 1, payload: { to: 'a@example.org' } });
    expect(outbox.get(msg.id)).toMatchObject({ state: 'delivered', attempts: 1, lastStatusCode: 250 });
    expect(outbox.get(msg.id)?.deliveredAt).toBeInstanceOf(Date);
    expect(outbox.attempts(msg.id)).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'delivered', statusCode: 250, detail: '250 queued' }),
    ]);
  });

  it('starts delivering as soon as a message is enqueued, without waiting for the poll interval', async () => {
    make({ pollIntervalMs: 60_000 });
    outbox.register('smtp', () => undefined);
    outbox.start();
    await outbox.drain(); // the first poll has run; the next one is a minute away
    const msg = outbox.enqueue('smtp', { to: 'b@example.org' });
    const [delivered] = await once(outbox, 'delivered');
    expect((delivered as OutboxMessage).id).toBe(msg.id);
  });

  it('retries a retryable failure with exponential backoff, then delivers', async () => {
    make();
    let calls = 0;
    outbox.register('smtp', () => {
      calls += 1;
      if (calls <= 2) throw new RetryableDeliveryError('451 try later', { statusCode: 451 });
    });
    const retries: number[] = [];
    outbox.on('retry', (m, info) => {
      expect(m.state).toBe('pending');
      retries.push(info.delayMs);
    });
    const msg = outbox.enqueue('smtp', { to: 'c@example.org' });
    outbox.start();
    await outbox.drain({ includeScheduled: true });

    expect(retries).toEqual([5, 10]);
    expect(outbox.get(msg.id)).toMatchObject({ state: 'delivered', attempts: 3 });
    expect(outbox.get(msg.id)?.lastError).toBeUndefined();
    const attempts = outbox.attempts(msg.id);
    expect(attempts.map((a) => [a.attempt, a.outcome, a.statusCode, a.error])).toEqual([
      [1, 'retry', 451, '451 try later'],
      [2, 'retry', 451, '451 try later'],
      [3, 'delivered', undefined, undefined],
    ]);
    expect(attempts[0].nextAttemptAt?.getTime()).toBe(attempts[0].finishedAt.getTime() + 5);
    expect(attempts[1].startedAt.getTime()).toBeGreaterThanOrEqual(attempts[0].finishedAt.getTime() + 5);
  });

  it('treats any other thrown error or rejection as retryable', async () => {
    make();
    let calls = 0;
    outbox.register('http', async () => {
      calls += 1;
      if (calls === 1) throw new Error('ECONNREFUSED');
      if (calls === 2) return Promise.reject('a bare string');
      return undefined;
    });
    const msg = outbox.enqueue('http', {});
    await outbox.drain({ includeScheduled: true });
    expect(outbox.attempts(msg.id).map((a) => [a.outcome, a.error])).toEqual([
      ['retry', 'ECONNREFUSED'],
      ['retry', 'a bare string'],
      ['delivered', undefined],
    ]);
  });

  it('dead-letters a permanent failure at once, and retry(id) delivers it', async () => {
    make();
    let accept = false;
    outbox.register('smtp', () => {
      if (!accept) throw new PermanentDeliveryError('550 mailbox unknown', { statusCode: 550 });
      return { statusCode: 250 };
    });
    const msg = outbox.enqueue('smtp', { to: 'nobody@example.org' });
    outbox.start();
    const [dead, info] = await once(outbox, 'dead');
    expect(dead).toMatchObject({ id: msg.id, state: 'dead', lastError: '550 mailbox unknown', lastStatusCode: 550 });
    expect(info).toMatchObject({ attempt: 1, reason: 'permanent', statusCode: 550 });
    expect(outbox.list({ state: 'dead' }).map((m) => m.id)).toEqual([msg.id]);
    expect(outbox.counts()).toEqual({ pending: 0, delivering: 0, delivered: 0, dead: 1 });

    accept = true;
    const revived = outbox.retry(msg.id);
    expect(revived).toMatchObject({ state: 'pending', attempts: 0 });
    const [delivered] = await once(outbox, 'delivered');
    expect(delivered).toMatchObject({ id: msg.id, state: 'delivered', attempts: 1 });
    expect(outbox.attempts(msg.id).map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'dead'],
      [1, 'delivered'],
    ]);
    expect(outbox.list({ state: 'dead' })).toEqual([]);
    expect(outbox.counts()).toEqual({ pending: 0, delivering: 0, delivered: 1, dead: 0 });
    expect(() => outbox.list({ state: 'lost' as 'dead' })).toThrow(
      expect.objectContaining({ code: 'PB_OUTBOX_INVALID_OPTIONS', message: expect.stringContaining('"lost"') }),
    );
  });

  it('dead-letters after maxAttempts retryable failures', async () => {
    make({ backoff: { ...fast, maxAttempts: 3 } });
    outbox.register('smtp', () => {
      throw new RetryableDeliveryError('421 busy', { statusCode: 421 });
    });
    const msg = outbox.enqueue('smtp', {});
    outbox.start();
    const [, info] = await once(outbox, 'dead');
    expect(info).toMatchObject({ attempt: 3, reason: 'max-attempts', statusCode: 421 });
    expect(outbox.attempts(msg.id).map((a) => a.outcome)).toEqual(['retry', 'retry', 'dead']);
    expect(logger.lines.some((l) => l.level === 'warn' && l.obj.code === 'PB_OUTBOX_DEAD' && l.msg.includes(msg.id))).toBe(true);
  });

  it('honours retryAfterMs from the receiver instead of the backoff schedule', async () => {
    make({ backoff: { initialMs: 60_000, maxMs: 60_000, jitter: 0 } });
    let calls = 0;
    outbox.register('http', () => {
      calls += 1;
      if (calls === 1) throw new RetryableDeliveryError('429 slow down', { statusCode: 429, retryAfterMs: 40 });
    });
    const msg = outbox.enqueue('http', {});
    outbox.start();
    const [, retry] = await once(outbox, 'retry');
    expect(retry).toMatchObject({ delayMs: 40, statusCode: 429, reason: 'failed' });
    await once(outbox, 'delivered');
    const [first, second] = outbox.attempts(msg.id);
    expect(first.nextAttemptAt?.getTime()).toBe(first.finishedAt.getTime() + 40);
    expect(second.startedAt.getTime()).toBeGreaterThanOrEqual(first.finishedAt.getTime() + 40);
    expect(second.outcome).toBe('delivered');
  });

  it('never runs more deliveries at once than the concurrency bound', async () => {
    make({ concurrency: 3 });
    let active = 0;
    let peak = 0;
    outbox.register('smtp', async () => {
      active += 1;
      peak = Math.max(peak, active);
      // Simulated network latency, so deliveries overlap.
      await new Promise((r) => setTimeout(r, 5));
      active -= 1;
    });
    const ids = db.transaction(() => Array.from({ length: 15 }, (_, n) => outbox.enqueue('smtp', { n }).id))();
    const delivered = new Set<string>();
    outbox.on('delivered', (m) => delivered.add(m.id));
    outbox.start();
    await outbox.drain();
    expect(peak).toBe(3);
    expect([...delivered].sort()).toEqual([...ids].sort());
  });

  it('keeps messages of a channel without deliverer pending, logs a clear error, and delivers once one registers', async () => {
    make();
    const msg = outbox.enqueue('sms', { body: 'code 1234' });
    outbox.start();
    const [info] = await once(outbox, 'unroutable');
    expect(info).toEqual({ channel: 'sms', count: 1 });
    const line = logger.lines.find((l) => l.obj.code === 'PB_OUTBOX_UNKNOWN_CHANNEL');
    expect(line?.level).toBe('error');
    expect(line?.msg).toContain('"sms"');
    expect(line?.msg).toContain('outbox.register("sms"');
    await outbox.drain(); // does not wait for a channel nobody can deliver
    expect(outbox.get(msg.id)).toMatchObject({ state: 'pending', attempts: 0 });

    outbox.register('sms', () => undefined);
    const [delivered] = await once(outbox, 'delivered');
    expect((delivered as OutboxMessage).id).toBe(msg.id);
  });

  it('returns the stored message when the same dedupeKey is enqueued again on a channel', async () => {
    make();
    const first = outbox.enqueue('smtp', { v: 1 }, { dedupeKey: 'welcome:42' });
    const again = outbox.enqueue('smtp', { v: 2 }, { dedupeKey: 'welcome:42' });
    const other = outbox.enqueue('sms', { v: 3 }, { dedupeKey: 'welcome:42' });
    expect(again).toMatchObject({ id: first.id, payload: { v: 1 }, dedupeKey: 'welcome:42' });
    expect(other.id).not.toBe(first.id);
    expect(outbox.counts().pending).toBe(2);
  });

  it('holds a delayed message back until its time', async () => {
    make();
    const delivered: number[] = [];
    outbox.register('smtp', () => {
      delivered.push(Date.now());
    });
    const msg = outbox.enqueue('smtp', {}, { delayMs: 40 });
    await outbox.drain();
    expect(delivered).toEqual([]);
    expect(outbox.get(msg.id)?.nextAttemptAt?.getTime()).toBe(msg.createdAt.getTime() + 40);
    await outbox.drain({ includeScheduled: true });
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toBeGreaterThanOrEqual(msg.createdAt.getTime() + 40);
  });

  it('enqueues inside the host transaction: a rollback leaves nothing to deliver', async () => {
    make();
    db.exec('CREATE TABLE accounts (name TEXT)');
    const seen: unknown[] = [];
    outbox.register('smtp', (m) => {
      seen.push(m.payload);
    });
    outbox.start();
    const create = db.transaction((name: string, fail: boolean) => {
      db.prepare('INSERT INTO accounts (name) VALUES (?)').run(name);
      outbox.enqueue('smtp', { welcome: name });
      if (fail) throw new Error('validation failed');
    });
    expect(() => create('bad', true)).toThrow('validation failed');
    create('good', false);
    await outbox.drain();
    expect(seen).toEqual([{ welcome: 'good' }]);
    expect(outbox.counts()).toEqual({ pending: 0, delivering: 0, delivered: 1, dead: 0 });
  });

  it('aborts an attempt that exceeds attemptTimeoutMs and retries it', async () => {
    make({ attemptTimeoutMs: 30, leaseMs: 5000 });
    const signals: AbortSignal[] = [];
    outbox.register('http', (_m, signal) => {
      signals.push(signal);
      if (signals.length === 1) return new Promise<void>(() => undefined); // ignores its signal
      return undefined;
    });
    const msg = outbox.enqueue('http', {});
    outbox.start();
    const [, retry] = await once(outbox, 'retry');
    expect(retry.reason).toBe('timeout');
    expect(retry.error).toMatchObject({ code: 'PB_OUTBOX_ATTEMPT_TIMEOUT' });
    expect(signals[0].aborted).toBe(true);
    await once(outbox, 'delivered');
    expect(outbox.attempts(msg.id).map((a) => a.outcome)).toEqual(['retry', 'delivered']);
  });

  it('stop() waits for deliveries in flight', async () => {
    make();
    const gate = deferred();
    const started = deferred();
    outbox.register('smtp', async () => {
      started.resolve();
      await gate.promise;
    });
    const msg = outbox.enqueue('smtp', {});
    outbox.start();
    await started.promise;
    const stopping = outbox.stop();
    gate.resolve();
    await stopping;
    expect(outbox.get(msg.id)?.state).toBe('delivered');
    expect(outbox.isRunning).toBe(false);
  });

  it('stop() aborts deliveries that outlast its timeout and leaves them pending for the next start', async () => {
    make();
    const started = deferred<AbortSignal>();
    let calls = 0;
    outbox.register('smtp', (_m, signal) => {
      calls += 1;
      if (calls > 1) return undefined;
      started.resolve(signal);
      return new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    });
    const msg = outbox.enqueue('smtp', {});
    outbox.start();
    const signal = await started.promise;
    await outbox.stop({ timeoutMs: 20 });
    expect(signal.aborted).toBe(true);
    expect(outbox.get(msg.id)).toMatchObject({ state: 'pending', attempts: 1 });
    expect(outbox.attempts(msg.id)).toEqual([expect.objectContaining({ outcome: 'retry', error: expect.stringContaining('stopped') })]);

    outbox.start();
    await outbox.drain();
    expect(outbox.get(msg.id)).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('keeps delivering when an event listener throws', async () => {
    make();
    outbox.register('smtp', () => undefined);
    outbox.on('delivered', () => {
      throw new Error('listener bug');
    });
    outbox.enqueue('smtp', {});
    outbox.enqueue('smtp', {});
    await outbox.drain();
    expect(outbox.counts().delivered).toBe(2);
    expect(logger.lines.filter((l) => l.obj.code === 'PB_OUTBOX_LISTENER')).toHaveLength(2);
  });

  it('lists by state and channel, newest first, and purges delivered messages', async () => {
    make();
    outbox.register('smtp', () => undefined);
    const a = outbox.enqueue('smtp', { n: 1 });
    const b = outbox.enqueue('smtp', { n: 2 });
    await outbox.drain();
    const c = outbox.enqueue('sms', { n: 3 });
    expect(outbox.list().map((m) => m.id)).toEqual([c.id, b.id, a.id]);
    expect(outbox.list({ state: 'delivered', limit: 1 }).map((m) => m.id)).toEqual([b.id]);
    expect(outbox.list({ state: 'delivered', offset: 1 }).map((m) => m.id)).toEqual([a.id]);
    expect(outbox.list({ channel: 'sms' }).map((m) => m.id)).toEqual([c.id]);
    expect(outbox.purge({ olderThanMs: 60_000 })).toBe(0);
    expect(outbox.purge()).toBe(2);
    expect(outbox.attempts(a.id)).toEqual([]);
    expect(outbox.list().map((m) => m.id)).toEqual([c.id]);
  });

  it('rejects bad input with coded errors that say what to do', async () => {
    make();
    outbox.register('smtp', () => undefined);
    const code = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (e) {
        return e instanceof OutboxError ? e.code : 'not an OutboxError';
      }
      return undefined;
    };
    expect(code(() => outbox.register('smtp', () => undefined))).toBe('PB_OUTBOX_DUPLICATE_CHANNEL');
    expect(code(() => outbox.enqueue('smtp', { n: 1n }))).toBe('PB_OUTBOX_INVALID_PAYLOAD');
    expect(code(() => outbox.enqueue('smtp', undefined))).toBe('PB_OUTBOX_INVALID_PAYLOAD');
    expect(code(() => outbox.enqueue('', {}))).toBe('PB_OUTBOX_INVALID_OPTIONS');
    expect(code(() => outbox.enqueue('smtp', {}, { delayMs: -1 }))).toBe('PB_OUTBOX_INVALID_OPTIONS');
    expect(code(() => outbox.retry('no-such-id'))).toBe('PB_OUTBOX_UNKNOWN_MESSAGE');
    expect(code(() => new Outbox({ database: db, attemptTimeoutMs: 1000, leaseMs: 500 }))).toBe('PB_OUTBOX_INVALID_OPTIONS');
    expect(code(() => new Outbox({ database: db, concurrency: 0 }))).toBe('PB_OUTBOX_INVALID_OPTIONS');
    const msg = outbox.enqueue('smtp', {});
    await outbox.drain();
    expect(code(() => outbox.retry(msg.id))).toBe('PB_OUTBOX_NOT_RETRYABLE');
    await outbox.close();
    expect(code(() => outbox.enqueue('smtp', {}))).toBe('PB_OUTBOX_CLOSED');
    await expect(outbox.drain()).rejects.toMatchObject({ code: 'PB_OUTBOX_CLOSED' });
    expect(db.open).toBe(true); // the host's database is the host's to close
  });

  it('unregistering a channel stops its deliveries and leaves its messages pending', async () => {
    make();
    const off = outbox.register('smtp', () => undefined);
    off();
    expect(outbox.channels()).toEqual([]);
    const msg = outbox.enqueue('smtp', {});
    await outbox.drain();
    expect(outbox.get(msg.id)?.state).toBe('pending');
  });
});
