/**
 * Options that would inject headers or escape a directory are refused when the rule is saved
 * (400 naming the option), not accepted and failing on every event later.
 */
import { join } from 'node:path';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';

/** A host with one SMTP configuration, "local", and an administrator's token. */
async function startWithSmtp(dbFile: string): Promise<{ api: Running; token: string }> {
  const api = await start(dbFile, []);
  const token = await api.login('admin', ADMIN_PASSWORD);
  expect((await api.req('POST', '/api/smtp', { token, body: { name: 'local', host: '127.0.0.1', port: 2525, sender: 'noreply@example.com', security: 'none' } })).status).toBe(201);
  return { api, token };
}

describe('rules refused at save', () => {
  const tmp = tempDir();
  let api: Running;
  let token: string;

  beforeAll(async () => {
    ({ api, token } = await startWithSmtp(join(tmp.dir, 'save.sqlite')));
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

/** Rules that could never fire or never reach anyone are refused when saved, naming the field. */
describe('rules that can never work are refused at save', () => {
  const tmp = tempDir();
  let api: Running;
  let token: string;

  beforeAll(async () => {
    api = await start(join(tmp.dir, 'never.sqlite'), []);
    token = await api.login('admin', ADMIN_PASSWORD);
    expect((await api.req('POST', '/api/smtp', { token, body: { name: 'local', host: '127.0.0.1', port: 2525, sender: 'noreply@example.com', security: 'none' } })).status).toBe(201);
  });
  afterAll(async () => {
    await api.stop();
    tmp.cleanup();
  });

  const logRule = (name: string, events: string[]) =>
    api.req('POST', '/api/rules', { token, body: { name, events, handlerModule: 'Logger', action: 'log', options: { message: 'seen' } } });

  it('refuses a misspelt hook event, suggesting the event meant', async () => {
    const res = await logRule('typo', ['AccountCreatd']);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('events.0');
    expect(res.body.message).toMatch(/unknown event "AccountCreatd".*did you mean AccountCreated\?/);
  });

  it('refuses a misspelt API route event, suggesting the route meant', async () => {
    const res = await logRule('api typo', ['POST /api/acounts']);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('events.0');
    expect(res.body.message).toMatch(/did you mean POST \/api\/accounts\?/);
  });

  it('accepts hook events, API route events and patterns', async () => {
    expect((await logRule('known', ['AccountCreated', 'POST /api/accounts', 'Account*'])).status).toBe(201);
  });

  it('refuses a misspelt event on PATCH too', async () => {
    const created = await logRule('to patch', ['AccountCreated']);
    const res = await api.req('PATCH', `/api/rules/${String(created.body.id)}`, { token, body: { events: ['AccountCreated', 'AccountDeletd'] } });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('events.1');
    expect(res.body.message).toMatch(/did you mean AccountDeleted\?/);
  });

  it('refuses To "email" with no To email address', async () => {
    const res = await api.req('POST', '/api/rules', {
      token,
      body: { name: 'no address', events: ['AccountCreated'], handlerModule: 'UserNotification', action: 'sendmail', options: { emailconfig: 'local', To: 'email' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('options.To email');
    expect(res.body.message).toMatch(/is required when To is "email"/);
  });
});

/** A notification that can never reach anyone or never render is refused when saved, naming the option. */
describe('notifications that cannot work on their events are refused at save', () => {
  const tmp = tempDir();
  let api: Running;
  let token: string;

  beforeAll(async () => {
    ({ api, token } = await startWithSmtp(join(tmp.dir, 'notify.sqlite')));
  });
  afterAll(async () => {
    await api.stop();
    tmp.cleanup();
  });

  let n = 0;
  const mail = (events: string[], options: Record<string, unknown>) =>
    api.req('POST', '/api/rules', {
      token,
      body: { name: `notify ${++n}`, events, handlerModule: 'UserNotification', action: 'sendmail', options: { emailconfig: 'local', To: 'email', 'To email': 'ops@example.com', ...options } },
    });

  it('refuses To "tokenowner" on an API event, which is about no account', async () => {
    const res = await mail(['POST /api/domains'], { To: 'tokenowner' });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('options.To');
    expect(res.body.message).toMatch(/event POST \/api\/domains is about no user/);
  });

  it('accepts To "tokenowner" on a hook event about an account', async () => {
    expect((await mail(['AccountCreated'], { To: 'tokenowner' })).status).toBe(201);
  });

  it('refuses a body tag the event does not provide', async () => {
    const res = await mail(['AccountCreated'], { body: 'Welcome {acount.username}' });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('options.body');
    expect(res.body.message).toMatch(/uses \{acount\.username\}, which event AccountCreated does not provide; its tags: \{account\}/);
  });

  it('refuses a subject tag missing on one of several events', async () => {
    const res = await mail(['AccountCreated', 'DomainCreated'], { subject: 'New {account.username}' });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('options.subject');
    expect(res.body.message).toMatch(/event DomainCreated does not provide/);
  });

  it('accepts payload fields and the tags every notification has', async () => {
    expect((await mail(['AccountCreated'], { subject: 'New {account.username}', body: '{username} at {url}, by {admin}' })).status).toBe(201);
  });
});

/** A condition that can never match the event's result is refused at save; a JSON body is matched by path. */
describe('result conditions against the result shape of the event', () => {
  const tmp = tempDir();
  let api: Running;
  let token: string;

  beforeAll(async () => {
    api = await start(join(tmp.dir, 'result.sqlite'), []);
    token = await api.login('admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await api.stop();
    tmp.cleanup();
  });

  const logRule = (name: string, conditions: Record<string, unknown>) =>
    api.req('POST', '/api/rules', { token, body: { name, events: ['POST /api/domains'], handlerModule: 'Logger', action: 'log', options: { message: 'domain {name}' }, conditions } });

  it('refuses result_value on an API event, whose result is a JSON body', async () => {
    const res = await logRule('whole body', { result_value: 'example.org' });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('conditions.result_value');
    expect(res.body.message).toMatch(/is a JSON body, so it never matches; use result_compare/);
  });

  it('matches a JSON response body by path with result_compare', async () => {
    expect((await logRule('by path', { result_compare: 'name == matched.org' })).status).toBe(201);
    expect((await api.req('POST', '/api/domains', { token, body: { name: 'matched.org' } })).status).toBe(201);
    expect((await api.req('POST', '/api/domains', { token, body: { name: 'other.org' } })).status).toBe(201);
    await new Promise((r) => setTimeout(r, 200));
    const log = await api.req('GET', '/api/rules/log?limit=20', { token });
    const text = JSON.stringify(log.body);
    expect(text).toContain('domain matched.org');
    expect(text).not.toContain('domain other.org');
  });
});
