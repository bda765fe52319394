import { defineHooks, HookBus, notifyAsync } from '@plugboard/core';
import { RedisEventBridge } from '@plugboard/redis';
import { deferred, nextStatus, rawClient, uniqueId } from './support/redis';

interface Account {
  id: number;
  email: string;
}

const hooks = defineHooks({
  AccountCreated: notifyAsync<[account: Account]>(),
});

/** One "process": its own bus and bridge, publishing and raising the same hook. */
function node(moduleId: string, pattern: string) {
  const bus = new HookBus(hooks);
  const seen: Account[] = [];
  bus.on('AccountCreated', (a) => void seen.push(a), { extension: 'audit' });
  const bridge = new RedisEventBridge({
    moduleId,
    bus,
    pattern,
    publish: { AccountCreated: { event: 'account-created', payload: (a) => ({ id: a.id, email: a.email }) } },
    raise: [{ event: 'account-created', hook: 'AccountCreated', args: (p) => [{ id: Number(p.id), email: String(p.email) }] }],
  });
  return { bus, bridge, seen };
}

describe('two bridges publishing and raising the same hook', () => {
  it('deliver each hook call once to the other process and never echo it back', async () => {
    const tag = uniqueId('echo');
    const pattern = `module/${tag}-*/event/*`;
    // Same module id on purpose: like an api and a worker process of one module.
    const api = node(`${tag}-mail`, pattern);
    const worker = node(`${tag}-mail`, pattern);
    const watcher = rawClient();
    const messages: string[] = [];
    const marker = deferred();
    watcher.on('pmessage', (_p: string, channel: string, message: string) => {
      if (channel.endsWith('/event/done-checking')) marker.resolve();
      else messages.push(message);
    });
    await watcher.psubscribe(pattern);
    try {
      const apiSawMarker = deferred();
      api.bridge.onEvent('done-checking', () => apiSawMarker.resolve());
      await Promise.all([api.bridge.start(), worker.bridge.start()]);
      const raisedInWorker = nextStatus(worker.bridge, 'raised');
      await api.bus.call('AccountCreated', { id: 1, email: 'a@example.org' });
      expect((await raisedInWorker).error).toBeUndefined();
      expect(worker.seen).toEqual([{ id: 1, email: 'a@example.org' }]);

      // Anything the worker re-published while raising would be on the wire before this marker.
      await worker.bridge.publish('done-checking', {});
      await Promise.all([marker.promise, apiSawMarker.promise]);
      expect(messages).toHaveLength(1);
      expect(JSON.parse(messages[0] ?? '')).toEqual({ id: 1, email: 'a@example.org', _origin: api.bridge.instanceId, _sentAt: expect.any(Number) });
      expect(api.seen).toEqual([{ id: 1, email: 'a@example.org' }]);
      expect(api.bridge.stats().raised).toBe(0);
      expect(worker.bridge.stats().published).toBe(1); // the marker only
    } finally {
      await Promise.all([api.bridge.close(), worker.bridge.close(), watcher.quit()]);
    }
  });
});
