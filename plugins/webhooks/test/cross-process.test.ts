import { PgOutbox } from '@plugboard/outbox';
import { SqlDatabase } from '@plugboard/sql';
import { Webhook } from 'standardwebhooks';
import { EndpointStore, Webhooks, generateSecret } from '@plugboard/webhooks';
import { pgDatabase, type TestDatabase } from '../../../test/support/pg-database';
import { startReceiver, type Receiver } from './helpers';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** Resolves once `check` holds, checked every 10 ms; fails after `ms` (the promise under test). */
async function within<T>(ms: number, check: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// Two "processes": each its own connections to one PostgreSQL database.
describe('endpoints shared by processes on one PostgreSQL database', () => {
  let pg: TestDatabase;
  let receiver: Receiver;
  let adminDb: SqlDatabase;
  let admin: EndpointStore;
  let outbox: PgOutbox;
  let webhooks: Webhooks;

  beforeEach(async () => {
    pg = await pgDatabase('webhooks-cross');
    receiver = await startReceiver(() => ({ status: 200 }));
    adminDb = await SqlDatabase.open(pg.url('admin'));
    admin = await EndpointStore.open(adminDb);
    outbox = await PgOutbox.open({ database: pg.url('worker'), logger: quiet, backoff: { initialMs: 20, factor: 1, jitter: 0, maxAttempts: 3 } });
    webhooks = await Webhooks.open({ outbox, database: pg.url('worker'), guard: { allow: ['127.0.0.1'] } });
  });
  afterEach(async () => {
    await outbox.close();
    await webhooks.close();
    await admin.close();
    await adminDb.close();
    await receiver.close();
    await pg.drop();
  });

  it('routes to an endpoint another process added within one second, and skips it within one second of its disabling', async () => {
    expect(await webhooks.publish('AccountCreated', { n: 0 })).toEqual([]);
    const secret = generateSecret();
    await admin.create({ name: 'crm', url: `${receiver.url}/hooks`, events: ['AccountCreated'], secrets: [secret] });

    await within(1000, () => webhooks.store.matching('AccountCreated').length === 1);
    const [id] = await webhooks.publish('AccountCreated', { n: 1 });
    outbox.start();
    await receiver.waitFor(1);
    const req = receiver.requests[0]!;
    const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(req.headers[h])]));
    expect(new Webhook(secret).verify(req.body, headers)).toMatchObject({ id, data: { n: 1 } });
    await within(1000, () => webhooks.store.peek('crm') !== undefined);
    expect((await webhooks.deliveryLog('crm')).map((e) => e.messageId)).toEqual([id]);

    await admin.disable('crm', 'paused by the other process');
    await within(1000, () => webhooks.store.matching('AccountCreated').length === 0);
    expect(await webhooks.publish('AccountCreated', { n: 2 })).toEqual([]);
    expect(webhooks.store.peek('crm')).toMatchObject({ enabled: false, disabledReason: 'paused by the other process' });
  });

  it('disables an endpoint answering 410 Gone for every process', async () => {
    await receiver.close();
    receiver = await startReceiver(() => ({ status: 410 }));
    await webhooks.store.create({ name: 'gone', url: receiver.url });
    await within(1000, () => admin.matching('E').length === 1);
    outbox.start();
    await webhooks.publish('E', {});
    await receiver.waitFor(1);
    await within(1000, () => admin.peek('gone')?.enabled === false);
    expect((await admin.get('gone'))?.disabledReason).toMatch(/410/);
  });
});
