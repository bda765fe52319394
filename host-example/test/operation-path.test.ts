import { join } from 'node:path';
import { buildCli } from '../src/cli';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';

/** Every entry point (API, CLI) goes through one operation layer that dispatches the rules' pre and post events. */
describe('one path for every operation', () => {
  const tmp = tempDir();
  const db = join(tmp.dir, 'ops.sqlite');
  let api: Running;
  let token: string;

  beforeAll(async () => {
    api = await start(db, []);
    token = await api.login('admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await api.stop();
    tmp.cleanup();
  });

  async function cli(...args: string[]): Promise<string[]> {
    const lines: string[] = [];
    await buildCli({ extensions: [], out: (l) => lines.push(l), env: { LOG_LEVEL: 'silent' } }).parseAsync(['node', 'main', '--db', db, ...args]);
    return lines;
  }

  it('refuses both POST /api/domains and the CLI "domains create" with the same pre rule, naming the rule and its reason', async () => {
    const rule = await api.req('POST', '/api/rules', {
      token,
      body: {
        name: 'no test domains',
        position: 'pre',
        events: ['POST /api/domains'],
        handlerModule: 'HostPolicy',
        action: 'deny',
        options: { reason: 'test domains are not hosted here' },
        conditions: { payload_match: 'name=\\.test$' },
      },
    });
    expect(rule.status).toBe(201);

    const refused = await api.req('POST', '/api/domains', { token, body: { name: 'blocked.test' } });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual(expect.objectContaining({ error: 'PB_RULES_ABORTED', rule: 'no test domains', reason: 'test domains are not hosted here' }));

    await expect(cli('domains', 'create', 'cli-blocked.test')).rejects.toThrow(/Rule "no test domains" \(id \d+\) aborted event "POST \/api\/domains": test domains are not hosted here/);
    expect(await api.host.repo.domainByName('cli-blocked.test')).toBeUndefined();
    expect(await cli('domains', 'create', 'cli-allowed.org')).toEqual([expect.stringMatching(/^created domain cli-allowed\.org \(id \d+\)$/)]);
  });

  it('refuses the CLI "domains delete" with a pre rule on DELETE /api/domains/:id, leaving the domain', async () => {
    const rule = await api.req('POST', '/api/rules', {
      token,
      body: { name: 'no deleting', position: 'pre', events: ['DELETE /api/domains/:id'], handlerModule: 'HostPolicy', action: 'deny', options: { reason: 'domains stay' } },
    });
    expect(rule.status).toBe(201);
    await expect(cli('domains', 'delete', 'cli-allowed.org')).rejects.toThrow(/Rule "no deleting".*domains stay/);
    expect(await api.host.repo.domainByName('cli-allowed.org')).toBeDefined();
  });

  it('refuses the CLI "accounts create" with a pre rule on POST /api/accounts, matching the same payload fields', async () => {
    const rule = await api.req('POST', '/api/rules', {
      token,
      body: {
        name: 'no bob',
        position: 'pre',
        events: ['POST /api/accounts'],
        handlerModule: 'HostPolicy',
        action: 'deny',
        options: { reason: 'bob is banned' },
        conditions: { payload_match: 'username=^bob@' },
      },
    });
    expect(rule.status).toBe(201);
    await expect(cli('accounts', 'create', 'bob@cli-allowed.org', '--password', 'password-bob')).rejects.toThrow(/Rule "no bob".*bob is banned/);
    expect(await api.host.repo.userByName('bob@cli-allowed.org')).toBeUndefined();
    expect(await cli('accounts', 'create', 'ann@cli-allowed.org', '--password', 'password-ann')).toEqual([expect.stringMatching(/^created account ann@cli-allowed\.org/)]);
  });

  it('runs the post rules of a CLI operation once it succeeded, under the API event name, sharing one event id with its pre event', async () => {
    const rules = [];
    for (const position of ['pre', 'post'] as const) {
      const r = await api.req('POST', '/api/rules', {
        token,
        body: { name: `log relays ${position}`, position, events: ['POST /api/relaydomains'], handlerModule: 'Logger', action: 'log', options: { level: 'info', message: 'relay {name}' } },
      });
      expect(r.status).toBe(201);
      rules.push(r.body.id as number);
    }
    expect(await cli('relaydomains', 'create', 'relay.example.org', '--target', 'mx.example.net')).toEqual([expect.stringMatching(/^created relay domain relay\.example\.org/)]);
    const entries = [];
    for (const id of rules) entries.push(...((await api.req('GET', `/api/rules/log?ruleId=${id}`, { token })).body.entries as { event: string; position: string; status: string; eventId: string }[]));
    expect(entries).toEqual([
      expect.objectContaining({ event: 'POST /api/relaydomains', position: 'pre', status: 'ok' }),
      expect.objectContaining({ event: 'POST /api/relaydomains', position: 'post', status: 'ok' }),
    ]);
    expect(entries[0].eventId).toBe(entries[1].eventId);
  });

  it('an admin page action is the API operation it stands for: a pre rule on POST /api/rules/:id/:action refuses the page\'s deactivate, naming its reason', async () => {
    const page = await fetch(`${api.url}/admin/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `username=admin&password=${ADMIN_PASSWORD}` });
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0];
    const form = (path: string, body = '') => fetch(api.url + path, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body });
    const freeze = await api.req('POST', '/api/rules', {
      token,
      body: { name: 'change freeze', position: 'pre', events: ['POST /api/rules/:id/:action', 'POST /api/outbox/:id/retry'], handlerModule: 'HostPolicy', action: 'deny', options: { reason: 'changes are frozen' } },
    });
    expect(freeze.status).toBe(201);
    const refused = await form(`/admin/rules/${freeze.body.id}/deactivate`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('changes are frozen');
    expect((await api.req('GET', `/api/rules/${freeze.body.id}`, { token })).body.active).toBe(true);
    expect((await form(`/admin/rules/${freeze.body.id}/delete`)).status).toBe(303);
    expect((await api.req('GET', `/api/rules/${freeze.body.id}`, { token })).status).toBe(404);
  });

  it('the plugins\' CLI commands are operations too: pre rules on POST /api/smtp and POST /api/rules/:id/:action refuse "smtp add" and "rules disable"', async () => {
    const relays = await api.req('POST', '/api/rules', {
      token,
      body: { name: 'no test relays', position: 'pre', events: ['POST /api/smtp', 'POST /api/rules/:id/:action'], handlerModule: 'HostPolicy', action: 'deny', options: { reason: 'frozen by the operator' } },
    });
    expect(relays.status).toBe(201);
    await expect(cli('smtp', 'add', 'test-relay', '--host', '127.0.0.1', '--sender', 'noreply@example.com')).rejects.toThrow(/Rule "no test relays".*frozen by the operator/);
    expect((await api.req('GET', '/api/smtp', { token })).body.configs).toEqual([]);
    await expect(cli('rules', 'disable', String(relays.body.id))).rejects.toThrow(/frozen by the operator/);
    expect((await api.req('GET', `/api/rules/${relays.body.id}`, { token })).body.active).toBe(true);
    expect(await cli('rules', 'delete', String(relays.body.id))).toEqual([`deleted rule ${relays.body.id}`]);
  });
});
