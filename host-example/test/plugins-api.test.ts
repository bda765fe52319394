import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import type { LiveCall } from '../src/live-events';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';
import { startReceiver, startSmtp, type Receiver, type SmtpSink } from './plugin-helpers';

describe('plugins through the HTTP API: rules, notifications, webhooks, outbox', () => {
  const tmp = tempDir();
  let api: Running;
  let smtp: SmtpSink;
  let receiver: Receiver;
  let token: string;
  const calls: LiveCall[] = [];

  beforeAll(async () => {
    smtp = await startSmtp();
    receiver = await startReceiver(200);
    api = await start(join(tmp.dir, 'plugins.sqlite'), [], {
      webhookGuard: { allow: ['127.0.0.1'] },
      outbox: { pollIntervalMs: 50, backoff: { initialMs: 50, maxAttempts: 2, jitter: 0 } },
    });
    api.host.liveEvents.subscribe('call', (c) => calls.push(c));
    token = await api.login('admin', ADMIN_PASSWORD);
    expect((await api.req('POST', '/api/domains', { token, body: { name: 'example.com' } })).status).toBe(201);
  });
  afterAll(async () => {
    await api.stop();
    await smtp.close();
    await receiver.close();
    tmp.cleanup();
  });

  const post = (path: string, body: unknown) => api.req('POST', path, { token, body });

  it('lists handler modules with their option schemas and the events a rule can bind', async () => {
    const modules = await api.req('GET', '/api/handler-modules', { token });
    expect(modules.status).toBe(200);
    const ids = (modules.body.modules as { identifier: string }[]).map((m) => m.identifier);
    expect(ids).toEqual(expect.arrayContaining(['Logger', 'UserNotification', 'WebHook', 'Script', 'HostPolicy']));
    const notify = (modules.body.modules as { identifier: string; actions: { name: string; options: { name: string; required: boolean }[] }[] }[]).find((m) => m.identifier === 'UserNotification');
    expect(notify?.actions.find((a) => a.name === 'sendmail')?.options).toContainEqual(expect.objectContaining({ name: 'emailconfig', required: true }));

    const events = await api.req('GET', '/api/rules/events', { token });
    expect((events.body.hooks as { name: string }[]).map((h) => h.name)).toEqual(expect.arrayContaining(['AccountCreated', 'DomainCreated', 'UserLogin']));
    expect(events.body.api).toEqual(expect.arrayContaining(['POST /api/domains', 'POST /api/accounts', 'POST /api/rules/:id/:action']));

    const simple = await api.req('GET', '/api/handler-modules', { token: await simpleUserToken() });
    expect(simple.status).toBe(403);
  });

  it('sends a sendmail notification with tags substituted when an account is created, and none once the rule is disabled', async () => {
    const config = await post('/api/smtp', { name: 'local', host: '127.0.0.1', port: smtp.port, sender: 'noreply@example.com', security: 'none', username: 'mailer', password: 's3cret' });
    expect(config.status).toBe(201);
    expect(config.body.password).toBe('***');
    expect((await api.req('GET', '/api/smtp', { token })).body.configs[0].password).toBe('***');

    const rule = {
      name: 'welcome mail',
      events: ['AccountCreated'],
      handlerModule: 'UserNotification',
      action: 'sendmail',
      options: { To: 'tokenowner', subject: 'Welcome {givenname}', body: 'Hello {givenname} {surname}, your login is {username} in {userrealm}; created by {admin}.' },
    };
    const missing = await post('/api/rules', rule);
    expect(missing.status).toBe(400);
    expect(missing.body.field).toBe('options.emailconfig');
    expect(missing.body.issues).toContainEqual(expect.objectContaining({ path: 'options.emailconfig' }));

    const created = await post('/api/rules', { ...rule, options: { ...rule.options, emailconfig: 'local' } });
    expect(created.status).toBe(201);
    const id = created.body.id as number;

    expect((await post('/api/accounts', { username: 'ann@example.com', password: 'correct horse', firstName: 'Ann', lastName: 'Lee' })).status).toBe(201);
    await smtp.waitFor(1);
    const mail = smtp.received[0];
    expect(mail.subject).toBe('Welcome Ann');
    expect(mail.text?.trim()).toBe('Hello Ann Lee, your login is ann@example.com in example.com; created by admin.');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0].address : undefined).toBe('ann@example.com');

    const log = await api.req('GET', `/api/rules/log?ruleId=${id}`, { token });
    expect(log.body.entries).toContainEqual(expect.objectContaining({ ruleName: 'welcome mail', event: 'AccountCreated', status: 'queued' }));

    expect((await post(`/api/rules/${id}/disable`, undefined)).body.active).toBe(false);
    expect((await post('/api/accounts', { username: 'bob@example.com', password: 'correct horse', firstName: 'Bob' })).status).toBe(201);
    await api.host.outbox.drain();
    expect(api.host.outbox.list({ channel: 'smtp' })).toHaveLength(1);
    expect(smtp.received).toHaveLength(1);
    expect((await post(`/api/rules/${id}/enable`, undefined)).body.active).toBe(true);
    expect((await api.req('DELETE', `/api/rules/${id}`, { token })).status).toBe(204);
  });

  it('delivers AccountCreated as a signed webhook, keeps a delivery log, and retries a dead letter through the API', async () => {
    const created = await post('/api/webhooks', { name: 'crm', url: `${receiver.url}/hooks`, events: ['AccountCreated'] });
    expect(created.status).toBe(201);
    const secret = created.body.generatedSecret as string;
    expect(secret).toMatch(/^whsec_/);
    expect(created.body.endpoint.secrets).toEqual(['***']);

    expect((await post('/api/accounts', { username: 'cy@example.com', password: 'correct horse' })).status).toBe(201);
    await receiver.waitFor(1);
    const req = receiver.requests[0];
    const envelope = new Webhook(secret).verify(req.body, {
      'webhook-id': String(req.headers['webhook-id']),
      'webhook-timestamp': String(req.headers['webhook-timestamp']),
      'webhook-signature': String(req.headers['webhook-signature']),
    }) as { type: string; data: { account: { username: string } } };
    expect(envelope.type).toBe('AccountCreated');
    expect(envelope.data.account.username).toBe('cy@example.com');
    await api.host.outbox.drain();
    const deliveries = await api.req('GET', '/api/webhooks/crm/deliveries', { token });
    expect(deliveries.body.deliveries[0]).toEqual(expect.objectContaining({ event: 'AccountCreated', state: 'delivered', lastStatusCode: 200 }));

    // A 4xx answer is permanent: the message is a dead letter, visible and retryable.
    receiver.status = 422;
    expect((await post('/api/accounts', { username: 'di@example.com', password: 'correct horse' })).status).toBe(201);
    await api.host.outbox.drain();
    const dead = await api.req('GET', '/api/outbox?state=dead', { token });
    expect(dead.status).toBe(200);
    expect(dead.body.messages).toHaveLength(1);
    const deadId = dead.body.messages[0].id as string;
    expect(dead.body.messages[0].channel).toBe('webhook');
    expect((await api.req('GET', `/api/outbox/${deadId}`, { token })).body.history).toContainEqual(expect.objectContaining({ outcome: 'dead', statusCode: 422 }));

    receiver.status = 200;
    const retried = await post(`/api/outbox/${deadId}/retry`, undefined);
    expect(retried.status).toBe(200);
    expect(retried.body.state).toBe('pending');
    await api.host.outbox.drain();
    expect((await api.req('GET', `/api/outbox/${deadId}`, { token })).body.state).toBe('delivered');
    expect((await post(`/api/outbox/${deadId}/retry`, undefined)).status).toBe(409);
    expect((await api.req('GET', '/api/outbox?state=bogus', { token })).body.field).toBe('state');
  });

  it('refuses an API call with a pre rule, naming the rule, and lets other calls through', async () => {
    const rule = await post('/api/rules', {
      name: 'no test domains',
      position: 'pre',
      events: ['POST /api/domains'],
      handlerModule: 'HostPolicy',
      action: 'deny',
      options: { reason: 'test domains are not hosted here' },
      conditions: { payload_match: 'name=\\.test$' },
    });
    expect(rule.status).toBe(201);
    const refused = await post('/api/domains', { name: 'blocked.test' });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual(expect.objectContaining({ error: 'PB_RULES_ABORTED', rule: 'no test domains', reason: 'test domains are not hosted here' }));
    expect(await api.host.repo.domainByName('blocked.test')).toBeUndefined();
    expect((await post('/api/domains', { name: 'allowed.org' })).status).toBe(201);
    await api.req('DELETE', `/api/rules/${rule.body.id as number}`, { token });
  });

  it('emits every hook call on the live event hub with secret arguments redacted', () => {
    const login = calls.find((c) => c.hook === 'UserLogin');
    expect(login?.args[2]).toBe('***');
    expect(calls.some((c) => c.hook === 'AccountCreated' && (c.args[0] as { username: string }).username === 'ann@example.com')).toBe(true);
    expect(calls[0].report.listeners).toBeDefined();
  });

  async function simpleUserToken(): Promise<string> {
    if ((await api.host.repo.userByName('sue@example.com')) === undefined) {
      await post('/api/accounts', { username: 'sue@example.com', password: 'correct horse' });
    }
    return api.login('sue@example.com', 'correct horse');
  }
});
