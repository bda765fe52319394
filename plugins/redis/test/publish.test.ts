import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { defineHooks, HookBus, notifyAsync, notify } from '@plugboard/core';
import { RedisEventBridge, RedisBridgeError, type BridgeEvent } from '@plugboard/redis';
import { deferred, rawSubscriber, recordingLogger, uniqueId } from './support/redis';

const run = promisify(execFile);

interface Account {
  id: number;
  email: string;
  password: string;
}

const hooks = defineHooks({
  AccountCreated: notifyAsync<[account: Account]>(),
  Tick: notify<[n: number]>(),
  Ping: notify<[]>(),
});

describe('publishing local hooks to module/<id>/event/<name>', () => {
  const bridges: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(bridges.splice(0).map((b) => b.close()));
  });


  it('publishes a configured async hook call as a JSON object on the module channel, with only the mapped fields', async () => {
    const moduleId = uniqueId('mail');
    const hookBus = new HookBus(hooks);
    const b = new RedisEventBridge({
      moduleId,
      bus: hookBus,
      subscribe: false,
      publish: { AccountCreated: { event: 'account-created', payload: (a) => ({ id: a.id, email: a.email }) } },
    });
    bridges.push(b);
    await b.start();
    const sub = await rawSubscriber(`module/${moduleId}/event/account-created`);
    try {
      await hookBus.call('AccountCreated', { id: 7, email: 'a@example.org', password: 'secret' });
      const { channel, message } = await sub.next();
      expect(channel).toBe(`module/${moduleId}/event/account-created`);
      expect(JSON.parse(message)).toEqual({ id: 7, email: 'a@example.org', _origin: b.instanceId, _sentAt: expect.any(Number) });
      expect(message).not.toContain('secret');
    } finally {
      await sub.close();
    }
  });

  it('publishes sync hook calls too, and leaves the origin field out when originField is false', async () => {
    const moduleId = uniqueId('tick');
    const hookBus = new HookBus(hooks);
    const b = new RedisEventBridge({
      moduleId,
      bus: hookBus,
      subscribe: false,
      originField: false,
      publish: { Tick: { event: 'clock-ticked', payload: (n) => ({ n }) } },
    });
    bridges.push(b);
    await b.start();
    const sub = await rawSubscriber(`module/${moduleId}/event/clock-ticked`);
    try {
      hookBus.call('Tick', 3);
      expect(await sub.next()).toEqual({ channel: `module/${moduleId}/event/clock-ticked`, message: '{"n":3}' });
    } finally {
      await sub.close();
    }
  });

  it('does not publish a hook call that failed', async () => {
    const moduleId = uniqueId('fail');
    const hookBus = new HookBus(defineHooks({ Tick: notify<[n: number]>({ policy: 'propagate' }) }));
    hookBus.on('Tick', (n) => {
      if (n === 1) throw new Error('refused');
    }, { extension: 'guard' });
    const b = new RedisEventBridge({
      moduleId,
      bus: hookBus,
      subscribe: false,
      originField: false,
      publish: { Tick: { event: 'clock-ticked', payload: (n) => ({ n }) } },
    });
    bridges.push(b);
    await b.start();
    const sub = await rawSubscriber(`module/${moduleId}/event/clock-ticked`);
    try {
      expect(() => hookBus.call('Tick', 1)).toThrow('refused');
      hookBus.call('Tick', 2);
      // Messages arrive in order: the first one seen is the second call's.
      expect((await sub.next()).message).toBe('{"n":2}');
    } finally {
      await sub.close();
    }
  });

  it('warns at configuration time about an event name that is not past tense, and refuses one that is not kebab-case', () => {
    const logger = recordingLogger();
    const hookBus = new HookBus(hooks);
    const b = new RedisEventBridge({
      moduleId: uniqueId('cfg'),
      bus: hookBus,
      logger,
      publish: { Tick: { event: 'clock-tick', payload: (n) => ({ n }) }, Ping: { event: 'ping-sent', payload: () => ({}) } },
    });
    bridges.push(b);
    expect(logger.entries).toHaveLength(1);
    expect(logger.entries[0]).toMatchObject({ level: 'warn', details: { hook: 'Tick', event: 'clock-tick' } });
    expect(logger.entries[0]?.message).toMatch(/past tense/);

    expect(() => new RedisEventBridge({ moduleId: 'x', bus: hookBus, publish: { Tick: { event: 'ClockTicked', payload: (n) => ({ n }) } } })).toThrow(
      expect.objectContaining({ code: 'PB_REDIS_CONFIG', hook: 'Tick' }),
    );
  });

  it('refuses a module id that cannot be a channel segment and publishing something that is not a JSON object', async () => {
    expect(() => new RedisEventBridge({ moduleId: 'a/b' })).toThrow(RedisBridgeError);
    const b = new RedisEventBridge({ moduleId: uniqueId('pl'), subscribe: false });
    bridges.push(b);
    await b.start();
    await expect(b.publish('thing-happened', [1, 2] as unknown as Record<string, unknown>)).rejects.toMatchObject({ code: 'PB_REDIS_INVALID_PAYLOAD' });
  });

  it('receives an event signalled with redis-cli PUBLISH exactly as in the NethServer documentation', async () => {
    const moduleId = uniqueId('traefik1');
    const b = new RedisEventBridge({ moduleId: uniqueId('listener') });
    bridges.push(b);
    const got = deferred<BridgeEvent>();
    b.onEvent('test', (e) => {
      if (e.moduleId === moduleId) got.resolve(e);
    });
    await b.start();
    const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', '6379', 'PUBLISH', `module/${moduleId}/event/test`, '{"field": "value"}']);
    expect(Number(stdout.trim())).toBeGreaterThanOrEqual(1);
    const event = await got.promise;
    expect(event).toEqual({
      source: `module/${moduleId}`,
      moduleId,
      name: 'test',
      payload: { field: 'value' },
      raw: '{"field": "value"}',
      own: false,
    });
  });

  it('signal() publishes byte for byte what redis-cli PUBLISH publishes', async () => {
    const moduleId = uniqueId('traefik1');
    const b = new RedisEventBridge({ moduleId: uniqueId('sig'), subscribe: false });
    bridges.push(b);
    await b.start();
    const channel = `module/${moduleId}/event/test`;
    const sub = await rawSubscriber(channel);
    try {
      await run('redis-cli', ['-h', '127.0.0.1', 'PUBLISH', channel, '{"field": "value"}']);
      expect(await b.signal(moduleId, 'test', '{"field": "value"}')).toBe(1);
      const [fromCli, fromSignal] = [await sub.next(), await sub.next()];
      expect(fromSignal).toEqual(fromCli);
      await expect(b.signal(moduleId, 'test', 'not json')).rejects.toMatchObject({ code: 'PB_REDIS_INVALID_PAYLOAD' });
    } finally {
      await sub.close();
    }
  });

  it('a failing payload mapper is logged and never breaks the hook call', async () => {
    const logger = recordingLogger();
    const hookBus = new HookBus(hooks);
    const seen: number[] = [];
    hookBus.on('AccountCreated', (a) => void seen.push(a.id), { extension: 'local' });
    const b = new RedisEventBridge({
      moduleId: uniqueId('map'),
      bus: hookBus,
      logger,
      subscribe: false,
      publish: {
        AccountCreated: {
          event: 'account-created',
          payload: () => {
            throw new Error('mapper bug');
          },
        },
      },
    });
    bridges.push(b);
    await b.start();
    await hookBus.call('AccountCreated', { id: 1, email: 'x@y.z', password: 'p' });
    expect(seen).toEqual([1]);
    expect(logger.entries.some((e) => e.level === 'error' && /mapper failed/.test(e.message))).toBe(true);
  });
});
