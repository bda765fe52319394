import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { parseSmsGatewayConfig, parseSmtpConfig, testSmsGateway, testSmtpConfig } from '@plugboard/notify';
import { SmsGatewayServer } from './helpers/sms-gateway-server';
import { SmtpSink } from './helpers/smtp-sink';

describe('test-sending through a configuration (the admin page\'s "Send a test" button)', () => {
  const sink = new SmtpSink();
  const gateway = new SmsGatewayServer();
  let smtpPort = 0;
  let gatewayBase = '';
  beforeAll(async () => {
    smtpPort = await sink.start();
    gatewayBase = `http://127.0.0.1:${await gateway.start()}`;
  });
  afterAll(async () => {
    await sink.stop();
    await gateway.stop();
  });

  it('sends one mail at once (not through the outbox) and returns what the server answered', async () => {
    const config = parseSmtpConfig({ name: 'relay', host: '127.0.0.1', port: smtpPort, security: 'none', sender: 'pb@example.org' });
    const result = await testSmtpConfig(config, 'ops@example.org');
    expect(result.ok).toBe(true);
    expect(result.detail).toMatch(/^250/);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    const mail = sink.received.at(-1);
    expect(mail?.rcptTo).toEqual(['ops@example.org']);
    expect(mail?.mailFrom).toBe('pb@example.org');
    expect(mail?.parsed.subject).toBe('Plugboard test message from SMTP configuration "relay"');
  });

  it('reports the server\'s refusal with its SMTP code and what to check', async () => {
    sink.script = [{ code: 550, text: 'mailbox unavailable' }];
    const config = parseSmtpConfig({ name: 'relay', host: '127.0.0.1', port: smtpPort, security: 'none', sender: 'pb@example.org' });
    await expect(testSmtpConfig(config, 'nobody@example.org')).rejects.toMatchObject({
      code: 'PB_NOTIFY_TEST_FAILED',
      message: expect.stringMatching(/SMTP configuration "relay".*550.*mailbox unavailable/s),
    });
  });

  it('reports a server that is not listening as unreachable, naming host and port', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const config = parseSmtpConfig({ name: 'gone', host: '127.0.0.1', port, security: 'none', sender: 'pb@example.org', timeoutMs: 2000 });
    await expect(testSmtpConfig(config, 'ops@example.org')).rejects.toMatchObject({
      code: 'PB_NOTIFY_TEST_FAILED',
      message: expect.stringContaining(`127.0.0.1:${port}`),
    });
  });

  it('refuses a recipient that is not an address before connecting', async () => {
    const config = parseSmtpConfig({ name: 'relay', host: '127.0.0.1', port: smtpPort, security: 'none', sender: 'pb@example.org' });
    const before = sink.attempts;
    await expect(testSmtpConfig(config, 'not an address')).rejects.toMatchObject({ code: 'PB_NOTIFY_INVALID_OPTION' });
    expect(sink.attempts).toBe(before);
  });

  it('sends one SMS through the gateway and returns its answer; a refusal is an error with the gateway\'s status', async () => {
    const config = parseSmsGatewayConfig({ name: 'gw', url: `${gatewayBase}/send`, method: 'POST', parameters: { to: '{phone}', text: '{message}' } });
    const ok = await testSmsGateway(config, '+491701234567');
    expect(ok).toMatchObject({ ok: true, detail: expect.stringContaining('200') });
    const req = gateway.requests.at(-1);
    expect(new URLSearchParams(req?.body).get('to')).toBe('+491701234567');
    expect(new URLSearchParams(req?.body).get('text')).toBe('Plugboard test message from SMS gateway "gw"');

    gateway.script = [{ status: 401, body: 'bad api key' }];
    await expect(testSmsGateway(config, '+491701234567')).rejects.toMatchObject({
      code: 'PB_NOTIFY_TEST_FAILED',
      message: expect.stringMatching(/SMS gateway "gw".*401.*bad api key/s),
    });
  });

  it('refuses a number that is not E.164 before calling the gateway', async () => {
    const config = parseSmsGatewayConfig({ name: 'gw', url: `${gatewayBase}/send` });
    const before = gateway.requests.length;
    await expect(testSmsGateway(config, '0170 1234')).rejects.toMatchObject({ code: 'PB_NOTIFY_INVALID_OPTION' });
    expect(gateway.requests).toHaveLength(before);
  });
});
