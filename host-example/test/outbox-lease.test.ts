import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildCli } from '../src/cli';
import { tempDir } from './helpers';
import { startMain, type Child } from './main-process';

interface Received {
  readonly at: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A webhook receiver that never answers its first request (the sender dies meanwhile) and answers 200 to the others. */
async function holdingReceiver(): Promise<{ url: string; received: Received[]; nth: (n: number) => Promise<void>; close: () => Promise<void> }> {
  const received: Received[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ at: Date.now(), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (received.length > 1) res.writeHead(200, { connection: 'close' }).end();
      for (const w of waiters.filter((x) => received.length >= x.n)) w.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    nth: (n) => (received.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('serve: the outbox lease of a message in flight when its process died', () => {
  const tmp = tempDir();
  const children: Child[] = [];
  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop()));
    tmp.cleanup();
  });

  it('redelivers a message left in flight by a SIGKILLed serve once the configured lease lapsed, not after the default 90 s', async () => {
    const receiver = await holdingReceiver();
    const db = join(tmp.dir, 'lease.sqlite');
    const LEASE_MS = 4000;
    const env = { ADMIN_PASSWORD: 'lease-admin-pass', PLUGBOARD_WEBHOOK_ALLOW: '127.0.0.1', PLUGBOARD_OUTBOX_LEASE_MS: String(LEASE_MS) };
    try {
      const first = startMain(['--db', db, 'serve', '--port', '0'], env);
      children.push(first);
      const [, url] = await first.line(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      const post = async (path: string, body: unknown, token?: string): Promise<{ status: number; body: { token?: string } }> => {
        const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
        return { status: res.status, body: (await res.json()) as { token?: string } };
      };
      const token = (await post('/api/login', { username: 'admin', password: 'lease-admin-pass' })).body.token;
      expect((await post('/api/webhooks', { name: 'crm', url: `${receiver.url}/hooks`, events: ['POST /api/domains'] }, token)).status).toBe(201);
      expect((await post('/api/rules', { name: 'domain hook', events: ['POST /api/domains'], handlerModule: 'WebHook', action: 'post', options: { endpoint: 'crm' } }, token)).status).toBe(201);
      expect((await post('/api/domains', { name: 'lease.test' }, token)).status).toBe(201);

      // The attempt is under way (claimed under the lease): the process dies before it ends.
      await receiver.nth(1);
      first.proc.kill('SIGKILL');
      await first.stop();

      const second = startMain(['--db', db, 'serve', '--port', '0'], env);
      children.push(second);
      await receiver.nth(2);
      const [lost, redelivered] = receiver.received;
      expect(redelivered?.body).toBe(lost?.body);
      const gap = (redelivered?.at ?? 0) - (lost?.at ?? 0);
      expect(gap).toBeGreaterThanOrEqual(LEASE_MS - 100);
      // Well before the default lease of 90 s, even when a loaded machine makes the restart slow.
      expect(gap).toBeLessThan(60_000);
    } finally {
      await receiver.close();
    }
  }, 150_000);

  it.each([
    [{ PLUGBOARD_OUTBOX_LEASE_MS: '90s' }, [], 'PLUGBOARD_OUTBOX_LEASE_MS must be a whole number of milliseconds of at least 1000 (got "90s")'],
    [{}, ['--outbox-lease-ms', '500'], '--outbox-lease-ms must be a whole number of milliseconds of at least 1000 (got "500")'],
  ])('refuses a lease that is not a whole number of milliseconds of at least a second, naming the bad value (%j %j)', async (env, flags, message) => {
    const cli = buildCli({ env: { ...env, ADMIN_PASSWORD: 'lease-admin-pass' }, out: () => undefined });
    await expect(cli.parseAsync(['node', 'main', '--db', join(tmp.dir, 'refused.sqlite'), 'serve', '--port', '0', ...flags])).rejects.toMatchObject({
      code: 'PB_HOST_INVALID',
      message: expect.stringContaining(message),
    });
  });
});
