/**
 * Options that would inject headers or escape a directory are refused when the rule is saved
 * (400 naming the option), not accepted and failing on every event later.
 */
import { join } from 'node:path';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';

describe('rules refused at save', () => {
  const tmp = tempDir();
  let api: Running;
  let token: string;

  beforeAll(async () => {
    api = await start(join(tmp.dir, 'save.sqlite'), []);
    token = await api.login('admin', ADMIN_PASSWORD);
    expect((await api.req('POST', '/api/smtp', { token, body: { name: 'local', host: '127.0.0.1', port: 2525, sender: 'noreply@example.com', security: 'none' } })).status).toBe(201);
  });
  afterAll(async () => {
    await api.stop();
    tmp.cleanup();
  });

  let n = 0;
  const mailRule = (options: Record<string, unknown>) =>
    api.req('POST', '/api/rules', {
      token,
      body: { name: `mail ${++n}`, events: ['AccountCreated'], handlerModule: 'UserNotification', action: 'sendmail', options: { emailconfig: 'local', To: 'email', 'To email': 'ops@example.com', ...options } },
    });

  it.each([
    ['reply_to', 'ops@example.com\r\nBcc: victim@example.org'],
    ['subject', 'hello\nBcc: victim@example.org'],
    ['To email', 'ops@example.com\r\n'],
  ])('refuses CR/LF in the header-bound option %s', async (option, value) => {
    const res = await mailRule({ [option]: value });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe(`options.${option}`);
    expect(res.body.message).toMatch(/single line/);
  });

  it('refuses a reply_to that is not one plain address', async () => {
    const res = await mailRule({ reply_to: 'Ops <ops@example.com>, x@example.org' });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('options.reply_to');
  });

  it('keeps multi-line bodies (a text option)', async () => {
    expect((await mailRule({ body: 'line one\nline two' })).status).toBe(201);
  });

  it.each(['../pwn', 'a/b', '..'])('refuses the Script event name %j', async (event) => {
    const res = await api.req('POST', '/api/rules', {
      token,
      body: { name: `script ${event}`, events: ['AccountCreated'], handlerModule: 'Script', action: 'run', options: { directory: tmp.dir, event } },
    });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('options.event');
  });

  it('refuses a relative Script directory', async () => {
    const res = await api.req('POST', '/api/rules', {
      token,
      body: { name: 'script relative', events: ['AccountCreated'], handlerModule: 'Script', action: 'run', options: { directory: 'relative/dir' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('options.directory');
  });
});
