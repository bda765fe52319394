// The README's 30-second example, kept compiling and passing. Test additions: unique
// module ids and stream prefix (the README uses the defaults), and the awaiting at the end.
import { defineHooks, HookBus, notifyAsync } from '@plugboard/core';
import { RedisEventBridge, type BridgeEvent } from '@plugboard/redis';
import { deferred, deleteKeys, rawClient, uniqueId } from './support/redis';

interface Account {
  id: number;
  email: string;
}

it('README example: an API process publishes AccountCreated, a worker process raises it and sees redis-cli events', async () => {
  const mail = uniqueId('mail1');
  const streams = `${mail}:events/`;
  const seenByWorker = deferred<Account>();
  const seenTest = deferred<BridgeEvent>();

  // --- README ---
  const hooks = defineHooks({ AccountCreated: notifyAsync<[account: Account]>() });

  // Process 1 ("api"): publishes every AccountCreated call.
  const apiBus = new HookBus(hooks);
  const api = new RedisEventBridge({
    moduleId: mail,
    bus: apiBus,
    durable: { streamPrefix: streams, allowVolatile: true }, // a Redis without AOF/RDB (like the test one) is refused otherwise
    publish: { AccountCreated: { event: 'account-created', durable: true, payload: (a) => ({ id: a.id, email: a.email }) } },
  });

  // Process 2 ("worker"): raises it into its own bus, durably (at-least-once).
  const workerBus = new HookBus(hooks);
  workerBus.on('AccountCreated', async (a) => seenByWorker.resolve(a), { extension: 'welcome-mail' });
  const worker = new RedisEventBridge({
    moduleId: `${mail}-worker`,
    bus: workerBus,
    durable: { group: 'worker', streamPrefix: streams, allowVolatile: true },
    raise: [{ event: 'account-created', hook: 'AccountCreated', durable: true, args: (p) => [{ id: Number(p.id), email: String(p.email) }] }],
  });
  worker.onEvent('test', (e) => {
    if (e.moduleId === mail) seenTest.resolve(e); // redis-cli PUBLISH module/<mail>/event/test '{"field": "value"}'
  });
  // --- end README ---

  const raw = rawClient();
  try {
    await Promise.all([api.start(), worker.start()]);
    await apiBus.call('AccountCreated', { id: 1, email: 'ann@example.org' });
    expect(await seenByWorker.promise).toEqual({ id: 1, email: 'ann@example.org' });
    await raw.publish(`module/${mail}/event/test`, '{"field": "value"}');
    expect((await seenTest.promise).payload).toEqual({ field: 'value' });
  } finally {
    await Promise.all([api.close(), worker.close()]);
    await deleteKeys(raw, streams);
    await raw.quit();
  }
});
