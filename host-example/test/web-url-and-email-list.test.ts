/**
 * Under the real host: an email list is one mail to all its addresses, and `{url}` comes from
 * PLUGBOARD_WEB_URL or, once set, from the `web_url` administration parameter.
 */
import { join } from 'node:path';
import { pluginOptionsFromEnv } from '../src/plugins';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';
import { startSmtp, type SmtpSink } from './plugin-helpers';

describe('notification recipients and the web UI URL in the host', () => {
  const tmp = tempDir();
  let api: Running;
  let token: string;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await startSmtp();
    const fromEnv = pluginOptionsFromEnv({ PLUGBOARD_WEB_URL: 'https://mail.example.org/admin' });
    api = await start(join(tmp.dir, 'url.sqlite'), [], { ...fromEnv, outbox: { pollIntervalMs: 20, backoff: { initialMs: 20, maxAttempts: 2, jitter: 0 } } });
    token = await api.login('admin', ADMIN_PASSWORD);
    const config = { name: 'local', host: '127.0.0.1', port: smtp.port, sender: 'noreply@example.org', security: 'none' };
    expect((await api.req('POST', '/api/smtp', { token, body: config })).status).toBe(201);
    expect((await api.req('POST', '/api/domains', { token, body: { name: 'example.com' } })).status).toBe(201);
    const rule = await api.req('POST', '/api/rules', {
      token,
      body: {
        name: 'tell ops',
        events: ['AccountCreated'],
        handlerModule: 'UserNotification',
        action: 'sendmail',
        options: { emailconfig: 'local', To: 'email', 'To email': ' a@x.org,  b@y.org ', subject: 'new {username}', body: 'See {url}' },
      },
    });
    expect(rule.status).toBe(201);
  });
  afterAll(async () => {
    await api.stop();
    await smtp.close();
    tmp.cleanup();
  });

  const createAccount = (username: string) => api.req('POST', '/api/accounts', { token, body: { username, password: 'account-password-1' } });

  it('sends one mail with both list addresses in To, its {url} from PLUGBOARD_WEB_URL', async () => {
    expect((await createAccount('ann@example.com')).status).toBe(201);
    await smtp.waitFor(1);
    await api.host.outbox.drain();
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    const to = Array.isArray(mail.to) ? mail.to : [mail.to];
    expect(to.flatMap((t) => t?.value.map((v) => v.address) ?? [])).toEqual(['a@x.org', 'b@y.org']);
    expect(mail.text?.trim()).toBe('See https://mail.example.org/admin');
  });

  it('takes {url} from the web_url administration parameter once an administrator sets it', async () => {
    const set = await api.req('PUT', '/api/parameters/core', { token, body: { web_url: 'https://admin.example.org/' } });
    expect(set.status).toBe(200);
    expect(set.body.web_url).toBe('https://admin.example.org/');
    expect((await createAccount('bob@example.com')).status).toBe(201);
    await smtp.waitFor(2);
    expect(smtp.received[1].text?.trim()).toBe('See https://admin.example.org/');
  });

  it('refuses a web_url that is not an http(s) URL, naming the parameter', async () => {
    const res = await api.req('PUT', '/api/parameters/core', { token, body: { web_url: 'javascript:alert(1)' } });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('web_url');
  });
});
