import { extension, observe, type ListenerContext } from '@plugboard/core';
import { join } from 'node:path';
import { hostHooks, type FormDescriptor } from '../src/hooks';
import { vetoReason } from '../src/host-bus';
import type { User } from '../src/model';
import { hashPassword } from '../src/passwords';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';

@extension({ name: 'agreeable', version: '1.0.0' })
class Agreeable {
  @observe(hostHooks.PasswordChange) pw(): boolean { return false; }
  @observe(hostHooks.CanCreate) can(): boolean[] { return [true]; }
  @observe(hostHooks.UserCanSetRole) role(): boolean { return true; }
}

@extension({ name: 'lockdown', version: '1.0.0' })
class Lockdown {
  @observe(hostHooks.PasswordChange)
  pw(user: User, ctx: ListenerContext): boolean {
    if (!user.username.startsWith('locked')) return false;
    vetoReason(ctx, 'locked accounts keep their password');
    return true;
  }
  @observe(hostHooks.CanCreate)
  async can(user: User): Promise<boolean> { return user.username !== 'blocked-reseller'; }
  @observe(hostHooks.UserCanSetRole)
  role(_user: User, role: string): boolean { return role !== 'Resellers'; }
  @observe(hostHooks.ExtraAccountForm)
  forms(): FormDescriptor[] { return [{ id: 'secret', title: 'Secret', cls: 'SecretForm' }]; }
  @observe(hostHooks.CheckExtraAccountForm)
  check(account: User, form: FormDescriptor): boolean { return !(form.id === 'secret' && account.role === 'SimpleUsers'); }
}

describe('vetoes, validation and roles over HTTP', () => {
  const tmp = tempDir();
  let run: Running;
  let t: { token: string };
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    run = await start(join(tmp.dir, 'v.sqlite'), [Agreeable, Lockdown]);
    t = { token: await run.login('admin', ADMIN_PASSWORD) };
    for (const name of ['one.test', 'two.test']) ids[name] = (await run.req('POST', '/api/domains', { ...t, body: { name } })).body.id;
    for (const username of ['da1', 'da2']) ids[username] = (await run.req('POST', '/api/accounts', { ...t, body: { username, password: 'password-x', role: 'DomainAdmins' } })).body.id;
    // lockdown refuses to give the Resellers role through the API, so this reseller is stored directly.
    (await run.host.repo.insertUser({ username: 'blocked-reseller', passwordHash: await hashPassword('password-x'), role: 'Resellers', ownerId: null }));
    await run.req('PUT', `/api/domains/${ids['one.test']}/owner`, { ...t, body: { owner: 'da1' } });
    await run.req('PUT', `/api/domains/${ids['two.test']}/owner`, { ...t, body: { owner: 'da2' } });
    ids.locked = (await run.req('POST', '/api/accounts', { ...t, body: { username: 'locked@one.test', password: 'password-x' } })).body.id;
    ids.user2 = (await run.req('POST', '/api/accounts', { ...t, body: { username: 'user@two.test', password: 'password-x' } })).body.id;
  });
  afterAll(async () => {
    await run.stop();
    tmp.cleanup();
  });

  it('PasswordChange: one true cancels the change, 403 names the extension and its reason', async () => {
    const r = await run.req('POST', `/api/accounts/${ids.locked}/password`, { ...t, body: { password: 'another-pass' } });
    expect(r.status).toBe(403);
    expect(r.body).toEqual(expect.objectContaining({ error: 'PB_HOST_VETOED', extension: 'lockdown', hook: 'PasswordChange', reason: 'locked accounts keep their password' }));
    expect(r.body.message).toContain('Extension "lockdown" refused');
    await run.login('locked@one.test', 'password-x'); // unchanged
    expect((await run.req('POST', `/api/accounts/${ids.user2}/password`, { ...t, body: { password: 'another-pass' } })).status).toBe(204);
  });

  it('CanCreate: false refuses the domain, naming the extension', async () => {
    const r = { token: await run.login('blocked-reseller', 'password-x') };
    const res = await run.req('POST', '/api/domains', { ...r, body: { name: 'three.test' } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(expect.objectContaining({ extension: 'lockdown', hook: 'CanCreate' }));
    expect(await run.host.repo.domainByName('three.test')).toBeUndefined();
  });

  it('UserCanSetRole: false refuses the role, naming the extension; the role stays', async () => {
    const res = await run.req('PATCH', `/api/accounts/${ids.da1}`, { ...t, body: { role: 'Resellers' } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(expect.objectContaining({ extension: 'lockdown', hook: 'UserCanSetRole' }));
    expect((await run.host.repo.userById(ids.da1))?.role).toBe('DomainAdmins');
  });

  it('CheckExtraAccountForm: false hides the form and refuses its data with 403', async () => {
    const forms = await run.req('GET', `/api/accounts/${ids.user2}/forms`, t);
    expect(forms.body.forms.map((f: FormDescriptor) => f.id)).toEqual(['general', 'mail']);
    const adminForms = await run.req('GET', `/api/accounts/${ids.da1}/forms`, t);
    expect(adminForms.body.forms.map((f: FormDescriptor) => f.id)).toEqual(['general', 'secret']);
    const res = await run.req('PATCH', `/api/accounts/${ids.user2}`, { ...t, body: { forms: { secret: { a: 1 } } } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(expect.objectContaining({ extension: 'lockdown', hook: 'CheckExtraAccountForm' }));
  });

  it('bad input is a 400 naming the field', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/domains', {}, 'name'],
      ['POST', '/api/domains', { name: 'x.test', bogus: 1 }, 'bogus'],
      ['POST', '/api/domains', { name: 'not a domain' }, 'name'],
      ['POST', '/api/domains', { name: 'q.test', quota: -1 }, 'quota'],
      ['POST', '/api/accounts', { username: 'z@one.test', password: 12345678 }, 'password'],
      ['POST', '/api/accounts', { username: 'z@one.test', password: 'short' }, 'password'],
      ['POST', '/api/accounts', { username: 'z@nowhere.test', password: 'password-z' }, 'username'],
      ['POST', '/api/mailbox-aliases', { address: 'a@one.test', recipients: ['nope'] }, 'recipients.0'],
      ['PUT', '/api/parameters/core', { unknown: 1 }, 'unknown'],
      ['PUT', '/api/parameters/core', { default_domain_quota: 'ten' }, 'default_domain_quota'],
      ['GET', '/api/domains?nope=1', undefined, 'nope'],
      ['GET', '/api/menus/sidebar', undefined, 'target'],
      ['POST', '/api/import', { csv: 'mystery; a; b' }, 'csv line 1'],
    ];
    for (const [method, path, body, field] of cases) {
      const r = await run.req(method, path, { ...t, body });
      expect({ path, body, status: r.status, field: r.body.field }).toEqual({ path, body, status: 400, field });
      expect(r.body.message).toContain(field);
    }
  });

  it('a DomainAdmin cannot touch another admin\'s domains, and roles are enforced', async () => {
    const d1 = { token: await run.login('da1', 'password-x') };
    expect((await run.req('GET', `/api/domains/${ids['two.test']}`, d1)).status).toBe(404);
    expect((await run.req('PATCH', `/api/domains/${ids['two.test']}`, { ...d1, body: { quota: 5 } })).status).toBe(404);
    expect((await run.req('DELETE', `/api/domains/${ids['two.test']}`, d1)).status).toBe(404);
    const steal = await run.req('POST', '/api/accounts', { ...d1, body: { username: 'x@two.test', password: 'password-x' } });
    expect(steal.status).toBe(403);
    expect((await run.req('POST', '/api/domain-aliases', { ...d1, body: { name: 'alias2.test', target: 'two.test' } })).status).toBe(403);
    expect((await run.req('GET', '/api/domains', d1)).body.entries.map((e: { name: string }) => e.name)).toEqual(['one.test']);
    const seen = (await run.req('GET', '/api/accounts', d1)).body.accounts.map((a: { account: User }) => a.account.username);
    expect(seen).toEqual(['locked@one.test']);
    expect((await run.req('DELETE', `/api/accounts/${ids.user2}`, d1)).status).toBe(404);
    expect((await run.req('DELETE', `/api/accounts/${ids.da2}`, d1)).status).toBe(404);
    // Own domain: allowed. Creating domains or giving admin roles: not.
    expect((await run.req('POST', '/api/accounts', { ...d1, body: { username: 'new@one.test', password: 'password-x' } })).status).toBe(201);
    expect((await run.req('POST', '/api/domains', { ...d1, body: { name: 'mine.test' } })).status).toBe(403);
    expect((await run.req('POST', '/api/accounts', { ...d1, body: { username: 'admin2@one.test', password: 'password-x', role: 'DomainAdmins' } })).status).toBe(403);
    expect((await run.req('GET', '/api/parameters/core', d1)).status).toBe(403);
    expect((await run.req('GET', '/api/roles', d1)).body.roles).toEqual([['SimpleUsers', 'Simple user']]);

    const u = { token: await run.login('user@two.test', 'another-pass') };
    expect((await run.req('GET', '/api/accounts', u)).status).toBe(403);
    expect((await run.req('GET', '/api/menus/options_menu', u)).status).toBe(200);
    expect((await run.req('GET', '/api/menus/admin_menu_box', u)).status).toBe(403);
    expect((await run.req('GET', '/api/me', u)).body.mailbox.fullAddress).toBe('user@two.test');
    expect((await run.req('POST', '/api/me/password', { ...u, body: { oldPassword: 'wrong-pass', newPassword: 'new-password' } })).body.field).toBe('oldPassword');
    expect((await run.req('GET', '/api/domains')).status).toBe(401);
    expect((await run.req('GET', '/api/domains', { token: 'forged' })).status).toBe(401);
  });
});
