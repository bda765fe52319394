/**
 * Secrets declared in configuration schemas never leave through event payloads: a gateway's
 * URL credentials, query keys and secret parameters reach no rule log, webhook, outbox message,
 * admin page or server log line.
 */
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';
import { startReceiver, type Receiver } from './plugin-helpers';

const PW = 'PW-4f1e9c';
const KEY = 'KEY-77ab2d';
const KEY2 = 'KEY2-c0ffee';

describe('secrets in event payloads', () => {
  const tmp = tempDir();
  const logLines: string[] = [];
  let run: Running;
  let receiver: Receiver;
  let token: string;

  beforeAll(async () => {
    receiver = await startReceiver(200);
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    run = await start(join(tmp.dir, 'leaks.sqlite'), [], {
      logger: pino({ level: 'debug' }, sink),
      webhookGuard: { allow: ['127.0.0.1'] },
      outbox: { pollIntervalMs: 20, backoff: { initialMs: 20, maxAttempts: 2, jitter: 0 } },
    });
    token = await run.login('admin', ADMIN_PASSWORD);
    const post = async (path: string, body: unknown): Promise<void> => {
      const res = await run.req('POST', path, { token, body });
      expect(res.status).toBe(201);
    };
    await post('/api/webhooks', { name: 'outside', url: `${receiver.url}/in`, events: ['POST /api/sms-gateways'] });
    await post('/api/rules', { name: 'log gateways', events: ['POST /api/sms-gateways'], handlerModule: 'Logger', action: 'log', options: { message: 'gateway {name} at {url} with {parameters}' } });
    await post('/api/rules', { name: 'tell outside', events: ['POST /api/sms-gateways'], handlerModule: 'WebHook', action: 'post', options: { endpoint: 'outside' } });
    await post('/api/sms-gateways', { name: 'gw', url: `http://u:${PW}@127.0.0.1:9/send?apikey=${KEY}`, parameters: { to: '{phone}', text: '{message}', key: KEY2 } });
    await receiver.waitFor(1);
    await run.host.outbox.drain();
  });
  afterAll(async () => {
    await run.stop();
    await receiver.close();
    tmp.cleanup();
  });

  const leaks = (text: string): string[] => [PW, KEY, KEY2].filter((s) => text.includes(s));

  it('the webhook sent to an outside receiver carries no secret', () => {
    expect(receiver.requests).toHaveLength(1);
    expect(leaks(receiver.requests[0].body)).toEqual([]);
    expect(receiver.requests[0].body).toContain('gw');
  });

  it('the rules log, the outbox and the server log carry no secret', async () => {
    const log = await run.req('GET', '/api/rules/log', { token });
    expect(log.body.entries.length).toBeGreaterThan(0);
    expect(leaks(JSON.stringify(log.body))).toEqual([]);
    const outbox = await run.req('GET', '/api/outbox', { token });
    expect(outbox.body.messages.length).toBeGreaterThan(0);
    expect(leaks(JSON.stringify(outbox.body))).toEqual([]);
    expect(logLines.join('').includes('gateway gw at')).toBe(true);
    expect(leaks(logLines.join(''))).toEqual([]);
  });

  it('the admin deliveries page carries no secret', async () => {
    const login = await fetch(`${run.url}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `username=admin&password=${ADMIN_PASSWORD}`,
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const page = await (await fetch(`${run.url}/admin/deliveries`, { headers: { cookie } })).text();
    expect(page).toContain('webhook');
    expect(leaks(page)).toEqual([]);
  });

  it('the configuration itself still works: its stored secrets are intact for delivery', () => {
    const gw = run.host.notify.configs.getSms('gw');
    expect(gw.url).toContain(PW);
    expect(gw.parameters.key).toBe(KEY2);
  });
});
