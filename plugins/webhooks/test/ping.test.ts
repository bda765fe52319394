import Database from 'better-sqlite3';
import { Outbox } from '@plugboard/outbox';
import { Webhook } from 'standardwebhooks';
import { generateSecret, pingEndpoint, PING_EVENT, Webhooks } from '@plugboard/webhooks';
import { closedPort, startReceiver, tempDir, type Receiver } from './helpers';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe('a test ping to a webhook endpoint (the admin page\'s "Ping" button)', () => {
  const tmp = tempDir();
  const db = new Database(tmp.file('app.db'));
  const outbox = new Outbox({ database: db, logger: quiet });
  const webhooks = new Webhooks({ outbox, database: db, guard: { allow: ['127.0.0.1'] }, logger: quiet });
  let receiver: Receiver;
  afterAll(async () => {
    await outbox.close();
    await webhooks.close();
    await receiver.close();
    db.close();
    tmp.cleanup();
  });

  it('sends one signed plugboard.ping envelope now, even to a disabled endpoint, and reports the answer; nothing is queued', async () => {
    receiver = await startReceiver((n) => (n === 0 ? { status: 204 } : { status: 410, body: 'gone for good' }));
    const secret = generateSecret();
    const { endpoint } = await webhooks.store.create({ name: 'crm', url: `${receiver.url}/hooks`, secrets: [secret], events: ['AccountCreated'] });
    await webhooks.store.disable(endpoint.id, 'paused by the operator');

    const first = await pingEndpoint(webhooks.store, webhooks.client, 'crm');
    expect(first).toMatchObject({ ok: true, statusCode: 204 });
    const [req] = receiver.requests;
    const envelope = new Webhook(secret).verify(req.body, {
      'webhook-id': String(req.headers['webhook-id']),
      'webhook-timestamp': String(req.headers['webhook-timestamp']),
      'webhook-signature': String(req.headers['webhook-signature']),
    }) as { type: string; data: unknown };
    expect(envelope).toMatchObject({ type: PING_EVENT, data: { endpoint: 'crm' } });
    expect(outbox.counts().pending + outbox.counts().delivered).toBe(0);

    const second = await pingEndpoint(webhooks.store, webhooks.client, endpoint.id);
    expect(second).toMatchObject({ ok: false, statusCode: 410, detail: 'gone for good' });
    expect((await webhooks.store.require('crm')).disabledReason).toBe('paused by the operator');
  });

  it('reports an endpoint that cannot be reached as an answer, not an exception', async () => {
    await webhooks.store.create({ name: 'down', url: `http://127.0.0.1:${await closedPort()}/x` });
    const result = await pingEndpoint(webhooks.store, webhooks.client, 'down');
    expect(result.ok).toBe(false);
    expect('error' in result && result.error).toMatch(/ECONNREFUSED|refused|connect/i);
  });

  it('refuses an unknown endpoint with the store\'s not-found error', async () => {
    await expect(pingEndpoint(webhooks.store, webhooks.client, 'nope')).rejects.toMatchObject({ code: 'PB_WEBHOOK_ENDPOINT_UNKNOWN' });
  });
});
