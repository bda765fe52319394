/**
 * Under the real host, a notification rule that sets no texts speaks of the account and the event,
 * not of privacyIDEA's tokens (whose `{serial}` is always empty here), and `{event}` renders in a
 * mail as it does in a Logger line.
 */
import { join } from 'node:path';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';
import { startSmtp, type SmtpSink } from './plugin-helpers';

describe('notification texts in the host', () => {
  const tmp = tempDir();
  let api: Running;
  let token: string;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await startSmtp();
    api = await start(join(tmp.dir, 'wording.sqlite'), [], { notifyUrl: 'https://mail.example.org/admin' });
    token = await api.login('admin', ADMIN_PASSWORD);
    const config = { name: 'local', host: '127.0.0.1', port: smtp.port, sender: 'noreply@example.org', security: 'none' };
    expect((await api.req('POST', '/api/smtp', { token, body: config })).status).toBe(201);
    expect((await api.req('POST', '/api/domains', { token, body: { name: 'example.com' } })).status).toBe(201);
  });
  afterAll(async () => {
    await api.stop();
    await smtp.close();
    tmp.cleanup();
  });

  it('a rule without subject and body sends a mail about the account and the event, with no token wording', async () => {
    const rule = { name: 'tell ops', events: ['AccountCreated'], handlerModule: 'UserNotification', action: 'sendmail', options: { emailconfig: 'local', To: 'email', 'To email': 'ops@example.org' } };
    expect((await api.req('POST', '/api/rules', { token, body: rule })).status).toBe(201);
    expect((await api.req('POST', '/api/accounts', { token, body: { username: 'ann@example.com', password: 'account-password-1' } })).status).toBe(201);
    await smtp.waitFor(1);
    const [mail] = smtp.received;
    expect(mail.subject).toBe('AccountCreated: an administrator acted on your account');
    expect(mail.text).toContain('the administrator admin performed');
    expect(mail.text).toContain('https://mail.example.org/admin');
    expect(`${mail.subject ?? ''} ${mail.text ?? ''}`).not.toMatch(/token/i);
  });

  it('{event} is a tag of a notification body as of a Logger message: both rules are accepted at save', async () => {
    for (const [handlerModule, action, options] of [
      ['Logger', 'log', { message: '{event} {eventId}' }],
      ['UserNotification', 'sendmail', { emailconfig: 'local', To: 'email', 'To email': 'ops@example.org', body: '{event} {eventId}' }],
    ] as const) {
      const res = await api.req('POST', '/api/rules', { token, body: { name: `event tag ${handlerModule}`, events: ['DomainCreated'], handlerModule, action, options } });
      expect(res.status).toBe(201);
    }
  });
});
