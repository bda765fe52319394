import { RedisEventBridge, type BridgeEvent, type DurableEvent } from '@plugboard/redis';
import { deferred, deleteKeys, rawClient, recordingLogger, uniqueId } from '../../plugins/redis/test/support/redis';
import { startTestTracing, type TestTracing } from './tracing-helpers';

describe('a Redis event continues the publisher trace in another bridge', () => {
  const raw = rawClient();
  const bridges: RedisEventBridge[] = [];
  let tracing: TestTracing;
  let moduleId: string;

  beforeAll(() => {
    tracing = startTestTracing();
  });
  beforeEach(() => {
    moduleId = uniqueId('trace');
  });
  afterEach(async () => {
    await Promise.all(bridges.splice(0).map((b) => b.close({ graceMs: 0 })));
    await deleteKeys(raw, `${moduleId}:`);
  });
  afterAll(async () => {
    await raw.quit();
    await tracing.stop();
  });

  const bridge = (options: Partial<ConstructorParameters<typeof RedisEventBridge>[0]>): RedisEventBridge => {
    const b = new RedisEventBridge({ moduleId, logger: recordingLogger(), ...options });
    bridges.push(b);
    return b;
  };

  it('pub/sub: the consumer span is a child of the publish span, and the handler sees the payload without trace fields', async () => {
    const publisher = bridge({ subscribe: false });
    const consumer = bridge({ moduleId: `${moduleId}-other` });
    const got = deferred<BridgeEvent>();
    consumer.onEvent('account-created', (e) => got.resolve(e));
    await Promise.all([publisher.start(), consumer.start()]);
    await publisher.publish('account-created', { id: 42 });
    const event = await got.promise;
    expect(event.payload).toEqual({ id: 42 });

    const channel = `module/${moduleId}/event/account-created`;
    const [published] = tracing.named(`publish ${channel}`);
    expect(published.attributes).toEqual(expect.objectContaining({ 'messaging.system': 'redis', 'messaging.destination.name': channel, 'messaging.operation.type': 'send' }));
    await waitForSpan(tracing, `process ${channel}`);
    const [processed] = tracing.named(`process ${channel}`);
    expect(processed.spanContext().traceId).toBe(published.spanContext().traceId);
    expect(tracing.parent(processed)).toBe(published);
  });

  it('Streams: the entry carries the trace context and the durable consumer continues it', async () => {
    const durable = { streamPrefix: `${moduleId}:stream/`, allowVolatile: true, blockMs: 100 };
    const publisher = bridge({ subscribe: false, durable });
    const consumer = bridge({ moduleId: `${moduleId}-worker`, subscribe: false, durable: { ...durable, group: 'workers', consumer: 'w1' } });
    const got = deferred<DurableEvent>();
    await Promise.all([publisher.start(), consumer.start()]);
    await consumer.consume('mailbox-full', async (e) => got.resolve(e));
    const { id } = await publisher.publish('mailbox-full', { mailbox: 'a@example.com' }, { durable: true });
    const event = await got.promise;
    expect(event.payload).toEqual({ mailbox: 'a@example.com' });
    const fields = (await raw.xrange(publisher.streamOf('mailbox-full'), '-', '+'))[0][1];
    expect(fields).toContain('traceparent');

    const stream = publisher.streamOf('mailbox-full');
    await waitForSpan(tracing, `process ${stream}`);
    const [processed] = tracing.named(`process ${stream}`);
    const [published] = tracing.named(`publish module/${moduleId}/event/mailbox-full`);
    expect(tracing.parent(processed)).toBe(published);
    expect(processed.attributes).toEqual(expect.objectContaining({ 'messaging.message.id': id, 'messaging.consumer.group.name': 'workers', 'plugboard.redis.deliveries': 1 }));
  });
});

/** A consumer span ends right after its handlers settle, which the test awaits first: wait for its export. */
async function waitForSpan(tracing: TestTracing, name: string): Promise<void> {
  for (let i = 0; i < 100 && tracing.named(name).length === 0; i++) await new Promise((r) => setImmediate(r));
  if (tracing.named(name).length === 0) throw new Error(`span ${name} was not exported`);
}
