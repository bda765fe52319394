import { once } from 'node:events';
import { NOTIFY_TYPE, sendSms, parseSmsGatewayConfig } from '@plugboard/notify';
import { NotifyFixture, eventContext } from './helpers/fixture';
import { SmsGatewayServer } from './helpers/sms-gateway-server';

let fx: NotifyFixture;
let gateway: SmsGatewayServer;
let base = '';

beforeEach(async () => {
  fx = await new NotifyFixture().start();
  gateway = new SmsGatewayServer();
  base = `http://127.0.0.1:${await gateway.start()}`;
});

afterEach(async () => {
  await fx.stop();
  await gateway.stop();
});

describe('UserNotification sendsms through an HTTP gateway', () => {
  test('GET: {phone} and {message} are substituted into the query and the SMS is delivered', async () => {
    await fx.store.createSms({
      name: 'gw',
      url: `${base}/send`,
      method: 'GET',
      parameters: { to: '{phone}', text: '{message}', apikey: 'k-123' },
      success: { bodyRegex: '^OK' },
    });
    const { queued } = await fx.module.do('sendsms', eventContext(), {
      smsconfig: 'gw',
      To: NOTIFY_TYPE.TOKENOWNER,
      body: 'Token {serial} & more for {givenname}',
    });
    expect(fx.outbox.get(queued?.[0] ?? '')?.channel).toBe('sms');
    await fx.outbox.drain();
    expect(gateway.requests).toHaveLength(1);
    const [req] = gateway.requests;
    expect(req.method).toBe('GET');
    expect(req.url.pathname).toBe('/send');
    expect(req.url.searchParams.get('to')).toBe('+49 170 1234567');
    expect(req.url.searchParams.get('text')).toBe('Token OATH0001 & more for Alice');
    expect(req.url.searchParams.get('apikey')).toBe('k-123');
    expect(fx.outbox.get(queued?.[0] ?? '')?.state).toBe('delivered');
  });

  test('POST as form or JSON, to the logged-in user and to an internal admin', async () => {
    await fx.store.createSms({ name: 'form', url: `${base}/form`, parameters: { number: '{phone}', msg: '{message}' } });
    await fx.store.createSms({
      name: 'json',
      url: `${base}/json`,
      bodyFormat: 'json',
      headers: { Authorization: 'Bearer s3cret' },
      parameters: { number: '{phone}', msg: '{message}' },
    });
    await fx.module.do('sendsms', eventContext(), { smsconfig: 'form', To: NOTIFY_TYPE.LOGGED_IN_USER, body: 'by {admin}' });
    await fx.module.do('sendsms', eventContext(), {
      smsconfig: 'json',
      To: NOTIFY_TYPE.INTERNAL_ADMIN,
      'To internal admin': 'admin',
      body: 'hi {recipient_givenname}',
    });
    await fx.outbox.drain();
    const form = gateway.requests.find((r) => r.url.pathname === '/form');
    const json = gateway.requests.find((r) => r.url.pathname === '/json');
    expect(form?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(form?.body))).toEqual({ number: '+4930222', msg: 'by ada' });
    expect(json?.headers['content-type']).toBe('application/json');
    expect(json?.headers.authorization).toBe('Bearer s3cret');
    expect(JSON.parse(json?.body ?? '')).toEqual({ number: '+4930111', msg: 'hi Ida' });
  });

  test('gateway 5xx is retried, then delivered', async () => {
    await fx.store.createSms({ name: 'gw', url: `${base}/send`, parameters: { to: '{phone}', text: '{message}' } });
    gateway.script = [{ status: 503, body: 'busy' }];
    const retried = once(fx.outbox, 'retry');
    const delivered = once(fx.outbox, 'delivered');
    await fx.module.do('sendsms', eventContext(), { smsconfig: 'gw', To: 'tokenowner' });
    const [, info] = (await retried) as [unknown, { statusCode?: number }];
    expect(info.statusCode).toBe(503);
    await delivered;
    expect(gateway.requests).toHaveLength(2);
  });

  test('gateway 4xx and a body failing the success pattern are dead letters', async () => {
    await fx.store.createSms({ name: 'gw', url: `${base}/send`, parameters: { to: '{phone}' }, success: { bodyRegex: '^OK' } });
    gateway.script = [{ status: 401, body: 'bad key' }, { status: 200, body: 'ERROR invalid number' }];
    const deaths: { statusCode?: number; error: unknown }[] = [];
    fx.outbox.on('dead', (_m, info) => deaths.push(info));
    await fx.module.do('sendsms', eventContext(), { smsconfig: 'gw', To: 'tokenowner', body: 'one' });
    await fx.outbox.drain();
    await fx.module.do('sendsms', eventContext(), { smsconfig: 'gw', To: 'tokenowner', body: 'two' });
    await fx.outbox.drain();
    expect(deaths.map((d) => d.statusCode)).toEqual([401, 200]);
    expect(String((deaths[1].error as Error).message)).toContain('does not match the success pattern');
    expect(fx.outbox.list({ state: 'dead' })).toHaveLength(2);
  });

  test('an unreachable gateway is retried until it answers', async () => {
    const port = Number(new URL(base).port);
    await gateway.stop();
    await fx.store.createSms({ name: 'gw', url: `${base}/send`, parameters: { to: '{phone}' } });
    const retried = once(fx.outbox, 'retry');
    const delivered = once(fx.outbox, 'delivered');
    await fx.module.do('sendsms', eventContext(), { smsconfig: 'gw', To: 'tokenowner' });
    await retried;
    await gateway.start(port);
    await delivered;
    expect(gateway.requests).toHaveLength(1);
  });

  test('sendSms classifies without the outbox: 404 permanent, 429 retryable with Retry-After', async () => {
    const config = parseSmsGatewayConfig({ name: 'gw', url: `${base}/x`, method: 'GET' });
    gateway.script = [{ status: 404 }, { status: 429, headers: { 'retry-after': '2' } }];
    await expect(sendSms(config, '+1', 'a')).rejects.toMatchObject({ code: 'PB_OUTBOX_PERMANENT', statusCode: 404 });
    await expect(sendSms(config, '+1', 'a')).rejects.toMatchObject({ code: 'PB_OUTBOX_RETRYABLE', statusCode: 429, retryAfterMs: 2000 });
    await expect(sendSms(config, '+1', 'a')).resolves.toMatchObject({ statusCode: 200 });
  });

  test('a recipient without a mobile number is skipped; none at all is a coded error', async () => {
    await fx.store.createSms({ name: 'gw', url: `${base}/send`, parameters: { to: '{phone}' } });
    const ctx = eventContext({ user: { username: 'nomobile', email: 'n@users.test' } });
    await expect(fx.module.do('sendsms', ctx, { smsconfig: 'gw', To: 'tokenowner' })).rejects.toMatchObject({
      code: 'PB_NOTIFY_NO_RECIPIENT',
      message: expect.stringContaining('nomobile: no mobile number'),
    });
    await expect(fx.module.do('sendsms', ctx, { smsconfig: 'missing', To: 'tokenowner' })).rejects.toMatchObject({
      code: 'PB_NOTIFY_CONFIG_NOT_FOUND',
    });
  });
});
