import { join } from 'node:path';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';
import { startReceiver, startSmtp, type Receiver, type SmtpSink } from './plugin-helpers';

describe('an operator tests SMTP configurations, SMS gateways and webhook endpoints before relying on them', () => {
  const tmp = tempDir();
  let running: Running;
  let smtp: SmtpSink;
  let receiver: Receiver;
  let token: string;

  beforeAll(async () => {
    smtp = await startSmtp();
    receiver = await startReceiver(200);
    running = await start(join(tmp.dir, 'host.db'), [], { webhookGuard: { allow: ['127.0.0.1'] } });
    token = await running.login('admin', ADMIN_PASSWORD);
    expect((await running.req('POST', '/api/smtp', { token, body: { name: 'local', host: '127.0.0.1', port: smtp.port, security: 'none', sender: 'pb@example.com' } })).status).toBe(201);
    expect((await running.req('POST', '/api/sms-gateways', { token, body: { name: 'gw', url: `${receiver.url}/sms`, method: 'POST', parameters: { to: '{phone}', text: '{message}' } } })).status).toBe(201);
    expect((await running.req('POST', '/api/webhooks', { token, body: { name: 'crm', url: `${receiver.url}/hooks` } })).status).toBe(201);
  });
  afterAll(async () => {
    await running.stop();
    await smtp.close();
    await receiver.close();
    tmp.cleanup();
  });

  it('a test mail is sent at once through the named configuration and the answer is shown', async () => {
    const res = await running.req('POST', '/api/smtp/local/test', { token, body: { to: 'ops@example.com' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, detail: expect.stringMatching(/^250/) });
    await smtp.waitFor(1);
    expect(smtp.received[0].subject).toBe('Plugboard test message from SMTP configuration "local"');
  });

  it('a test mail through a server that is down is a 502 naming the configuration and the cause', async () => {
    await running.req('PATCH', '/api/smtp/local', { token, body: { port: 1, timeoutMs: 2000 } });
    const res = await running.req('POST', '/api/smtp/local/test', { token, body: { to: 'ops@example.com' } });
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ error: 'PB_NOTIFY_TEST_FAILED', message: expect.stringContaining('SMTP configuration "local" (127.0.0.1:1)') });
  });

  it('a test SMS reaches the gateway; a webhook ping arrives signed; unknown names are 404', async () => {
    const sms = await running.req('POST', '/api/sms-gateways/gw/test', { token, body: { to: '+491701234567' } });
    expect(sms.status).toBe(200);
    expect(receiver.requests.find((r) => r.url === '/sms')?.body).toContain('to=%2B491701234567');
    const ping = await running.req('POST', '/api/webhooks/crm/ping', { token });
    expect(ping.body).toMatchObject({ ok: true, statusCode: 200 });
    const hook = receiver.requests.find((r) => r.url === '/hooks');
    expect(hook?.headers['webhook-signature']).toMatch(/^v1,/);
    expect(JSON.parse(hook?.body ?? '{}')).toMatchObject({ type: 'plugboard.ping' });
    expect((await running.req('POST', '/api/smtp/nope/test', { token, body: { to: 'ops@example.com' } })).status).toBe(404);
    expect((await running.req('POST', '/api/webhooks/nope/ping', { token })).status).toBe(404);
  });

  it('only a SuperAdmin may test (the tests reach out of the host)', async () => {
    await running.req('POST', '/api/domains', { token, body: { name: 'example.com' } });
    await running.req('POST', '/api/accounts', { token, body: { username: 'da@example.com', password: 'da-password-1', role: 'DomainAdmins' } });
    const da = await running.login('da@example.com', 'da-password-1');
    expect((await running.req('POST', '/api/smtp/local/test', { token: da, body: { to: 'ops@example.com' } })).status).toBe(403);
  });
});
