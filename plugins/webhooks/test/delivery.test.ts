import { once } from 'node:events';
import Database from 'better-sqlite3';
import { Outbox, type OutboxMessage, type RetryInfo, type DeadInfo } from '@plugboard/outbox';
import { Webhook } from 'standardwebhooks';
import { Webhooks, generateSecret } from '@plugboard/webhooks';
import { closedPort, recordingLogger, startReceiver, tempDir, type Receiver } from './helpers';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe('webhook delivery through the outbox', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: Database.Database;
  let outbox: Outbox;
  let webhooks: Webhooks;
  let receiver: Receiver | undefined;
  let log: ReturnType<typeof recordingLogger>;

  function setup(options: { timeoutMs?: number; maxRedirects?: number; allow?: string[] } = {}): void {
    outbox = new Outbox({ database: db, backoff: { initialMs: 20, factor: 1, jitter: 0, maxAttempts: 4 }, pollIntervalMs: 20, logger: quiet });
    webhooks = new Webhooks({
      outbox,
      database: db,
      guard: { allow: options.allow ?? ['127.0.0.1'] },
      logger: log,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.maxRedirects !== undefined ? { maxRedirects: options.maxRedirects } : {}),
    });
  }

  beforeEach(() => {
    tmp = tempDir();
    db = new Database(tmp.file('app.db'));
    log = recordingLogger();
  });

  afterEach(async () => {
    await outbox.close();
    await webhooks.close();
    await receiver?.close();
    receiver = undefined;
    db.close();
    tmp.cleanup();
  });

  it('delivers a signed envelope on 2xx: the webhook-id is the outbox message id and the signature verifies', async () => {
    receiver = await startReceiver(() => ({ status: 204 }));
    setup();
    const secret = generateSecret();
    await webhooks.store.create({ name: 'crm', url: `${receiver.url}/hooks`, secrets: [secret] });
    const [id] = await webhooks.publish('AccountCreated', { email: 'a@example.org' }, { occurredAt: new Date('2024-05-01T10:00:00Z') });
    await outbox.drain();

    expect(receiver.requests).toHaveLength(1);
    const req = receiver.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['webhook-id']).toBe(id);
    const verified = new Webhook(secret).verify(req.body, {
      'webhook-id': String(req.headers['webhook-id']),
      'webhook-timestamp': String(req.headers['webhook-timestamp']),
      'webhook-signature': String(req.headers['webhook-signature']),
    });
    expect(verified).toEqual({ type: 'AccountCreated', id, timestamp: '2024-05-01T10:00:00.000Z', data: { email: 'a@example.org' } });
    expect(outbox.get(id!)?.state).toBe('delivered');
  });

  it('sends one signature per active secret while a secret is rotated, and one after the old one is retired', async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
    setup();
    const oldSecret = generateSecret();
    const { endpoint } = await webhooks.store.create({ name: 'crm', url: receiver.url, secrets: [oldSecret] });
    const newSecret = await webhooks.store.addSecret(endpoint.id);
    await webhooks.publish('A', { n: 1 });
    await outbox.drain();
    await webhooks.store.retireSecrets(endpoint.id);
    await webhooks.publish('A', { n: 2 });
    await outbox.drain();

    const headersOf = (i: number) => {
      const h = receiver!.requests[i]!.headers;
      return { 'webhook-id': String(h['webhook-id']), 'webhook-timestamp': String(h['webhook-timestamp']), 'webhook-signature': String(h['webhook-signature']) };
    };
    const during = receiver.requests[0]!;
    expect(headersOf(0)['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(oldSecret).verify(during.body, headersOf(0))).not.toThrow();
    expect(() => new Webhook(newSecret).verify(during.body, headersOf(0))).not.toThrow();
    const after = receiver.requests[1]!;
    expect(() => new Webhook(newSecret).verify(after.body, headersOf(1))).not.toThrow();
    expect(() => new Webhook(oldSecret).verify(after.body, headersOf(1))).toThrow();
  });

  it('retries 5xx with the same webhook-id until the receiver accepts, and logs every attempt', async () => {
    receiver = await startReceiver((n) => (n < 2 ? { status: 503 } : { status: 200 }));
    setup();
    const { endpoint } = await webhooks.store.create({ name: 'flaky', url: receiver.url });
    const result = await webhooks.send('flaky', 'DomainCreated', { name: 'example.org' });
    if (!('queued' in result)) throw new Error('not queued');
    await outbox.drain({ includeScheduled: true });

    expect(receiver.requests).toHaveLength(3);
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([result.queued]));
    const [entry] = await webhooks.deliveryLog(endpoint.id);
    expect(entry).toMatchObject({ messageId: result.queued, event: 'DomainCreated', state: 'delivered' });
    expect(entry!.attempts.map((a) => [a.outcome, a.statusCode])).toEqual([
      ['retry', 503],
      ['retry', 503],
      ['delivered', 200],
    ]);
    expect(entry!.attempts[0]!.nextAttemptAt).toBeInstanceOf(Date);
  });

  it('honours Retry-After on 429 as the delay before the next attempt', async () => {
    receiver = await startReceiver((n) => (n === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }));
    setup();
    await webhooks.store.create({ name: 'limited', url: receiver.url });
    await webhooks.publish('E', {});
    const retried = once(outbox, 'retry') as Promise<[OutboxMessage, RetryInfo]>;
    outbox.start();
    const [, info] = await retried;
    expect(info.statusCode).toBe(429);
    expect(info.delayMs).toBe(1000);
    const [entry] = await webhooks.deliveryLog('limited');
    expect(entry!.state).toBe('pending');
    expect(entry!.nextAttemptAt!.getTime()).toBe(info.nextAttemptAt.getTime());
    await receiver.waitFor(2);
    await outbox.drain({ includeScheduled: true });
    expect((await webhooks.deliveryLog('limited'))[0]!.state).toBe('delivered');
  });

  it('retries an attempt that exceeds the time limit (the receiver stalls)', async () => {
    receiver = await startReceiver((n) => (n === 0 ? 'stall' : { status: 200 }));
    setup({ timeoutMs: 150 });
    await webhooks.store.create({ name: 'slow', url: receiver.url });
    await webhooks.publish('E', {});
    const retried = once(outbox, 'retry') as Promise<[OutboxMessage, RetryInfo]>;
    outbox.start();
    const [message, info] = await retried;
    expect(String(info.error)).toMatch(/timed out after 150 ms/);
    await outbox.drain({ includeScheduled: true });
    expect(outbox.get(message.id)?.state).toBe('delivered');
    expect(receiver.requests).toHaveLength(2);
  });

  it('retries connection errors (nothing listening, connection dropped)', async () => {
    const port = await closedPort();
    receiver = await startReceiver((n) => (n === 0 ? 'destroy' : { status: 200 }));
    setup();
    await webhooks.store.create({ name: 'down', url: `http://127.0.0.1:${port}/` });
    await webhooks.store.create({ name: 'dropping', url: receiver.url });
    await webhooks.publish('E', {});
    const dead = once(outbox, 'dead') as Promise<[OutboxMessage, DeadInfo]>;
    outbox.start();
    const [, info] = await dead;
    expect(info.reason).toBe('max-attempts');
    expect(String(info.error)).toMatch(/ECONNREFUSED/);
    await outbox.drain({ includeScheduled: true });
    expect((await webhooks.deliveryLog('dropping'))[0]!.state).toBe('delivered');
    expect((await webhooks.deliveryLog('down'))[0]!.attempts).toHaveLength(4);
  });

  it('dead-letters other 4xx at once', async () => {
    receiver = await startReceiver(() => ({ status: 404 }));
    setup();
    await webhooks.store.create({ name: 'missing', url: receiver.url });
    await webhooks.publish('E', {});
    await outbox.drain({ includeScheduled: true });
    const [entry] = await webhooks.deliveryLog('missing');
    expect(entry).toMatchObject({ state: 'dead', lastStatusCode: 404 });
    expect(entry!.attempts).toHaveLength(1);
    expect((await webhooks.store.get('missing'))!.enabled).toBe(true);
  });

  it('disables the endpoint on 410 Gone, says so, and sends nothing more to it', async () => {
    receiver = await startReceiver(() => ({ status: 410 }));
    setup();
    await webhooks.store.create({ name: 'gone', url: receiver.url });
    await webhooks.publish('E', { n: 1 });
    await outbox.drain({ includeScheduled: true });

    const endpoint = (await webhooks.store.get('gone'))!;
    expect(endpoint.enabled).toBe(false);
    expect(endpoint.disabledReason).toMatch(/410 Gone/);
    expect((await webhooks.deliveryLog('gone'))[0]).toMatchObject({ state: 'dead', lastStatusCode: 410, lastError: expect.stringMatching(/disabled/) });
    expect(log.lines.some((l) => /disabled: the receiver answered 410 Gone/.test(l))).toBe(true);

    expect(await webhooks.publish('E', { n: 2 })).toEqual([]);
    expect(await webhooks.send('gone', 'E', {})).toMatchObject({ skipped: 'disabled' });
    await webhooks.store.enable('gone');
    expect((await webhooks.store.get('gone'))!.disabledReason).toBeUndefined();
  });

  it('does not follow redirects by default', async () => {
    const target = await startReceiver(() => ({ status: 200 }));
    receiver = await startReceiver(() => ({ status: 307, headers: { location: `${target.url}/moved` } }));
    setup();
    await webhooks.store.create({ name: 'moved', url: receiver.url });
    await webhooks.publish('E', {});
    await outbox.drain({ includeScheduled: true });
    expect((await webhooks.deliveryLog('moved'))[0]).toMatchObject({ state: 'dead', lastStatusCode: 307, lastError: expect.stringMatching(/redirect/) });
    expect(target.requests).toHaveLength(0);
    await target.close();
  });

  it('follows allowed redirects, re-checking each hop against the guard', async () => {
    const target = await startReceiver(() => ({ status: 200 }));
    receiver = await startReceiver((n) =>
      n === 0 ? { status: 308, headers: { location: `${target.url}/moved` } } : { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } },
    );
    setup({ maxRedirects: 2 });
    await webhooks.store.create({ name: 'moved', url: receiver.url });
    await webhooks.publish('E', { n: 1 });
    await outbox.drain({ includeScheduled: true });
    expect(target.requests).toHaveLength(1);
    expect(target.requests[0]!.method).toBe('POST');
    expect(target.requests[0]!.headers['webhook-signature']).toBeDefined();
    expect((await webhooks.deliveryLog('moved'))[0]!.state).toBe('delivered');

    await webhooks.publish('E', { n: 2 });
    await outbox.drain({ includeScheduled: true });
    expect((await webhooks.deliveryLog('moved'))[0]).toMatchObject({ state: 'dead', lastError: expect.stringMatching(/169\.254\.169\.254.*linkLocal/) });
    await target.close();
  });

  it('filters endpoints by event and realm and queues one message per event id', async () => {
    setup();
    await webhooks.store.create({ name: 'all', url: 'https://all.example/h' });
    await webhooks.store.create({ name: 'accounts', url: 'https://acc.example/h', events: ['AccountCreated'] });
    await webhooks.store.create({ name: 'tags', url: 'https://tags.example/h', realms: ['github_tags'] });
    const names = (ids: string[]) => ids.map((id) => outbox.get<{ endpointId: string }>(id)!.payload.endpointId).map((e) => webhooks.store.peek(e)!.name).sort();
    expect(names(await webhooks.publish('AccountCreated', {}))).toEqual(['accounts', 'all']);
    expect(names(await webhooks.publish('DomainCreated', {}, { realm: 'github_tags' }))).toEqual(['all', 'tags']);
    expect(await webhooks.send('tags', 'X', {})).toMatchObject({ skipped: 'realm' });
    expect(await webhooks.send('accounts', 'X', {})).toMatchObject({ skipped: 'event' });
    const a = await webhooks.send('all', 'X', {}, { eventId: 'evt-1' });
    const b = await webhooks.send('all', 'X', {}, { eventId: 'evt-1' });
    expect(a).toEqual(b);
  });
});
