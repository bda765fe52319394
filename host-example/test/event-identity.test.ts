/**
 * Every event has a globally unique id, so restarting the host never makes a new event look like
 * one already handled: notifications and webhooks are deduplicated per (event, rule, destination)
 * and nothing is silently dropped after a restart.
 */
import { join } from 'node:path';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';
import { startReceiver, startSmtp, type Receiver, type SmtpSink } from './plugin-helpers';

const RUNS = 3;
const CALLS = 20;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('event identity across restarts', () => {
  const tmp = tempDir();
  const dbFile = join(tmp.dir, 'identity.sqlite');
  let smtp: SmtpSink;
  let receiver: Receiver;

  beforeAll(async () => {
    smtp = await startSmtp();
    receiver = await startReceiver(200);
  });
  afterAll(async () => {
    await smtp.close();
    await receiver.close();
    tmp.cleanup();
  });

  const boot = (): Promise<Running> =>
    start(dbFile, [], { webhookGuard: { allow: ['127.0.0.1'] }, outbox: { pollIntervalMs: 20, backoff: { initialMs: 20, maxAttempts: 3, jitter: 0 } } });

  async function configure(api: Running, token: string): Promise<void> {
    const post = async (path: string, body: unknown): Promise<void> => {
      const res = await api.req('POST', path, { token, body });
      expect(res.status).toBe(201);
    };
    await post('/api/smtp', { name: 'local', host: '127.0.0.1', port: smtp.port, sender: 'noreply@example.com', security: 'none' });
    await post('/api/webhooks', { name: 'crm', url: `${receiver.url}/hooks`, events: ['POST /api/domains'] });
    await post('/api/rules', { name: 'me mail', events: ['GET /api/me'], handlerModule: 'UserNotification', action: 'sendmail', options: { emailconfig: 'local', To: 'email', 'To email': 'ops@example.com', subject: 'me', body: 'me was read' } });
    await post('/api/rules', { name: 'domain hook', events: ['POST /api/domains'], handlerModule: 'WebHook', action: 'post', options: { endpoint: 'crm' } });
  }

  it('delivers every notification and webhook exactly once for the same calls repeated after two restarts', async () => {
    for (let run = 0; run < RUNS; run++) {
      const api = await boot();
      try {
        const token = await api.login('admin', ADMIN_PASSWORD);
        if (run === 0) await configure(api, token);
        for (let i = 0; i < CALLS; i++) {
          expect((await api.req('GET', '/api/me', { token })).status).toBe(200);
          // The same names every run: the first run creates them, later runs are refused (409), still an event each.
          await api.req('POST', '/api/domains', { token, body: { name: `d${i}.example.com` } });
        }
        await api.host.outbox.drain();
        expect(smtp.received).toHaveLength(CALLS * (run + 1));
        expect(receiver.requests).toHaveLength(CALLS * (run + 1));
      } finally {
        await api.stop();
      }
    }
    const messageIds = new Set(smtp.received.map((m) => m.messageId));
    expect(messageIds.size).toBe(RUNS * CALLS);
    const webhookIds = new Set(receiver.requests.map((r) => String(r.headers['webhook-id'])));
    expect(webhookIds.size).toBe(RUNS * CALLS);
    const eventIds = receiver.requests.map((r) => (JSON.parse(r.body) as { data: { eventId?: string } }).data.eventId);
    expect(new Set(eventIds).size).toBe(RUNS * CALLS);
    for (const id of eventIds) expect(id).toMatch(UUID_V7);
  });
});
