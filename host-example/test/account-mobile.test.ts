/**
 * Accounts carry a mobile number (API, stored, returned, editable), and a sendsms rule for
 * AccountCreated with To=tokenowner reaches a real HTTP SMS gateway with that number.
 */
import { join } from 'node:path';
import { SmsGatewayServer } from '../../plugins/notify/test/helpers/sms-gateway-server';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';

describe('mobile numbers on accounts', () => {
  const tmp = tempDir();
  const gateway = new SmsGatewayServer();
  let api: Running;
  let token: string;

  beforeAll(async () => {
    const port = await gateway.start();
    api = await start(join(tmp.dir, 'mobile.sqlite'), [], { outbox: { pollIntervalMs: 20, backoff: { initialMs: 20, maxAttempts: 2, jitter: 0 } } });
    token = await api.login('admin', ADMIN_PASSWORD);
    expect((await api.req('POST', '/api/domains', { token, body: { name: 'example.com' } })).status).toBe(201);
    const sms = { name: 'gw', url: `http://127.0.0.1:${String(port)}/send`, parameters: { to: '{phone}', text: '{message}' } };
    expect((await api.req('POST', '/api/sms-gateways', { token, body: sms })).status).toBe(201);
  });
  afterAll(async () => {
    await api.stop();
    await gateway.stop();
    tmp.cleanup();
  });

  it('accepts, stores, returns and edits a mobile number', async () => {
    const created = await api.req('POST', '/api/accounts', { token, body: { username: 'ann@example.com', password: 'ann-password-1', mobile: '+49 170 1234567' } });
    expect(created.status).toBe(201);
    // Stored in E.164: separators people type are dropped.
    expect(created.body.mobile).toBe('+491701234567');
    const id = String(created.body.id);
    expect((await api.req('GET', `/api/accounts/${id}`, { token })).body.account.mobile).toBe('+491701234567');

    const changed = await api.req('PATCH', `/api/accounts/${id}`, { token, body: { mobile: '+33612345678' } });
    expect(changed.status).toBe(200);
    expect(changed.body.mobile).toBe('+33612345678');
    const cleared = await api.req('PATCH', `/api/accounts/${id}`, { token, body: { mobile: '' } });
    expect(cleared.body.mobile).toBe('');
  });

  it.each(['0170 1234567', '+49 170 abc', '+1', '+49170123456789012'])('refuses the mobile number %j with a 400 naming the field', async (mobile) => {
    const res = await api.req('POST', '/api/accounts', { token, body: { username: 'bad@example.com', password: 'bad-password-1', mobile } });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('mobile');
    expect(res.body.message).toMatch(/\+49/);
  });

  it('sends the AccountCreated SMS of a To=tokenowner rule to the new account’s number through the gateway', async () => {
    const rule = await api.req('POST', '/api/rules', {
      token,
      body: { name: 'welcome sms', events: ['AccountCreated'], handlerModule: 'UserNotification', action: 'sendsms', options: { smsconfig: 'gw', To: 'tokenowner', body: 'Welcome {username}' } },
    });
    expect(rule.status).toBe(201);
    expect((await api.req('POST', '/api/accounts', { token, body: { username: 'bob@example.com', password: 'bob-password-1', mobile: '+4917099887766' } })).status).toBe(201);
    await api.host.outbox.drain();

    expect(gateway.requests).toHaveLength(1);
    const form = new URLSearchParams(gateway.requests[0].body);
    expect(form.get('to')).toBe('+4917099887766');
    expect(form.get('text')).toBe('Welcome bob@example.com');
  });

  it.each([
    ['logged_in_user', {}],
    ['internal admin', { 'To internal admin': 'admin' }],
    ['admin realm', { 'To admin realm': 'example.com' }],
  ])('resolves the administrator’s mobile number for sendsms To=%s', async (to, extra) => {
    const me = (await api.req('GET', '/api/accounts', { token })).body.accounts.find((a: { account: { username: string } }) => a.account.username === 'admin');
    expect((await api.req('PATCH', `/api/accounts/${String(me.account.id)}`, { token, body: { mobile: '+4930123456' } })).status).toBe(200);
    const rule = await api.req('POST', '/api/rules', {
      token,
      body: { name: `sms ${to}`, events: ['DomainCreated'], handlerModule: 'UserNotification', action: 'sendsms', options: { smsconfig: 'gw', To: to, body: 'new domain by {admin}', ...extra } },
    });
    expect(rule.status).toBe(201);
    const before = gateway.requests.length;
    expect((await api.req('POST', '/api/domains', { token, body: { name: `${to.replace(/ /g, '-').replace(/_/g, '-')}.example` } })).status).toBe(201);
    await api.host.outbox.drain();
    const sent = gateway.requests.slice(before).map((r) => new URLSearchParams(r.body).get('to'));
    expect(sent).toEqual(['+4930123456']);
    expect((await api.req('DELETE', `/api/rules/${String(rule.body.id)}`, { token })).status).toBe(204);
  });
});
