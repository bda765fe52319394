import { WebhookHttpClient, AddressRefusedError } from '@plugboard/webhooks';
import { startReceiver, type Receiver } from './helpers';

describe('outbound address guard on real requests', () => {
  let receiver: Receiver;
  const clients: WebhookHttpClient[] = [];
  const client = (options: ConstructorParameters<typeof WebhookHttpClient>[0] = {}): WebhookHttpClient => {
    const c = new WebhookHttpClient({ timeoutMs: 2000, ...options });
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
  });
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.close());
    await receiver.close();
  });

  it.each([
    ['127.0.0.1', (port: number) => `http://127.0.0.1:${port}/`, 'loopback'],
    ['::ffff:127.0.0.1', (port: number) => `http://[::ffff:127.0.0.1]:${port}/`, 'loopback'],
    ['localhost', (port: number) => `http://localhost:${port}/`, 'loopback'],
    ['169.254.169.254 (cloud metadata)', () => 'http://169.254.169.254/latest/meta-data/', 'linkLocal'],
    ['decimal 2130706433', (port: number) => `http://2130706433:${port}/`, 'loopback'],
  ])('refuses %s by default and the receiver gets nothing', async (_, url, range) => {
    const attempt = client().post({ url: url(receiver.port), body: '{}' });
    await expect(attempt).rejects.toBeInstanceOf(AddressRefusedError);
    await expect(attempt).rejects.toMatchObject({ code: 'PB_WEBHOOK_ADDRESS_REFUSED', range });
    expect(receiver.requests).toHaveLength(0);
  });

  it('reports the host name that resolved to a refused address', async () => {
    await expect(client().post({ url: `http://localhost:${receiver.port}/`, body: '{}' })).rejects.toMatchObject({
      hostname: 'localhost',
      message: expect.stringMatching(/resolved from "localhost".*allow list/),
    });
  });

  it('connects to 127.0.0.1 only when the configuration allows it explicitly', async () => {
    const res = await client({ guard: { allow: ['127.0.0.1'] } }).post({ url: `${receiver.url}/ok`, body: '{"a":1}' });
    expect(res.status).toBe(200);
    expect(receiver.requests[0]).toMatchObject({ url: '/ok', body: '{"a":1}' });
  });

  it('an allowed host name trusts what it resolves to; other names still go through the checks', async () => {
    const res = await client({ guard: { allow: ['localhost'] } }).post({ url: `http://localhost:${receiver.port}/`, body: '{}' });
    expect(res.status).toBe(200);
    await expect(client({ guard: { allow: ['localhost'] } }).post({ url: `http://127.0.0.1:${receiver.port}/`, body: '{}' })).rejects.toBeInstanceOf(
      AddressRefusedError,
    );
  });

  it('refuses a redirect hop to a forbidden address even when redirects are allowed', async () => {
    const redirecting = await startReceiver(() => ({ status: 302, headers: { location: 'http://[::1]:9/x' } }));
    try {
      await expect(client({ guard: { allow: ['127.0.0.1'] }, maxRedirects: 3 }).post({ url: redirecting.url, body: '{}' })).rejects.toMatchObject({
        code: 'PB_WEBHOOK_ADDRESS_REFUSED',
        address: '::1',
      });
    } finally {
      await redirecting.close();
    }
  });
});
