import { RedisEventBridge, type BridgeEvent } from '@plugboard/redis';
import { countConnections, deferred, deleteKeys, killConnections, nextStatus, rawClient, recordingLogger, uniqueId, waitFor } from './support/redis';

describe('reconnecting after the connection is killed (CLIENT KILL)', () => {
  const raw = rawClient();
  const closers: { close(o?: { graceMs?: number }): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c.close({ graceMs: 0 })));
  });
  afterAll(async () => {
    await raw.quit();
  });

  it('resubscribes to */event/* and receives events published after the reconnect', async () => {
    const source = uniqueId('rc');
    const b = new RedisEventBridge({ moduleId: uniqueId('rcsub'), pattern: `module/${source}/event/*`, logger: recordingLogger() });
    closers.push(b);
    const received: BridgeEvent[] = [];
    let arrived = deferred();
    b.onEvent('*', (e) => {
      received.push(e);
      arrived.resolve();
    });
    await b.start();
    await raw.publish(`module/${source}/event/before-killed`, '{}');
    await arrived.promise;

    const lost = nextStatus(b, 'connection-lost', (s) => s.connection === 'subscriber');
    const resubscribed = nextStatus(b, 'subscribed');
    expect(await killConnections(raw, `${b.instanceId}/subscriber`)).toBe(1);
    await lost;
    await resubscribed;
    expect(Number(await raw.pubsub('NUMPAT'))).toBeGreaterThanOrEqual(1);

    arrived = deferred();
    await raw.publish(`module/${source}/event/after-reconnected`, '{"n": 2}');
    await arrived.promise;
    expect(received.map((e) => e.name)).toEqual(['before-killed', 'after-reconnected']);
  });

  it('durable mode loses no event when every connection of the consumer is killed while events are being published', async () => {
    const moduleId = uniqueId('rcdur');
    const prefix = `${moduleId}:stream/`;
    try {
      const publisher = new RedisEventBridge({ moduleId, subscribe: false, logger: recordingLogger(), durable: { streamPrefix: prefix, allowVolatile: true } });
      const consumer = new RedisEventBridge({
        moduleId: `${moduleId}-worker`,
        subscribe: false,
        logger: recordingLogger(),
        durable: { group: 'workers', consumer: 'w1', streamPrefix: prefix, blockMs: 200, claimIdleMs: 500, claimIntervalMs: 100, allowVolatile: true },
      });
      closers.push(publisher, consumer);
      const ids = new Set<string>();
      const total = 20;
      const all = deferred();
      await consumer.consume('alias-created', (e) => {
        ids.add(e.id);
        if (ids.size === total) all.resolve();
      });
      await Promise.all([publisher.start(), consumer.start()]);

      const published: string[] = [];
      for (let n = 0; n < total; n++) {
        if (n === 5 || n === 12) {
          // Kill the blocking reader and the command connection (acks, claims) mid-stream,
          // the second time only once both are back.
          await waitFor(async () => (await countConnections(raw, `${consumer.instanceId}/`)) === 2, 'the consumer to reconnect');
          expect(await killConnections(raw, `${consumer.instanceId}/`)).toBe(2);
        }
        const { id } = await publisher.publish('alias-created', { n }, { durable: true });
        if (id) published.push(id);
      }
      await all.promise;
      expect([...ids].sort()).toEqual([...published].sort());
      await waitFor(async () => ((await raw.xpending(`${prefix}alias-created`, 'workers')) as [number])[0] === 0, 'every entry to be acknowledged');
    } finally {
      await deleteKeys(raw, prefix);
    }
  });
});
