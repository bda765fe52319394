import { join } from 'node:path';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';
import { freePort as closedPort, startSmtp, waitFor, type SmtpSink } from './plugin-helpers';
import { messagesByMeta, type Outbox } from '@plugboard/outbox';

interface Delivery {
  readonly state: string;
  readonly attempts: number;
  readonly meta: Record<string, string>;
}

describe('what a rule did, seen from the rule through the HTTP API', () => {
  const tmp = tempDir();
  let api: Running;
  let smtp: SmtpSink;
  let token: string;

  beforeAll(async () => {
    smtp = await startSmtp();
    api = await start(join(tmp.dir, 'outcomes.sqlite'), [], {
      outbox: { pollIntervalMs: 20, backoff: { initialMs: 20, maxAttempts: 2, jitter: 0 } },
    });
    token = await api.login('admin', ADMIN_PASSWORD);
    expect((await api.req('POST', '/api/domains', { token, body: { name: 'example.com' } })).status).toBe(201);
    expect((await api.req('POST', '/api/smtp', { token, body: { name: 'local', host: '127.0.0.1', port: smtp.port, sender: 'noreply@example.com', security: 'none' } })).status).toBe(201);
    const port = await closedPort();
    expect((await api.req('POST', '/api/smtp', { token, body: { name: 'nowhere', host: '127.0.0.1', port, sender: 'noreply@example.com', security: 'none', timeoutMs: 1000 } })).status).toBe(201);
  });
  afterAll(async () => {
    await api.stop();
    await smtp.close();
    tmp.cleanup();
  });

  const createRule = async (body: Record<string, unknown>): Promise<number> => {
    const created = await api.req('POST', '/api/rules', { token, body });
    expect(created.status).toBe(201);
    return created.body.id as number;
  };
  // Post rules run once the response is sent: wait until the rule's message is in the outbox, then until it is final.
  const settled = async (id: number): Promise<void> => {
    // This host runs on SQLite: its outbox answers at once, as waitFor's check needs.
    await waitFor(() => messagesByMeta(api.host.outbox as Outbox, 'ruleId', String(id)).length > 0, 10_000, 'the rule to queue its mail');
    await api.host.outbox.drain({ includeScheduled: true, timeoutMs: 15_000 });
  };
  const deliveries = async (id: number): Promise<Delivery[]> => {
    const res = await api.req('GET', `/api/rules/${id}/deliveries`, { token });
    expect(res.status).toBe(200);
    return res.body.deliveries as Delivery[];
  };

  it('GET /api/rules/:id/deliveries shows the delivered mail of a rule whose log says queued', async () => {
    const options = { emailconfig: 'local', To: 'email', 'To email': 'ops@example.org', subject: 'New account' };
    const id = await createRule({ name: 'tell ops', events: ['AccountCreated'], handlerModule: 'UserNotification', action: 'sendmail', options });
    expect((await api.req('POST', '/api/accounts', { token, body: { username: 'ann@example.com', password: 'correct horse' } })).status).toBe(201);
    await smtp.waitFor(1);

    const log = await api.req('GET', `/api/rules/log?ruleId=${id}`, { token });
    expect(log.body.entries).toEqual([expect.objectContaining({ status: 'queued', detail: 'queued 1 mail(s) to ops@example.org' })]);
    await settled(id);
    const [delivered] = await deliveries(id);
    expect(delivered).toMatchObject({ state: 'delivered', meta: { ruleId: String(id), rule: 'tell ops', event: 'AccountCreated' } });
  });

  it('GET /api/rules/:id/deliveries shows the dead letter of a mail no SMTP server took, with its attempts', async () => {
    const options = { emailconfig: 'nowhere', To: 'email', 'To email': 'ops@example.org', subject: 'New domain' };
    const id = await createRule({ name: 'tell nobody', events: ['DomainCreated'], handlerModule: 'UserNotification', action: 'sendmail', options });
    expect((await api.req('POST', '/api/domains', { token, body: { name: 'dead.example' } })).status).toBe(201);

    await settled(id);
    expect(await deliveries(id)).toEqual([expect.objectContaining({ state: 'dead', attempts: 2, meta: expect.objectContaining({ ruleId: String(id), rule: 'tell nobody' }) })]);
    expect((await api.req('GET', '/api/rules/99999/deliveries', { token })).status).toBe(404);
  });

  it('a pre rule with abortOnError whose action fails stops the request with 409 PB_RULES_ACTION_FAILED naming the rule', async () => {
    expect((await api.req('POST', '/api/smtp', { token, body: { name: 'soon-gone', host: '127.0.0.1', port: smtp.port, sender: 'noreply@example.com', security: 'none' } })).status).toBe(201);
    const options = { emailconfig: 'soon-gone', To: 'email', 'To email': 'ops@example.org' };
    const id = await createRule({ name: 'guard', position: 'pre', abortOnError: true, events: ['POST /api/domains'], handlerModule: 'UserNotification', action: 'sendmail', options });
    // Its configuration deleted anyway (forced), the action now fails on every event.
    expect((await api.req('DELETE', '/api/smtp/soon-gone?force=true', { token })).status).toBe(204);

    const refused = await api.req('POST', '/api/domains', { token, body: { name: 'never.example' } });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'PB_RULES_ACTION_FAILED', rule: 'guard', ruleId: id, event: 'POST /api/domains' });
    const domains = await api.req('GET', '/api/domains', { token });
    expect(JSON.stringify(domains.body)).not.toContain('never.example');
  });
});
