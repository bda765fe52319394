import { defineHooks, HookBus, notifyAsync } from '@plugboard/core';
import { RedisEventBridge, type BridgeEvent } from '@plugboard/redis';
import { deferred, nextStatus, rawClient, recordingLogger, uniqueId } from './support/redis';

interface Account {
  id: number;
  email: string;
}

const hooks = defineHooks({
  AccountCreated: notifyAsync<[account: Account]>(),
  ProviderChanged: notifyAsync<[source: string, domain: string]>(),
});

describe('subscribing to */event/* and raising events locally', () => {
  const closers: { close(): Promise<void> }[] = [];
  const raw = rawClient();
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await raw.quit();
  });

  it('drops (and logs with its channel) a message that is not a JSON object, and still delivers the next one', async () => {
    const source = uniqueId('bad');
    const logger = recordingLogger();
    const b = new RedisEventBridge({ moduleId: uniqueId('sub'), logger, pattern: `module/${source}/event/*` });
    closers.push(b);
    const good = deferred<BridgeEvent>();
    const delivered: BridgeEvent[] = [];
    b.onEvent('*', (e) => {
      delivered.push(e);
      if (e.name === 'good-arrived') good.resolve(e);
    });
    await b.start();
    const channel = `module/${source}/event/thing-happened`;
    for (const bad of ['not json', '[1,2]', '"a string"', '42', 'null', '{"unterminated": ']) await raw.publish(channel, bad);
    await raw.publish(`module/${source}/event/good-arrived`, '{"ok": true}');
    const e = await good.promise;
    expect(e.payload).toEqual({ ok: true });
    expect(delivered).toEqual([e]);
    const drops = logger.entries.filter((x) => x.level === 'warn');
    expect(drops).toHaveLength(6);
    for (const d of drops) expect(d.details.channel).toBe(channel);
    expect(drops.map((d) => d.details.message)).toEqual(['not json', '[1,2]', '"a string"', '42', 'null', '{"unterminated": ']);
    expect(b.stats()).toMatchObject({ received: 7, dropped: 6 });
  });

  it('splits the channel at the first /event/ like the NethServer agent (node and cluster sources too)', async () => {
    const tag = uniqueId('split');
    const b = new RedisEventBridge({ moduleId: uniqueId('sub'), pattern: `*${tag}*/event/*` });
    closers.push(b);
    const events: BridgeEvent[] = [];
    const done = deferred();
    b.onEvent('*', (e) => {
      events.push(e);
      if (events.length === 2) done.resolve();
    });
    await b.start();
    await raw.publish(`node/${tag}/event/backup-done`, '{}');
    await raw.publish(`cluster${tag}/event/leader-changed/extra`, '{"node": 2}');
    await done.promise;
    expect(events.map(({ source, moduleId, name }) => ({ source, moduleId, name }))).toEqual([
      { source: `node/${tag}`, moduleId: undefined, name: 'backup-done' },
      { source: `cluster${tag}`, moduleId: undefined, name: 'leader-changed/extra' },
    ]);
  });

  it('raises a configured event into the local hook with the mapped arguments, filtered by source', async () => {
    const provider = uniqueId('ldap');
    const other = uniqueId('other');
    const bus = new HookBus(hooks);
    const calls: [string, string][] = [];
    const called = deferred();
    bus.on(
      'ProviderChanged',
      (source, domain) => {
        calls.push([source, domain]);
        called.resolve();
      },
      { extension: 'reloader' },
    );
    const b = new RedisEventBridge({
      moduleId: uniqueId('app'),
      bus,
      pattern: `module/pbt-*/event/account-provider-changed`,
      raise: [
        { event: 'account-provider-changed', hook: 'ProviderChanged', source: `module/${provider}`, args: (p, e) => [e.source, String(p.domain)] },
      ],
    });
    closers.push(b);
    await b.start();
    const raised = nextStatus(b, 'raised');
    await raw.publish(`module/${other}/event/account-provider-changed`, '{"domain": "ignored.example"}');
    await raw.publish(`module/${provider}/event/account-provider-changed`, '{"domain": "example.org"}');
    await called.promise;
    expect((await raised).error).toBeUndefined();
    expect(calls).toEqual([[`module/${provider}`, 'example.org']]);
  });

  it('isolates a failing listener: the other listeners and the next messages still run', async () => {
    const source = uniqueId('iso');
    const logger = recordingLogger();
    const b = new RedisEventBridge({ moduleId: uniqueId('sub'), logger, pattern: `module/${source}/event/*` });
    closers.push(b);
    const seen: number[] = [];
    const two = deferred();
    b.onEvent('item-added', () => {
      throw new Error('sync boom');
    });
    b.onEvent('item-added', async () => Promise.reject(new Error('async boom')));
    b.onEvent('item-added', (e) => {
      seen.push(Number(e.payload.n));
      if (seen.length === 2) two.resolve();
    });
    await b.start();
    await raw.publish(`module/${source}/event/item-added`, '{"n": 1}');
    await raw.publish(`module/${source}/event/item-added`, '{"n": 2}');
    await two.promise;
    await b.close();
    expect(seen).toEqual([1, 2]);
    expect(b.stats().handlerFailed).toBe(4);
    expect(logger.entries.filter((e) => e.level === 'error')).toHaveLength(4);
  });

  it('an unsubscribed onEvent handler is no longer called', async () => {
    const source = uniqueId('off');
    const b = new RedisEventBridge({ moduleId: uniqueId('sub'), pattern: `module/${source}/event/*` });
    closers.push(b);
    const first: string[] = [];
    const off = b.onEvent('*', (e) => void first.push(e.name));
    const later = deferred();
    b.onEvent('second-sent', () => later.resolve());
    await b.start();
    off();
    await raw.publish(`module/${source}/event/first-sent`, '{}');
    await raw.publish(`module/${source}/event/second-sent`, '{}');
    await later.promise;
    expect(first).toEqual([]);
  });
});
