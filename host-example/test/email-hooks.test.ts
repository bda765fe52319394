import { join } from 'node:path';
import { buildCli } from '../src/cli';
import { hookPayload } from '../src/hook-events';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';
import { startSmtp, type SmtpSink } from './plugin-helpers';

describe('stored email hooks through the HTTP API', () => {
  const tmp = tempDir();
  let api: Running;
  let smtp: SmtpSink;
  let token: string;

  beforeAll(async () => {
    // AUTH on, so the hook's login is checked. The sink has no STARTTLS: the hooks below are saved with
    // requireTls: false, while production hooks keep STARTTLS required.
    smtp = await startSmtp({ auth: true });
    api = await start(join(tmp.dir, 'email-hooks.sqlite'), [], { outbox: { pollIntervalMs: 20, backoff: { initialMs: 20, maxAttempts: 3, jitter: 0 } } });
    token = await api.login('admin', ADMIN_PASSWORD);
    expect((await api.req('POST', '/api/domains', { token, body: { name: 'example.com' } })).status).toBe(201);
  });
  afterAll(async () => {
    await api.stop();
    await smtp.close();
    tmp.cleanup();
  });

  const call = (method: string, path: string, body?: unknown) => api.req(method, path, { token, ...(body !== undefined ? { body } : {}) });
  const hook = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    kind: 'simple',
    events: ['AccountCreated'],
    settings: { host: '127.0.0.1', port: smtp.port, credentials: 'mailer:s3cret', sender: 'noreply@example.com', senderName: 'Plugboard', recipients: 'ops@example.com, audit@example.com', requireTls: false },
    ...extra,
  });

  it('mails the AccountCreated payload as indented JSON, subject the hook name, only to hooks whose realms admit the call', async () => {
    const created = await call('POST', '/api/email-hooks', hook('welcome'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'welcome', kind: 'simple', events: ['AccountCreated'], realms: [], settings: { credentials: '***', recipients: ['ops@example.com', 'audit@example.com'] } });
    expect((await call('POST', '/api/email-hooks', hook('elsewhere', { realms: ['other.org'] }))).status).toBe(201);

    expect((await call('POST', '/api/accounts', { username: 'ann@example.com', password: 'correct horse', firstName: 'Ann' })).status).toBe(201);
    await smtp.waitFor(1);
    const [mail] = smtp.received;
    const ann = await api.host.repo.userByName('ann@example.com');
    expect(mail.subject).toBe('welcome');
    expect(mail.text?.trimEnd()).toBe(JSON.stringify(hookPayload(['account'], [ann]), null, 2));
    expect(mail.text).toContain('"username": "ann@example.com"');
    expect(mail.text).not.toContain('correct horse');
    expect(mail.from?.value[0]).toEqual({ address: 'noreply@example.com', name: 'Plugboard' });
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((v) => v.address) : []).toEqual(['ops@example.com', 'audit@example.com']);
    expect(smtp.logins[0]).toBe('mailer');

    await api.host.outbox.drain();
    const log = await call('GET', '/api/email-hooks/welcome/deliveries');
    expect(log.status).toBe(200);
    expect(log.body.deliveries).toEqual([
      expect.objectContaining({ state: 'delivered', subject: 'welcome', recipients: ['ops@example.com', 'audit@example.com'], attempts: [expect.objectContaining({ attempt: 1, outcome: 'delivered' })] }),
    ]);
    // The realm of ann@example.com is example.com: the hook bound to other.org did not fire.
    expect((await call('GET', '/api/email-hooks/elsewhere/deliveries')).body.deliveries).toEqual([]);
    expect(smtp.received).toHaveLength(1);

    // Once its realms admit example.com it fires too.
    expect((await call('PATCH', '/api/email-hooks/elsewhere', { realms: ['other.org', 'example.com'] })).body.realms).toEqual(['other.org', 'example.com']);
    expect((await call('POST', '/api/accounts', { username: 'bob@example.com', password: 'correct horse' })).status).toBe(201);
    await smtp.waitFor(3);
    expect(smtp.received.slice(1).map((m) => m.subject).sort()).toEqual(['elsewhere', 'welcome']);
  });

  it('lists hooks with credentials masked; "***" sent back keeps the stored secret', async () => {
    const list = await call('GET', '/api/email-hooks');
    expect(list.status).toBe(200);
    expect((list.body.hooks as { name: string; settings: { credentials: string } }[]).map((h) => [h.name, h.settings.credentials])).toEqual([
      ['elsewhere', '***'],
      ['welcome', '***'],
    ]);
    const shown = await call('GET', '/api/email-hooks/welcome');
    expect(shown.body.settings.credentials).toBe('***');

    const { name: _n, createdAt: _c, updatedAt: _u, revision: _r, ...listed } = shown.body as Record<string, unknown>;
    const patched = await call('PATCH', '/api/email-hooks/welcome', { ...listed, settings: { ...(listed.settings as object), subject: 'New account' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ revision: 2, settings: { credentials: '***', subject: 'New account' } });
    expect(api.host.notify.emailHooks.store.get('welcome').settings).toMatchObject({ credentials: 'mailer:s3cret', subject: 'New account' });
  });

  it('answers 400 naming the field, 404 for unknown hooks and 403 for non-SuperAdmins', async () => {
    const bad = async (body: unknown, field: string) => {
      const r = await call('POST', '/api/email-hooks', body);
      expect([r.status, r.body.field]).toEqual([400, field]);
    };
    await bad(hook('x', { settings: { ...hook('x').settings, port: 'smtp' } }), 'settings.port');
    await bad(hook('x', { settings: { ...hook('x').settings, tls: true } }), 'settings.tls');
    await bad(hook('x', { kind: 'smtp' }), 'kind');
    await bad(hook('x', { events: [] }), 'events');
    await bad(hook('x', { events: ['AccountCreated', 'NoSuchHook'] }), 'events.1');
    await bad(hook('x', { settings: { sender: 'noreply@example.com', recipients: 'ops@example.com' } }), 'settings.host');
    await bad(hook('x', { settings: { ...hook('x').settings, credentials: 'nocolon' } }), 'settings.credentials');
    await bad(hook('x', { settings: { ...hook('x').settings, recipients: 'ok@example.com, not an address' } }), 'settings.recipients.1');
    expect((await call('PATCH', '/api/email-hooks/welcome', { events: ['Nope'] })).body.field).toBe('events.0');
    expect((await call('POST', '/api/email-hooks', hook('welcome'))).status).toBe(409);

    expect((await call('GET', '/api/email-hooks/nope')).status).toBe(404);
    expect((await call('GET', '/api/email-hooks/nope/deliveries')).status).toBe(404);
    expect((await call('DELETE', '/api/email-hooks/elsewhere')).status).toBe(204);
    expect((await call('DELETE', '/api/email-hooks/elsewhere')).status).toBe(404);

    const ann = await api.login('ann@example.com', 'correct horse');
    expect((await api.req('GET', '/api/email-hooks', { token: ann })).status).toBe(403);
  });
});

describe('email-hooks CLI', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  const db = join(tmp.dir, 'cli-email-hooks.sqlite');
  const env = { ADMIN_PASSWORD: 'cli-admin-pass', LOG_LEVEL: 'silent' };

  async function cli(...args: string[]): Promise<string[]> {
    const lines: string[] = [];
    await buildCli({ extensions: [], out: (l) => lines.push(l), env }).parseAsync(['node', 'main', '--db', db, ...args]);
    return lines.filter((l) => !l.startsWith('  ') && l !== '');
  }

  it('adds, lists (credentials masked), logs and removes email hooks; one-shot commands queue the mail for the server', async () => {
    expect(
      await cli('email-hooks', 'add', 'alerts', '--event', 'AccountCreated', '--realm', 'example.org', '--host', '127.0.0.1', '--port', '2525', '--credentials', 'mailer:s3cret', '--sender', 'pb@example.org', '--recipients', 'a@example.org, b@example.org', '--no-require-tls'),
    ).toEqual(['added email hook alerts (simple, on AccountCreated)']);
    await expect(cli('email-hooks', 'add', 'broken', '--event', 'AccountCreated', '--sender', 'pb@example.org', '--recipients', 'a@example.org')).rejects.toThrow(/settings\.host: is required/);
    await expect(cli('email-hooks', 'add', 'unbound', '--host', 'h', '--credentials', 'u:p', '--sender', 'pb@example.org', '--recipients', 'a@example.org')).rejects.toThrow(/events: list at least one hook name/);
    expect(await cli('email-hooks', 'list')).toEqual(['alerts\tsimple\t127.0.0.1:2525\tAccountCreated\texample.org\ta@example.org,b@example.org\t***']);

    expect(await cli('domains', 'create', 'example.org')).toEqual(['created domain example.org (id 1)']);
    expect(await cli('accounts', 'create', 'ann@example.org', '--password', 'correct horse')).toEqual([expect.stringMatching(/^created account ann@example\.org/)]);
    const log = await cli('email-hooks', 'log', 'alerts');
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/^\S+\talerts\tpending\tattempts 0\t-/);

    expect(await cli('email-hooks', 'remove', 'alerts')).toEqual(['removed email hook alerts']);
    expect(await cli('email-hooks', 'list')).toEqual([]);
    await expect(cli('email-hooks', 'remove', 'alerts')).rejects.toThrow(/does not exist/);
  });
});
