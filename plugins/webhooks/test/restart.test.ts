import Database from 'better-sqlite3';
import { Outbox } from '@plugboard/outbox';
import { MattermostWebHook, Webhooks } from '@plugboard/webhooks';
import { startReceiver, tempDir, type Receiver } from './helpers';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const local = { allow: ['127.0.0.1'] };

/** One "process": database, outbox and webhooks opened on the same file. */
function open(file: string, initialMs = 20): { db: Database.Database; outbox: Outbox; webhooks: Webhooks; close: () => Promise<void> } {
  const db = new Database(file);
  const outbox = new Outbox({ database: db, backoff: { initialMs, factor: 1, jitter: 0, maxAttempts: 5 }, pollIntervalMs: 20, logger: quiet });
  const webhooks = new Webhooks({ outbox, database: db, guard: local });
  return {
    db,
    outbox,
    webhooks,
    close: async () => {
      await outbox.close();
      await webhooks.close();
      db.close();
    },
  };
}

describe('restart safety', () => {
  let tmp: ReturnType<typeof tempDir>;
  let receiver: Receiver;

  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(async () => {
    await receiver.close();
    tmp.cleanup();
  });

  it('delivers messages queued before the process stopped once it is started again', async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
    const first = open(tmp.file('app.db'));
    await first.webhooks.store.create({ name: 'crm', url: receiver.url });
    const ids = [await first.webhooks.publish('A', { n: 1 }), await first.webhooks.publish('B', { n: 2 })].flat();
    await first.close();
    expect(receiver.requests).toHaveLength(0);

    const second = open(tmp.file('app.db'));
    try {
      second.outbox.start();
      await receiver.waitFor(2);
      await second.outbox.drain();
      expect(receiver.requests.map((r) => r.headers['webhook-id']).sort()).toEqual([...ids].sort());
      expect((await second.webhooks.deliveryLog('crm')).map((e) => e.state)).toEqual(['delivered', 'delivered']);
    } finally {
      await second.close();
    }
  });

  it('keeps retrying after a restart: a delivery that failed before still goes out, with the same webhook-id', async () => {
    receiver = await startReceiver((n) => (n === 0 ? { status: 503 } : { status: 200 }));
    // The first process retries only after 300 ms: it is closed before that.
    const first = open(tmp.file('app.db'), 300);
    await first.webhooks.store.create({ name: 'crm', url: receiver.url });
    const [id] = await first.webhooks.publish('A', {});
    await first.outbox.drain();
    expect(first.outbox.get(id!)?.state).toBe('pending');
    await first.close();

    const second = open(tmp.file('app.db'));
    try {
      await second.outbox.drain({ includeScheduled: true });
      expect(receiver.requests.map((r) => r.headers['webhook-id'])).toEqual([id, id]);
      const [entry] = await second.webhooks.deliveryLog('crm');
      expect(entry!.attempts.map((a) => a.outcome)).toEqual(['retry', 'delivered']);
    } finally {
      await second.close();
    }
  });

  it('delivers queued trigger messages once the trigger is registered again after the restart', async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
    const first = open(tmp.file('app.db'));
    const trigger = (): MattermostWebHook => new MattermostWebHook({ name: 'mm', host: receiver.url, token: 'secret-token' });
    first.webhooks.register(trigger());
    const result = await first.webhooks.trigger('mm')!.trigger('hello');
    await first.close();

    const second = open(tmp.file('app.db'));
    try {
      second.webhooks.register(trigger());
      await second.outbox.drain();
      expect(receiver.requests.map((r) => JSON.parse(r.body))).toEqual([{ text: 'hello' }]);
      expect('queued' in result && second.outbox.get(result.queued)?.state).toBe('delivered');
    } finally {
      await second.close();
    }
  });
});
