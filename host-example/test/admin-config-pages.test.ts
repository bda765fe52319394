/**
 * The operator's configuration pages over plain HTTP (issue 17 item 6): the error paths that the
 * Chromium walk-throughs do not take — a configuration in use, a field the service refuses, and
 * an administrator who is not a SuperAdmin.
 */
import { join } from 'node:path';
import { SAMPLE_EXTENSIONS } from '../src/extensions';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';
import { startReceiver } from './plugin-helpers';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('configuration pages over HTTP', () => {
  let tmp: ReturnType<typeof tempDir>;
  let running: Running;
  let token: string;
  let cookie: string;

  const post = (path: string, body: Record<string, string>, session = cookie) =>
    fetch(running.url + path, { method: 'POST', redirect: 'manual', headers: { cookie: session, ...FORM }, body: new URLSearchParams(body).toString() });
  const get = (path: string, session = cookie) => fetch(running.url + path, { redirect: 'manual', headers: { cookie: session } });

  beforeAll(async () => {
    tmp = tempDir();
    running = await start(join(tmp.dir, 'host.sqlite'), SAMPLE_EXTENSIONS, { webhookGuard: { allow: ['127.0.0.1'] } });
    token = await running.login('admin', ADMIN_PASSWORD);
    const res = await fetch(`${running.url}/admin/login`, { method: 'POST', redirect: 'manual', headers: FORM, body: `username=admin&password=${ADMIN_PASSWORD}` });
    cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  });
  afterAll(async () => {
    await running.stop();
    tmp.cleanup();
  });

  test('a mail server that a rule uses is not deleted: 409 naming the rule, then "Delete anyway" deletes it', async () => {
    const created = await post('/admin/smtp', { name: 'relay', host: '127.0.0.1', port: '2525', security: 'none', sender: 'noreply@example.com', username: 'mailer', password: 's3cret-pass' });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toContain('/admin/smtp?notice=');
    const list = await (await get('/admin/smtp')).text();
    expect(list).toContain('mailer / ***');
    expect(list).not.toContain('s3cret-pass');
    const rule = await running.req('POST', '/api/rules', { token, body: { name: 'welcome mail', events: ['AccountCreated'], handlerModule: 'UserNotification', action: 'sendmail', options: { emailconfig: 'relay', To: 'email', 'To email': 'ops@example.org' } } });
    expect(rule.status).toBe(201);

    const refused = await post('/admin/smtp/relay/delete', {});
    expect(refused.status).toBe(409);
    const page = await refused.text();
    expect(page).toContain('is used by rule(s) &quot;welcome mail&quot;');
    expect(page).toContain('Delete anyway');
    expect((await running.req('GET', '/api/smtp', { token })).body.configs).toHaveLength(1);

    const forced = await post('/admin/smtp/relay/delete', { force: 'true' });
    expect(forced.status).toBe(303);
    expect((await running.req('GET', '/api/smtp', { token })).body.configs).toHaveLength(0);
  });

  test('a page action is the API operation it stands for: a pre rule on POST /api/smtp refuses the page\'s add too, naming the rule; a post rule sees it', async () => {
    const deny = await running.req('POST', '/api/rules', { token, body: { name: 'no test relays', position: 'pre', events: ['POST /api/smtp'], handlerModule: 'HostPolicy', action: 'deny', options: { reason: 'test relays are not allowed' }, conditions: { payload_match: 'name=^test' } } });
    expect(deny.status).toBe(201);
    const seen = await running.req('POST', '/api/rules', { token, body: { name: 'log smtp', position: 'post', events: ['DELETE /api/smtp/:name'], handlerModule: 'Logger', action: 'log', options: { message: 'deleted {event}' } } });
    expect(seen.status).toBe(201);
    const refused = await post('/admin/smtp', { name: 'test-relay', host: '127.0.0.1', port: '2525', security: 'none', sender: 'noreply@example.com' });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('test relays are not allowed');
    expect((await running.req('GET', '/api/smtp', { token })).body.configs.map((c: { name: string }) => c.name)).not.toContain('test-relay');
    expect((await post('/admin/smtp', { name: 'prod-relay', host: '127.0.0.1', port: '2525', security: 'none', sender: 'noreply@example.com' })).status).toBe(303);
    expect((await post('/admin/smtp/prod-relay/delete', {})).status).toBe(303);
    const log = await running.req('GET', '/api/rules/log?limit=50', { token });
    const entries = (log.body.entries ?? log.body.log ?? log.body) as { ruleName?: string; event?: string; status?: string }[];
    expect(JSON.stringify(entries)).toContain('DELETE /api/smtp/:name');
    await running.req('DELETE', `/api/rules/${deny.body.id}`, { token });
    await running.req('DELETE', `/api/rules/${seen.body.id}`, { token });
  });

  test('a mail server with a bad port and sender is re-shown with those fields marked and the typed values kept', async () => {
    const res = await post('/admin/smtp', { name: 'bad', host: 'smtp.example.com', port: '99999', security: 'starttls', sender: 'not an address' });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('was not saved');
    expect(page).toMatch(/data-field="port"[^>]*>[\s\S]*?aria-invalid="true"/);
    expect(page).toMatch(/class="field invalid" data-field="sender"/);
    expect(page).toContain('value="smtp.example.com"');
    expect((await running.req('GET', '/api/smtp', { token })).body.configs).toHaveLength(0);
  });

  test('an administrator who is not a SuperAdmin gets 403 on every configuration page and creates nothing', async () => {
    expect((await running.req('POST', '/api/domains', { token, body: { name: 'example.net' } })).status).toBe(201);
    expect((await running.req('POST', '/api/accounts', { token, body: { username: 'dora', password: 'dora-password-1', role: 'DomainAdmins' } })).status).toBe(201);
    const dora = `pb_admin_session=${await running.login('dora', 'dora-password-1')}`;
    for (const path of ['/admin/smtp', '/admin/sms-gateways', '/admin/webhooks', '/admin/email-hooks']) {
      const res = await get(path, dora);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('needs a SuperAdmin');
    }
    expect((await post('/admin/smtp', { name: 'sneaky', host: 'h', sender: 'a@example.net' }, dora)).status).toBe(403);
    expect((await running.req('GET', '/api/smtp', { token })).body.configs).toHaveLength(0);
  });

  test('a webhook endpoint that a rule posts to is not deleted: 409 naming the rule; the signing secret is shown once at creation', async () => {
    const created = await post('/admin/webhooks', { name: 'crm', url: 'http://127.0.0.1:9/hooks', events: 'AccountCreated', realms: '', enabled: 'true' });
    expect(created.status).toBe(200);
    const page = await created.text();
    const secret = /id="secret-value">(whsec_[^<]+)</.exec(page)?.[1];
    expect(secret).toBeDefined();
    const [endpoint] = (await running.req('GET', '/api/webhooks', { token })).body.endpoints as { id: string }[];
    expect(await (await get(`/admin/webhooks/${endpoint.id}`)).text()).not.toContain(String(secret));
    expect((await running.req('POST', '/api/rules', { token, body: { name: 'tell crm', events: ['AccountCreated'], handlerModule: 'WebHook', action: 'post', options: { endpoint: 'crm' } } })).status).toBe(201);
    const refused = await post(`/admin/webhooks/${endpoint.id}/delete`, {});
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('is used by rule(s) &quot;tell crm&quot;');
    expect((await running.req('GET', '/api/webhooks', { token })).body.endpoints).toHaveLength(1);
  });

  test('an SMS gateway with a bad URL and an email hook with an unknown event and no credentials name those fields', async () => {
    const sms = await post('/admin/sms-gateways', { name: 'gw', url: 'ftp://gateway.example.com', method: 'POST', bodyFormat: 'form', parameters: 'to={phone}', headers: '' });
    expect(sms.status).toBe(400);
    expect(await sms.text()).toMatch(/class="field invalid" data-field="url"/);
    const unknownEvent = await post('/admin/email-hooks', { name: 'ops', kind: 'simple', events: 'AccountCreatd', recipients: 'ops@example.org', sender: 'pb@example.org', host: '127.0.0.1', port: '25', credentials: 'u:p', requireTls: 'false' });
    expect(unknownEvent.status).toBe(400);
    const unknownPage = await unknownEvent.text();
    expect(unknownPage).toMatch(/class="field invalid" data-field="events"/);
    expect(unknownPage).toContain('value="AccountCreatd"');
    const noCredentials = await post('/admin/email-hooks', { name: 'ops', kind: 'simple', events: 'AccountCreated', recipients: 'ops@example.org', sender: 'pb@example.org', host: '127.0.0.1', port: '25', credentials: '', requireTls: 'false' });
    expect(noCredentials.status).toBe(400);
    expect(await noCredentials.text()).toMatch(/class="field invalid" data-field="credentials"/);
    expect((await running.req('GET', '/api/email-hooks', { token })).body.hooks).toHaveLength(0);
  });

  test('a test mail that the server cannot take shows its failure; a recipient that is not an address is named', async () => {
    // Port 9 (discard) on 127.0.0.1 has no SMTP server: the connection is refused at once.
    expect((await post('/admin/smtp', { name: 'down', host: '127.0.0.1', port: '9', security: 'none', sender: 'noreply@example.com' })).status).toBe(303);
    const failed = await post('/admin/smtp/down/test', { to: 'postmaster@example.org' });
    expect(failed.status).toBe(502);
    const page = await failed.text();
    expect(page).toMatch(/class="notice error" role="alert" id="test-answer">[^<]*ECONNREFUSED/);
    expect(page).toContain('value="postmaster@example.org"');
    const notAddress = await post('/admin/smtp/down/test', { to: 'postmaster' });
    expect(notAddress.status).toBe(400);
    expect(await notAddress.text()).toContain('&quot;postmaster&quot; is not an email address');
    expect((await post('/admin/smtp/down/delete', {})).status).toBe(303);
  });

  test('a ping that the receiver answers with 503 is shown as an alert with the status, and the endpoint stays enabled', async () => {
    const receiver = await startReceiver(503);
    try {
      expect((await post('/admin/webhooks', { name: 'flaky', url: `${receiver.url}/in`, events: '', realms: '', enabled: 'true' })).status).toBe(200);
      const endpoint = (await running.host.webhooks.store.list()).find((e) => e.name === 'flaky');
      const res = await post(`/admin/webhooks/${String(endpoint?.id)}/ping`, {});
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/class="notice error" role="alert" id="test-answer">flaky answered HTTP 503/);
      expect(receiver.requests).toHaveLength(1);
      expect((await running.host.webhooks.store.get('flaky'))?.enabled).toBe(true);
    } finally {
      await receiver.close();
    }
  });
});
