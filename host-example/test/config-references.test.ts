/**
 * A configuration a rule uses cannot be deleted out from under it (409 naming the rules) unless
 * forced, and a rule whose configuration is gone can still be edited or deleted.
 */
import { join } from 'node:path';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';

describe('configurations in use by rules', () => {
  const tmp = tempDir();
  let api: Running;
  let token: string;

  beforeAll(async () => {
    api = await start(join(tmp.dir, 'refs.sqlite'), []);
    token = await api.login('admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await api.stop();
    tmp.cleanup();
  });

  const smtp = (name: string) =>
    api.req('POST', '/api/smtp', { token, body: { name, host: '127.0.0.1', port: 2525, sender: 'noreply@example.com', security: 'none' } });
  const mailRule = (name: string, emailconfig: string) =>
    api.req('POST', '/api/rules', {
      token,
      body: { name, events: ['AccountCreated'], handlerModule: 'UserNotification', action: 'sendmail', options: { emailconfig, To: 'email', 'To email': 'ops@example.com' } },
    });

  it('refuses to delete an SMTP configuration a rule uses (409 naming the rule), and deletes it when forced', async () => {
    expect((await smtp('used')).status).toBe(201);
    expect((await mailRule('welcome mail', 'used')).status).toBe(201);

    const refused = await api.req('DELETE', '/api/smtp/used', { token });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('"welcome mail"');
    expect(refused.body.message).toContain('force=true');
    expect((await api.req('GET', '/api/smtp/used', { token })).status).toBe(200);

    expect((await api.req('DELETE', '/api/smtp/used?force=true', { token })).status).toBe(204);
    expect((await api.req('GET', '/api/smtp/used', { token })).status).toBe(404);
  });

  it('deletes an SMTP configuration no rule uses (204)', async () => {
    expect((await smtp('unused')).status).toBe(201);
    expect((await api.req('DELETE', '/api/smtp/unused', { token })).status).toBe(204);
  });

  it('refuses to delete an SMS gateway a sendsms rule uses', async () => {
    expect((await api.req('POST', '/api/sms-gateways', { token, body: { name: 'gw', url: 'http://127.0.0.1:9/sms' } })).status).toBe(201);
    const rule = await api.req('POST', '/api/rules', {
      token,
      body: { name: 'welcome sms', events: ['AccountCreated'], handlerModule: 'UserNotification', action: 'sendsms', options: { smsconfig: 'gw', To: 'tokenowner' } },
    });
    expect(rule.status).toBe(201);
    const refused = await api.req('DELETE', '/api/sms-gateways/gw', { token });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('"welcome sms"');
  });

  it('refuses to delete a webhook endpoint a WebHook rule uses, by name or id', async () => {
    const endpoint = await api.req('POST', '/api/webhooks', { token, body: { name: 'crm', url: 'http://127.0.0.1:9/hook' } });
    expect(endpoint.status).toBe(201);
    const rule = await api.req('POST', '/api/rules', {
      token,
      body: { name: 'tell crm', events: ['AccountCreated'], handlerModule: 'WebHook', action: 'post', options: { endpoint: 'crm' } },
    });
    expect(rule.status).toBe(201);
    const refused = await api.req('DELETE', `/api/webhooks/${String(endpoint.body.endpoint.id)}`, { token });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('"tell crm"');
  });

  it('lets a rule whose SMTP configuration is gone be edited and deleted', async () => {
    expect((await smtp('old')).status).toBe(201);
    expect((await smtp('other')).status).toBe(201);
    const created = await mailRule('orphan', 'old');
    expect(created.status).toBe(201);
    expect((await api.req('DELETE', '/api/smtp/old?force=true', { token })).status).toBe(204);

    const renamed = await api.req('PATCH', `/api/rules/${String(created.body.id)}`, { token, body: { name: 'orphan renamed', active: false } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('orphan renamed');
    // Pointing it at a configuration that does not exist is still refused, naming the option.
    const bad = await api.req('PATCH', `/api/rules/${String(created.body.id)}`, { token, body: { options: { emailconfig: 'nope', To: 'email', 'To email': 'ops@example.com' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('options.emailconfig');
    const repaired = await api.req('PATCH', `/api/rules/${String(created.body.id)}`, { token, body: { options: { emailconfig: 'other', To: 'email', 'To email': 'ops@example.com' } } });
    expect(repaired.status).toBe(200);
    expect(repaired.body.options.emailconfig).toBe('other');
    expect((await api.req('DELETE', `/api/rules/${String(created.body.id)}`, { token })).status).toBe(204);
  });
});
