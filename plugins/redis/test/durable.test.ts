import { defineHooks, HookBus, notifyAsync } from '@plugboard/core';
import { RedisEventBridge, type DurableEvent, type DurableOptions } from '@plugboard/redis';
import { deferred, deleteKeys, rawClient, recordingLogger, uniqueId, waitFor } from './support/redis';

interface Account {
  id: number;
  email: string;
}

const hooks = defineHooks({
  AccountCreated: notifyAsync<[account: Account]>(),
});

/** Fast timings so redelivery happens within a test. */
const fast: Partial<DurableOptions> = { blockMs: 100, claimIdleMs: 250, claimIntervalMs: 50, allowVolatile: true };

describe('durable mode on Redis Streams', () => {
  const raw = rawClient();
  const closers: { close(o?: { graceMs?: number }): Promise<void> }[] = [];
  let prefix: string;
  let moduleId: string;

  beforeEach(() => {
    moduleId = uniqueId('dur');
    prefix = `${moduleId}:stream/`;
  });
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c.close({ graceMs: 0 })));
    await deleteKeys(raw, prefix);
  });
  afterAll(async () => {
    await raw.quit();
  });

  function consumer(name: string, extra: Partial<DurableOptions> = {}, logger = recordingLogger()): RedisEventBridge {
    const b = new RedisEventBridge({
      moduleId: `${moduleId}-${name}`,
      subscribe: false,
      logger,
      durable: { group: 'workers', consumer: name, streamPrefix: prefix, ...fast, ...extra },
    });
    closers.push(b);
    return b;
  }

  async function publisher(): Promise<RedisEventBridge> {
    const p = new RedisEventBridge({ moduleId, subscribe: false, logger: recordingLogger(), durable: { streamPrefix: prefix, allowVolatile: true } });
    closers.push(p);
    await p.start();
    return p;
  }

  async function pending(stream: string): Promise<number> {
    const summary = (await raw.xpending(stream, 'workers')) as [number, ...unknown[]];
    return summary[0];
  }

  it('stores a durable publish in the event stream and also PUBLISHes it on the module channel', async () => {
    const p = await publisher();
    const { id } = await p.publish('account-created', { id: 1 }, { durable: true });
    expect(id).toMatch(/^\d+-\d+$/);
    const entries = await raw.xrange(`${prefix}account-created`, '-', '+');
    expect(entries).toEqual([[id, ['source', `module/${moduleId}`, 'name', 'account-created', 'payload', '{"id":1}', 'origin', p.instanceId]]]);
  });

  it('delivers at least once: an entry left unacknowledged by a consumer that died is claimed by another with the same id', async () => {
    const p = await publisher();
    const a = consumer('a');
    const gotA = deferred<DurableEvent>();
    await a.consume('account-created', async (e, ctx) => {
      gotA.resolve(e);
      // Never finishes on its own: the consumer dies with the entry in hand.
      await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('killed'))));
    });
    await a.start();
    const { id } = await p.publish('account-created', { id: 42 }, { durable: true });
    const first = await gotA.promise;
    expect(first).toMatchObject({ id, deliveries: 1, name: 'account-created', source: `module/${moduleId}`, payload: { id: 42 }, own: false });
    await a.close({ graceMs: 0 });
    const stream = `${prefix}account-created`;
    expect(await raw.xpending(stream, 'workers', '-', '+', 10, 'a')).toHaveLength(1);

    const b = consumer('b');
    const gotB = deferred<DurableEvent>();
    await b.consume('account-created', (e) => gotB.resolve(e));
    await b.start();
    const second = await gotB.promise;
    expect(second).toMatchObject({ id, deliveries: 2, payload: { id: 42 } });
    // Redis drops the entry from the pending list before the XACK reply reaches the consumer,
    // which counts it only then: wait for both.
    await waitFor(async () => (await pending(stream)) === 0 && b.stats().durable?.acked === 1, 'the entry to be acknowledged');
    expect(b.stats().durable).toMatchObject({ acked: 1, claimed: 1 });
  });

  it('leaves an entry pending when its handler fails and retries it with the same id', async () => {
    const p = await publisher();
    const c = consumer('c');
    const attempts: DurableEvent[] = [];
    const done = deferred();
    await c.consume('mailbox-created', (e) => {
      attempts.push(e);
      if (attempts.length === 1) throw new Error('transient');
      done.resolve();
    });
    await c.start();
    const { id } = await p.publish('mailbox-created', { mailbox: 'a@example.org' }, { durable: true });
    await done.promise;
    expect(attempts.map((e) => [e.id, e.deliveries])).toEqual([
      [id, 1],
      [id, 2],
    ]);
    await waitFor(async () => (await pending(`${prefix}mailbox-created`)) === 0, 'the retried entry to be acknowledged');
  });

  it('moves an entry that failed maxDeliveries times to the dead-letter stream and acknowledges it', async () => {
    const p = await publisher();
    const logger = recordingLogger();
    const c = consumer('d', { maxDeliveries: 2 }, logger);
    let attempts = 0;
    await c.consume('quota-exceeded', () => {
      attempts += 1;
      throw new Error('always fails');
    });
    await c.start();
    const { id } = await p.publish('quota-exceeded', { mailbox: 'a@example.org' }, { durable: true });
    const dead = `${prefix}_dead-letter`;
    await waitFor(async () => (await raw.xlen(dead)) === 1, 'the dead-letter entry');
    const [[, fields]] = (await raw.xrange(dead, '-', '+')) as [string, string[]][];
    const map = Object.fromEntries(fields.reduce<[string, string][]>((acc, v, i) => (i % 2 === 0 ? [...acc, [v, fields[i + 1] ?? '']] : acc), []));
    expect(map).toMatchObject({
      name: 'quota-exceeded',
      payload: '{"mailbox":"a@example.org"}',
      stream: `${prefix}quota-exceeded`,
      entry: id,
      group: 'workers',
      deliveries: '2',
      error: 'always fails',
    });
    expect(attempts).toBe(2);
    expect(await pending(`${prefix}quota-exceeded`)).toBe(0);
    expect(logger.entries.some((e) => e.level === 'error' && /dead-letter/.test(e.message))).toBe(true);
  });

  it('publishes a durable hook call from one bus and raises it in another bus through the consumer group, retrying a failing listener', async () => {
    const apiBus = new HookBus(hooks);
    const api = new RedisEventBridge({
      moduleId,
      bus: apiBus,
      subscribe: false,
      logger: recordingLogger(),
      durable: { streamPrefix: prefix, allowVolatile: true },
      publish: { AccountCreated: { event: 'account-created', durable: true, payload: (a) => ({ id: a.id, email: a.email }) } },
    });
    closers.push(api);
    await api.start();

    const workerBus = new HookBus(hooks, { onError: () => undefined });
    const got: Account[] = [];
    const done = deferred();
    let failOnce = true;
    workerBus.on(
      'AccountCreated',
      (a) => {
        if (failOnce) {
          failOnce = false;
          throw new Error('database busy');
        }
        got.push(a);
        done.resolve();
      },
      { extension: 'provisioner' },
    );
    const worker = new RedisEventBridge({
      moduleId: `${moduleId}-worker`,
      bus: workerBus,
      subscribe: false,
      logger: recordingLogger(),
      durable: { group: 'workers', streamPrefix: prefix, ...fast },
      raise: [{ event: 'account-created', hook: 'AccountCreated', durable: true, args: (p) => [{ id: Number(p.id), email: String(p.email) }] }],
    });
    closers.push(worker);
    await worker.start();

    await apiBus.call('AccountCreated', { id: 5, email: 'e@example.org' });
    // The hook call returned after XADD: the event is already stored.
    expect(await raw.xlen(`${prefix}account-created`)).toBe(1);
    await done.promise;
    expect(got).toEqual([{ id: 5, email: 'e@example.org' }]);
    expect(worker.stats()).toMatchObject({ raised: 2, raiseFailed: 1 });
  });

  it('gives every group each event, and one consumer of a group each entry', async () => {
    const p = await publisher();
    const seen: string[] = [];
    const twoGroups = deferred();
    for (const [group, name] of [
      ['billing', 'x1'],
      ['audit', 'y1'],
      ['audit', 'y2'],
    ] as const) {
      const b = new RedisEventBridge({ moduleId: `${moduleId}-${name}`, subscribe: false, logger: recordingLogger(), durable: { group, consumer: name, streamPrefix: prefix, ...fast } });
      closers.push(b);
      await b.consume('domain-created', (e) => {
        seen.push(`${group}:${String(e.payload.n)}`);
        if (seen.length === 6) twoGroups.resolve();
      });
      await b.start();
    }
    for (const n of [1, 2, 3]) await p.publish('domain-created', { n }, { durable: true });
    await twoGroups.promise;
    expect(seen.filter((s) => s.startsWith('billing')).sort()).toEqual(['billing:1', 'billing:2', 'billing:3']);
    expect(seen.filter((s) => s.startsWith('audit')).sort()).toEqual(['audit:1', 'audit:2', 'audit:3']);
  });

  it('recreates a consumer group that vanished with its stream and delivers the events of the new stream', async () => {
    const p = await publisher();
    const c = consumer('g', {}, recordingLogger());
    const got: number[] = [];
    let next = deferred();
    await c.consume('relay-added', (e) => {
      got.push(Number(e.payload.n));
      next.resolve();
    });
    await c.start();
    await p.publish('relay-added', { n: 1 }, { durable: true });
    await next.promise;
    next = deferred();
    await raw.del(`${prefix}relay-added`);
    await p.publish('relay-added', { n: 2 }, { durable: true });
    await next.promise;
    expect(got).toEqual([1, 2]);
  });

  it('refuses consume() without a consumer group and durable publish without durable options', async () => {
    const b = new RedisEventBridge({ moduleId, subscribe: false });
    closers.push(b);
    await expect(b.consume('x-happened', () => undefined)).rejects.toMatchObject({ code: 'PB_REDIS_CONFIG' });
    await b.start();
    await expect(b.publish('x-happened', {}, { durable: true })).rejects.toMatchObject({ code: 'PB_REDIS_CONFIG' });
  });
});
